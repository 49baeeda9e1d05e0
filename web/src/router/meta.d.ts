import 'vue-router'

export {}

declare module 'vue-router' {
  interface RouteMeta {
    /** Chinese title: menu entry, breadcrumb, tab and document title. */
    title?: string
    /** Element Plus icon name (e.g. `User`), see src/utils/icons.ts. */
    icon?: string
    /** Permission code(s) needed to open the page; any one of a list suffices. */
    perm?: string | string[]
    /** Not shown in the side menu. */
    hidden?: boolean
    /** Reachable without logging in. */
    public?: boolean
    /** Tab that cannot be closed. */
    affix?: boolean
    /** Not added to the tabs bar. */
    noTab?: boolean
  }
}

/** A department choice for users without platform:org:view (no department tree available). */
export interface DepartmentOption {
  id: number
  name: string
}

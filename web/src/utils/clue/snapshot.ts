// Config-version snapshots: what changed between two versions of the same record.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Stable JSON (object keys sorted) so that key order does not count as a change. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v) ?? 'undefined'
}

/**
 * Top-level keys whose values differ between `before` and `after` (sorted). Everything in `after`
 * when there is no `before`; [] when either is not an object.
 */
export function changedKeys(before: unknown, after: unknown): string[] {
  if (!isRecord(after)) return []
  if (before === null || before === undefined) return Object.keys(after).sort()
  if (!isRecord(before)) return []
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((k) => canonical(before[k]) !== canonical(after[k])).sort()
}

export function prettyJson(v: unknown): string {
  return JSON.stringify(v, null, 2) ?? ''
}

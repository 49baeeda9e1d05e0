/** The editable fields of a dedup setting (global or per category). */
export interface DedupForm {
  high_threshold: number
  low_threshold: number
  radius_m: number
  window_hours: number
  same_category: boolean
  enabled: boolean
}

/** Used when the server has no global row yet, and as the start of a new override. */
export const DEDUP_FORM_DEFAULTS: Readonly<DedupForm> = {
  high_threshold: 0.9,
  low_threshold: 0.7,
  radius_m: 200,
  window_hours: 72,
  same_category: true,
  enabled: true,
}

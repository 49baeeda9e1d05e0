/** The editable fields of a dedup setting (global or per category). */
export interface DedupForm {
  high_threshold: number
  low_threshold: number
  radius_m: number
  window_hours: number
  same_category: boolean
  enabled: boolean
  /** Weights of the score: same minor category, proximity, text similarity (sum 1). */
  weight_category: number
  weight_proximity: number
  weight_text: number
}

/** Used when the server has no global row yet, and as the start of a new override. */
export const DEDUP_FORM_DEFAULTS: Readonly<DedupForm> = {
  high_threshold: 0.9,
  low_threshold: 0.7,
  radius_m: 200,
  window_hours: 72,
  same_category: true,
  enabled: true,
  weight_category: 0.5,
  weight_proximity: 0.25,
  weight_text: 0.25,
}

/** The weights' sum is 1 (within rounding). */
export function weightsError(f: Pick<DedupForm, 'weight_category' | 'weight_proximity' | 'weight_text'>): string | null {
  const sum = f.weight_category + f.weight_proximity + f.weight_text
  return Math.abs(sum - 1) > 0.005 ? `三项权重之和须为 1（当前 ${sum.toFixed(2)}）` : null
}

// Dedup settings (去重配置): similarity thresholds between 0 and 1, with the suspected-duplicate
// threshold (low) not above the auto-merge one (high).

/** null when the pair is acceptable, else the Chinese reason. */
export function checkThresholds(low: number | null | undefined, high: number | null | undefined): string | null {
  const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v)
  if (!ok(low) || !ok(high)) return '请设置相似度阈值'
  if (low < 0 || low > 1 || high < 0 || high > 1) return '相似度阈值须在 0 到 1 之间'
  if (roundThreshold(low) > roundThreshold(high)) return '疑似重复阈值不能高于自动合并阈值'
  return null
}

/** Thresholds are kept to two decimals. */
export function roundThreshold(v: number): number {
  return Math.round(v * 100) / 100
}

/** `0.85` */
export function formatThreshold(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '-'
}

/** `500 米`, `1.5 公里` */
export function formatRadius(m: number | null | undefined): string {
  if (typeof m !== 'number' || !Number.isFinite(m)) return '-'
  if (m >= 1000) return `${Number((m / 1000).toFixed(2))} 公里`
  return `${m} 米`
}

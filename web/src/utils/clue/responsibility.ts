// 权责清单 helpers.
import type { ResponsibilityTier } from '@/api/clue/types'

/** The handling tier that matches a region level (市 → 市级, 县 → 县级, 乡镇 → 乡镇级). */
export function tierForRegionLevel(level: string | null | undefined): ResponsibilityTier | null {
  switch (level) {
    case 'city':
      return 'city'
    case 'county':
      return 'county'
    case 'township':
      return 'township'
    default:
      return null
  }
}

/** `48 小时（2 天）`, `4 小时`, `-` */
export function formatHours(h: number | null | undefined): string {
  if (typeof h !== 'number' || !Number.isFinite(h)) return '-'
  const text = `${Number(h.toFixed(2))} 小时`
  if (h >= 24 && h % 24 === 0) return `${text}（${h / 24} 天）`
  return text
}

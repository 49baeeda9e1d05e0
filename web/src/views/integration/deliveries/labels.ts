// Labels and pure helpers of the delivery queue (投递队列): channels, statuses, the summary tiles
// from the server's counts, which actions a message allows, and filters from a route query.
import {
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryCount,
  type DeliveryFilter,
  type DeliveryStatus,
} from '@/api/integration'
import type { TagType } from '@/utils/labels'

export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  source_callback: '来源状态回调',
  province: '省执法平台',
  zzd_notice: '浙政钉工作通知',
}

export const DELIVERY_STATUS_LABELS: Readonly<Record<DeliveryStatus, string>> = {
  pending: '待投递',
  delivered: '已送达',
  parked: '已挂起',
  cancelled: '已取消',
}

export const DELIVERY_STATUS_TAGS: Readonly<Record<string, TagType>> = {
  pending: 'primary',
  delivered: 'success',
  parked: 'danger',
  cancelled: 'info',
}

/** One tile of the summary: a channel with its count per status. */
export interface ChannelTile {
  channel: string
  counts: Record<DeliveryStatus, number>
  total: number
}

/**
 * One tile per channel: the known channels always (with zeros), then any other channel the counts
 * name. Statuses the UI does not know are left out of the tiles.
 */
export function channelTiles(counts: readonly DeliveryCount[]): ChannelTile[] {
  const tiles = new Map<string, ChannelTile>()
  const tile = (channel: string): ChannelTile => {
    let t = tiles.get(channel)
    if (!t) {
      t = { channel, counts: { pending: 0, delivered: 0, parked: 0, cancelled: 0 }, total: 0 }
      tiles.set(channel, t)
    }
    return t
  }
  for (const c of DELIVERY_CHANNELS) tile(c)
  for (const c of counts) {
    const t = tile(c.channel)
    if ((DELIVERY_STATUSES as readonly string[]).includes(c.status)) {
      t.counts[c.status as DeliveryStatus] += c.count
      t.total += c.count
    }
  }
  return [...tiles.values()]
}

/** 重新投递: a parked or cancelled message, or a waiting one that already failed (send it now). */
export function canReplay(d: Pick<Delivery, 'status' | 'attempts'>): boolean {
  return d.status === 'parked' || d.status === 'cancelled' || (d.status === 'pending' && d.attempts > 0)
}

/** 取消: a message still waiting or parked. */
export function canCancel(d: Pick<Delivery, 'status'>): boolean {
  return d.status === 'pending' || d.status === 'parked'
}

export type RouteQuery = Record<string, unknown>

function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' && x.trim() ? x.trim() : undefined
}

/** Filters from a link such as `/integration/deliveries?channel=province&status=parked&case_id=12`. */
export function deliveryFilterFromRoute(query: RouteQuery): DeliveryFilter {
  const f: DeliveryFilter = {}
  const channel = first(query.channel)
  if (channel) f.channel = channel
  const status = first(query.status)
  if (status && (DELIVERY_STATUSES as readonly string[]).includes(status)) f.status = status as DeliveryStatus
  if (first(query.failed) === 'true') f.failed = true
  const keyword = first(query.keyword)
  if (keyword) f.keyword = keyword
  const caseId = Number(first(query.case_id))
  if (Number.isInteger(caseId) && caseId > 0) f.case_id = caseId
  return f
}

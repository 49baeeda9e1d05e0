import { describe, expect, it } from 'vitest'
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from '@/api/integration'
import { labelOf } from '@/utils/labels'
import {
  canCancel,
  canReplay,
  CHANNEL_LABELS,
  channelTiles,
  DELIVERY_STATUS_LABELS,
  deliveryFilterFromRoute,
} from './labels'

describe('delivery labels', () => {
  it('label every channel and status in Chinese, unknown values as they are', () => {
    expect(DELIVERY_CHANNELS.map((c) => labelOf(CHANNEL_LABELS, c))).toEqual(['来源状态回调', '省执法平台', '浙政钉工作通知'])
    expect(DELIVERY_STATUSES.map((s) => labelOf(DELIVERY_STATUS_LABELS, s))).toEqual(['待投递', '已送达', '已挂起', '已取消'])
    expect(labelOf(CHANNEL_LABELS, 'irs_sync')).toBe('irs_sync')
  })
})

describe('channelTiles', () => {
  it('has a tile per known channel with zeros, sums counts, and adds unknown channels after', () => {
    const tiles = channelTiles([
      { channel: 'province', status: 'delivered', count: 7 },
      { channel: 'province', status: 'parked', count: 2 },
      { channel: 'province', status: 'weird', count: 5 },
      { channel: 'irs_sync', status: 'pending', count: 1 },
    ])
    expect(tiles.map((t) => t.channel)).toEqual(['source_callback', 'province', 'zzd_notice', 'irs_sync'])
    expect(tiles[0]).toEqual({ channel: 'source_callback', counts: { pending: 0, delivered: 0, parked: 0, cancelled: 0 }, total: 0 })
    expect(tiles[1].counts).toEqual({ pending: 0, delivered: 7, parked: 2, cancelled: 0 })
    expect(tiles[1].total).toBe(9)
    expect(tiles[3].counts.pending).toBe(1)
  })
})

describe('row actions', () => {
  it('replays parked, cancelled and failed waiting messages; cancels waiting and parked ones', () => {
    expect(canReplay({ status: 'parked', attempts: 12 })).toBe(true)
    expect(canReplay({ status: 'cancelled', attempts: 0 })).toBe(true)
    expect(canReplay({ status: 'pending', attempts: 2 })).toBe(true)
    expect(canReplay({ status: 'pending', attempts: 0 })).toBe(false)
    expect(canReplay({ status: 'delivered', attempts: 1 })).toBe(false)
    expect(canCancel({ status: 'pending' })).toBe(true)
    expect(canCancel({ status: 'parked' })).toBe(true)
    expect(canCancel({ status: 'cancelled' })).toBe(false)
    expect(canCancel({ status: 'delivered' })).toBe(false)
  })
})

describe('deliveryFilterFromRoute', () => {
  it('takes known values from a link and ignores the rest', () => {
    expect(deliveryFilterFromRoute({ channel: 'province', status: 'parked', failed: 'true', keyword: ' 3311 ', case_id: '12' })).toEqual({
      channel: 'province',
      status: 'parked',
      failed: true,
      keyword: '3311',
      case_id: 12,
    })
    expect(deliveryFilterFromRoute({ status: 'lost', failed: 'yes', case_id: 'abc' })).toEqual({})
    expect(deliveryFilterFromRoute({ channel: ['zzd_notice', 'province'] })).toEqual({ channel: 'zzd_notice' })
  })
})

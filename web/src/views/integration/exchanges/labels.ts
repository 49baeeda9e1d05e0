// Labels and pure helpers of the exchange log (交换记录): systems, directions, outcomes, the names of
// the provincial interfaces, bodies pretty-printed when they are JSON, and filters from a route query.
import {
  EXCHANGE_DIRECTIONS,
  EXCHANGE_OUTCOMES,
  type ExchangeDirection,
  type ExchangeFilter,
  type ExchangeOutcome,
} from '@/api/integration'
import type { TagType } from '@/utils/labels'

export const SYSTEM_LABELS: Readonly<Record<string, string>> = {
  province: '省执法平台',
  zzd: '浙政钉',
  irs: '大数据局IRS',
  supervision: '互联网+监管',
}

export const DIRECTION_LABELS: Readonly<Record<ExchangeDirection, string>> = {
  out: '发出',
  in: '接收',
}

export const OUTCOME_LABELS: Readonly<Record<ExchangeOutcome, string>> = {
  ok: '成功',
  retry: '失败待重试',
  unknown: '结果未知',
  rejected: '被拒绝',
  duplicate: '重复消息',
}

export const OUTCOME_TAGS: Readonly<Record<string, TagType>> = {
  ok: 'success',
  retry: 'warning',
  unknown: 'warning',
  rejected: 'danger',
  duplicate: 'info',
}

/** The provincial platform's interfaces (docs/integrations/province.md) by path. */
export const INTERFACE_LABELS: Readonly<Record<string, string>> = {
  '/gateway/api/zfjg/risk/scheme1/push': '一类方案风险推送',
  '/api/integration/province/feedback': '执法反馈推送',
  '/gateway/api/zfjg/risk/feedback/query': '执法反馈查询',
  '/gateway/api/zfjg/command/clue/push': '线索非主体推送',
  '/gateway/api/zfjg/command/clue/status': '协同指挥状态查询',
  '/gateway/api/zfjg/command/clue/release': '协同指挥解除线索',
  '/gateway/api/zfjg/risk/scheme3/push': '三类方案风险推送',
}

/** The interface's Chinese name, or '' when the UI does not know it (the path is shown instead). */
export function interfaceName(path: string): string {
  const bare = path.split('?')[0]
  return Object.prototype.hasOwnProperty.call(INTERFACE_LABELS, bare) ? INTERFACE_LABELS[bare] : ''
}

/** A request or response body: pretty JSON when it parses, else the text as it is. */
export function prettyBody(text: string): string {
  const t = text.trim()
  if (!t) return ''
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(t), null, 2)
    } catch {
      // not JSON after all
    }
  }
  return text
}

export type RouteQuery = Record<string, unknown>

function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' && x.trim() ? x.trim() : undefined
}

function positiveInt(v: unknown): number | undefined {
  const s = first(v)
  if (s === undefined || !/^\d+$/.test(s)) return undefined
  const n = Number(s)
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** Filters from a link such as `/integration/exchanges?system=province&keyword=3311022026…`. */
export function exchangeFilterFromRoute(query: RouteQuery): ExchangeFilter {
  const f: ExchangeFilter = {}
  const system = first(query.system)
  if (system) f.system = system
  const direction = first(query.direction)
  if (direction && (EXCHANGE_DIRECTIONS as readonly string[]).includes(direction)) f.direction = direction as ExchangeDirection
  const outcome = first(query.outcome)
  if (outcome && (EXCHANGE_OUTCOMES as readonly string[]).includes(outcome)) f.outcome = outcome as ExchangeOutcome
  const iface = first(query.interface)
  if (iface) f.interface = iface
  const keyword = first(query.keyword)
  if (keyword) f.keyword = keyword
  const caseId = positiveInt(query.case_id)
  if (caseId !== undefined) f.case_id = caseId
  const from = positiveInt(query.from)
  if (from !== undefined) f.from = from
  const to = positiveInt(query.to)
  if (to !== undefined) f.to = to
  return f
}

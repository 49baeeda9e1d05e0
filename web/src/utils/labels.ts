// Chinese labels for the contract's enumerated values. The generated schema may type these fields
// as plain `string` (utoipa without enum schemas) or as literal unions, so lookups go through
// `labelOf`/`tagOf`, which fall back gracefully for values the UI does not know yet.

/** Element Plus tag types. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export interface Option<V> {
  value: V
  label: string
}

type Labels = Readonly<Record<string, string>>

export function toOptions<K extends string>(labels: Readonly<Record<K, string>>): Option<K>[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }))
}

/** The label of `value`, the raw value when unknown, `fallback` when empty. */
export function labelOf(labels: Labels, value: string | null | undefined, fallback = '-'): string {
  if (value === null || value === undefined || value === '') return fallback
  return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : value
}

/** The tag type of `value`, `info` when unknown. */
export function tagOf(tags: Readonly<Record<string, TagType>>, value: string | null | undefined): TagType {
  return value && Object.prototype.hasOwnProperty.call(tags, value) ? tags[value] : 'info'
}

export const DEPARTMENT_KIND_LABELS = {
  bureau: '综合行政执法局',
  squad: '执法中队',
  city_department: '市直部门',
  county_department: '县级部门',
  township_office: '乡镇(街道)',
  government: '人民政府',
  other: '其他',
} as const

export const DEPARTMENT_KIND_TAGS: Readonly<Record<string, TagType>> = {
  government: 'danger',
  bureau: 'primary',
  squad: 'success',
  city_department: 'warning',
  county_department: 'warning',
  township_office: 'info',
  other: 'info',
}

export const DATA_SCOPE_LABELS = {
  all: '全部',
  region: '本区域及下级',
  department: '本部门及下级',
  own: '仅本人',
} as const

export const DUTY_LABELS = {
  system: '系统管理',
  security: '安全管理',
  audit: '审计',
  business: '业务',
} as const

export const DUTY_TAGS: Readonly<Record<string, TagType>> = {
  system: 'primary',
  security: 'warning',
  audit: 'danger',
  business: 'success',
}

export const REGION_LEVEL_LABELS = {
  city: '市',
  county: '县（市、区）',
  township: '乡镇（街道）',
} as const

export const TILE_KIND_LABELS = {
  internal: '内部应用',
  external: '外部系统',
} as const

export const OUTCOME_LABELS = {
  success: '成功',
  failure: '失败',
} as const

export const ITEM_CATEGORY_LABELS = {
  comprehensive: '综合执法事项',
  special: '专项执法事项',
  township: '乡镇执法事项',
  transferred: '划转事项',
  other: '其他',
} as const

export const ITEM_CATEGORY_TAGS: Readonly<Record<string, TagType>> = {
  comprehensive: 'primary',
  special: 'warning',
  township: 'success',
  transferred: 'info',
  other: 'info',
}

/** Tag types a dictionary item may use for display. */
export const DICT_TAG_TYPES: Option<TagType>[] = [
  { value: 'primary', label: '主要（蓝）' },
  { value: 'success', label: '成功（绿）' },
  { value: 'info', label: '信息（灰）' },
  { value: 'warning', label: '警告（橙）' },
  { value: 'danger', label: '危险（红）' },
]

export function isTagType(v: string | null | undefined): v is TagType {
  return v === 'primary' || v === 'success' || v === 'info' || v === 'warning' || v === 'danger'
}

/** Avatar text: a personal name's last two characters (张伟 → 张伟, 欧阳娜娜 → 娜娜), else the first one. */
export function avatarText(name: string | null | undefined): string {
  const n = (name ?? '').trim()
  if (!n) return '?'
  return n.length <= 4 ? n.slice(-2) : n.slice(0, 1)
}

// ---- clue center handling rules (F04–F11) ------------------------------------------------------

export const CATEGORY_LEVEL_LABELS = {
  major: '大类',
  minor: '小类',
} as const

export const CATEGORY_KIND_LABELS = {
  component: '部件',
  event: '事件',
  enforcement: '执法',
} as const

/** Long form for forms and tooltips. */
export const CATEGORY_KIND_FULL_LABELS = {
  component: '部件',
  event: '事件',
  enforcement: '执法事项类',
} as const

export const CATEGORY_KIND_TAGS: Readonly<Record<string, TagType>> = {
  component: 'warning',
  event: 'primary',
  enforcement: 'danger',
}

/** Workflow stages in handling order. */
export const STAGE_LABELS = {
  receive: '受理',
  file: '立案',
  dispatch: '派遣',
  handle: '处置',
  report: '反馈',
  verify: '核查',
  close: '结案',
} as const

export const RESPONSIBILITY_TIER_LABELS = {
  city: '市级',
  county: '县级',
  township: '乡镇级',
} as const

export const RESPONSIBILITY_TIER_TAGS: Readonly<Record<string, TagType>> = {
  city: 'danger',
  county: 'primary',
  township: 'success',
}

export const CONFIG_ENTITY_LABELS = {
  category: '分类',
  case_type: '类型',
  severity: '程度等级',
  numbering_rule: '编码规则',
  responsibility: '权责清单',
  dedup_setting: '去重配置',
  source: '线索来源',
} as const

export const CONFIG_ACTION_LABELS = {
  create: '新增',
  update: '修改',
  delete: '删除',
} as const

export const CONFIG_ACTION_TAGS: Readonly<Record<string, TagType>> = {
  create: 'success',
  update: 'primary',
  delete: 'danger',
}

// ---- clue sources (F02) -------------------------------------------------------------------------

export const SOURCE_KIND_LABELS = {
  county: '县（市、区）',
  department: '部门',
  zhiguantong: '智管通',
  hotline: '12345热线',
  province: '省执法平台',
  manual: '人工录入',
  other: '其他',
} as const

export const SOURCE_KIND_TAGS: Readonly<Record<string, TagType>> = {
  county: 'primary',
  department: 'warning',
  zhiguantong: 'success',
  hotline: 'danger',
  province: 'primary',
  manual: 'info',
  other: 'info',
}

/** Fields of the intake standard (接入标准), for the field mapping of a source. */
export const INTAKE_FIELD_LABELS = {
  source_clue_id: '来源线索编号',
  occurred_at: '发生时间',
  reported_at: '上报时间',
  description: '问题描述',
  address: '地址',
  region_code: '区划代码',
  category_code: '分类编码',
  longitude: '经度',
  latitude: '纬度',
  coord_system: '坐标系',
  reporter_name: '举报人姓名',
  reporter_phone: '举报人电话',
  reporter_id_number: '举报人身份证号',
  subject_credit_code: '主体信用代码',
  subject_name: '主体名称',
} as const

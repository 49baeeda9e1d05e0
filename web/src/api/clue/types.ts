// Types of the clue center configuration API (sources F02, handling rules F04–F11): short aliases
// of the generated schema (openapi.json → schema.d.ts via `npm run gen:api`), as in ../types.ts,
// plus the UI's own enumerations. The generator types enumerated fields as plain `string` and
// nullable fields as optional, so code reads enumerated values through the `as…`/`is…` helpers
// below and `labelOf`.
import type { components } from '../schema'

type Schemas = components['schemas']

// ---- enumerations (the UI's own; the wire may carry values the UI does not know yet) ----------

export const CATEGORY_LEVELS = ['major', 'minor'] as const
export type CategoryLevel = (typeof CATEGORY_LEVELS)[number]

export const CATEGORY_KINDS = ['component', 'event', 'enforcement'] as const
export type CategoryKind = (typeof CATEGORY_KINDS)[number]

/** Workflow stages in handling order (受理 → 结案). */
export const STAGES = ['receive', 'file', 'dispatch', 'handle', 'report', 'verify', 'close'] as const
export type Stage = (typeof STAGES)[number]

export const RESPONSIBILITY_TIERS = ['city', 'county', 'township'] as const
export type ResponsibilityTier = (typeof RESPONSIBILITY_TIERS)[number]

export const CONFIG_ENTITIES = [
  'category',
  'case_type',
  'severity',
  'numbering_rule',
  'responsibility',
  'dedup_setting',
  'source',
] as const
export type ConfigEntity = (typeof CONFIG_ENTITIES)[number]

/** Kinds of clue sources (线索来源). */
export const SOURCE_KINDS = ['county', 'department', 'zhiguantong', 'hotline', 'province', 'manual', 'other'] as const
export type SourceKind = (typeof SOURCE_KINDS)[number]

/** Fields of the intake standard a source may map from its own field names (in the standard's order). */
export const INTAKE_FIELDS = [
  'source_clue_id',
  'occurred_at',
  'reported_at',
  'description',
  'address',
  'region_code',
  'category_code',
  'longitude',
  'latitude',
  'coord_system',
  'reporter_name',
  'reporter_phone',
  'reporter_id_number',
  'subject_credit_code',
  'subject_name',
] as const
export type IntakeField = (typeof INTAKE_FIELDS)[number]

export const CONFIG_ACTIONS = ['create', 'update', 'delete'] as const
export type ConfigAction = (typeof CONFIG_ACTIONS)[number]

function narrow<T extends string>(values: readonly T[], fallback: T): (v: string | null | undefined) => T {
  return (v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback)
}

/** A wire value as a known kind (unknown values become `event`, the most common kind). */
export const asCategoryKind = narrow(CATEGORY_KINDS, 'event')
export const asResponsibilityTier = narrow(RESPONSIBILITY_TIERS, 'county')
/** Unknown kinds become `other`. */
export const asSourceKind = narrow(SOURCE_KINDS, 'other')

export function isIntakeField(v: string | null | undefined): v is IntakeField {
  return typeof v === 'string' && (INTAKE_FIELDS as readonly string[]).includes(v)
}

export function isStage(v: string | null | undefined): v is Stage {
  return typeof v === 'string' && (STAGES as readonly string[]).includes(v)
}

// ---- categories (大类 / 小类, F04/F05) --------------------------------------------------------

/** `{stage, time_limit_minutes (null = inherit from the major, or none), requirement}` */
export type StageRule = Schemas['StageRule']
export type Category = Schemas['Category']
/** `level` is derived by the server: no parent = major. A minor's kind must equal its major's. */
export type CategoryInput = Schemas['CategoryInput']

// ---- case types (类型, F06) ------------------------------------------------------------------

export type CaseType = Schemas['CaseType']
export type CaseTypeInput = Schemas['CaseTypeInput']

// ---- severities (程度等级, F08) --------------------------------------------------------------

/** `rank` 1 = most urgent; `time_limit_percent` 100 = normal time limit, 50 = half. */
export type Severity = Schemas['Severity']
export type SeverityInput = Schemas['SeverityInput']

// ---- numbering rules (编码规则, F07) ----------------------------------------------------------

/** Exactly one rule is active. */
export type NumberingRule = Schemas['NumberingRule']
export type NumberingRuleInput = Schemas['NumberingRuleInput']
export type NumberingPreviewRequest = Schemas['NumberingPreviewRequest']
/** Never a 422 for a bad pattern: `ok = false` with `error` instead. */
export type NumberingPreview = Schemas['NumberingPreview']

// ---- responsibility list (权责清单 + 处置时长, F09/F11) ----------------------------------------

export type Responsibility = Schemas['Responsibility']
/** Unique per (category_id, region_code): 409 `duplicate`. */
export type ResponsibilityInput = Schemas['ResponsibilityInput']
export type ResponsibilityPage = Schemas['ResponsibilityPage']
export type ResponsibilityImportReport = Schemas['ResponsibilityImportReport']

// ---- dedup settings (去重配置, F10) -----------------------------------------------------------

/** `category_id` null = the global default; thresholds 0–1 with low ≤ high. */
export type DedupSetting = Schemas['DedupSetting']
export type DedupSettingInput = Schemas['DedupSettingInput']

// ---- clue sources (线索来源, F02) ------------------------------------------------------------

/**
 * A system that pushes clues. `category_mapping`: the source's category code → our minor category
 * code; `field_mapping`: our intake field → the source's field name. `app_key` never changes.
 */
export type Source = Schemas['Source']
/** `code` unique (409); `kind` one of SOURCE_KINDS; `callback_url` http(s). */
export type SourceInput = Schemas['SourceInput']
/** `app_key` and `secret`: the secret is shown once (after create and rotate) and never again. */
export type SourceSecret = Schemas['SourceSecret']
export type SourceCreated = Schemas['SourceCreated']

// ---- config versions ---------------------------------------------------------------------------

/** `snapshot` is the record as saved (before the change for `delete`). */
export type ConfigVersion = Schemas['ConfigVersion']
export type ConfigVersionPage = Schemas['ConfigVersionPage']

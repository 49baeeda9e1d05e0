// Client-side checks mirroring the server's rules. The server stays authoritative: its
// `validation_failed` field errors are shown next to the same fields.

export const USERNAME_PATTERN = /^[a-zA-Z0-9_.]{3,32}$/
export const PHONE_PATTERN = /^1[3-9]\d{9}$/
/** 17 digits + a digit or X (GB 11643). */
export const ID_NUMBER_PATTERN = /^\d{17}[\dXx]$/
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const ROLE_CODE_PATTERN = /^[a-z][a-z0-9_]{1,31}$/
export const DICT_CODE_PATTERN = /^[a-z][a-z0-9_]{1,63}$/
/** Codes of clue case types and severities: as dictionary codes. */
export const CONFIG_CODE_PATTERN = DICT_CODE_PATTERN
/** Codes of clue categories (大类 01, 小类 0101 …): 1–16 letters, digits, `_` or `-`. */
export const CATEGORY_CODE_PATTERN = /^[A-Za-z0-9_-]{1,16}$/

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_HINT = '至少 10 位，且包含大写字母、小写字母、数字、符号中的至少 3 类'

/** Number of character classes (upper, lower, digit, symbol) present in `pwd`. */
export function passwordClasses(pwd: string): number {
  let n = 0
  if (/[A-Z]/.test(pwd)) n++
  if (/[a-z]/.test(pwd)) n++
  if (/\d/.test(pwd)) n++
  if (/[^A-Za-z0-9]/.test(pwd)) n++
  return n
}

/** null when acceptable, otherwise the Chinese reason. */
export function checkPassword(pwd: string): string | null {
  if (pwd.length < PASSWORD_MIN_LENGTH) return `密码长度至少 ${PASSWORD_MIN_LENGTH} 位`
  if (passwordClasses(pwd) < 3) return '密码需包含大写字母、小写字母、数字、符号中的至少 3 类'
  return null
}

/** Element Plus form-rule validator built from a check returning a reason or null. */
export function ruleFrom(
  check: (value: string) => string | null,
): (rule: unknown, value: unknown, callback: (error?: Error) => void) => void {
  return (_rule, value, callback) => {
    const reason = check(typeof value === 'string' ? value : value == null ? '' : String(value))
    if (reason) callback(new Error(reason))
    else callback()
  }
}

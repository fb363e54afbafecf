// Password policy A2 (SECURITY.md §3 items 3-4), checked live beside the
// field and again before submit. The server never sees the password, so this
// is the only place it can be checked; `password_ok: true` asserts it was.
import { isBreached } from './breached.js';

export const MIN_LENGTH = 12;
export const MAX_LENGTH = 128;

/** Length in characters as a person counts them (code points, so an emoji is one). */
export function passwordLength(pw) {
  return [...String(pw).normalize('NFC')].length;
}

/** More than MAX_LENGTH characters (refused, not truncated). */
export function isTooLong(pw) {
  return passwordLength(pw) > MAX_LENGTH;
}

/** The composition rules, in display order: [{ key, ok }]. key is the i18n suffix. */
export function passwordRules(pw, confirm) {
  const s = String(pw ?? '');
  const n = passwordLength(s);
  const rules = [
    { key: 'length', ok: n >= MIN_LENGTH && n <= MAX_LENGTH },
    { key: 'upper', ok: /\p{Lu}/u.test(s) },
    { key: 'lower', ok: /\p{Ll}/u.test(s) },
    { key: 'digit', ok: /\p{Nd}/u.test(s) },
  ];
  if (confirm !== undefined) rules.push({ key: 'match', ok: s.length > 0 && s === confirm });
  return rules;
}

/**
 * The first problem with a new password, as an i18n key suffix, or null:
 * 'length' | 'too_long' | 'upper' | 'lower' | 'digit' | 'match' | 'breached'.
 */
export async function passwordProblem(pw, confirm) {
  if (isTooLong(pw)) return 'too_long';
  const bad = passwordRules(pw, confirm).find((r) => !r.ok);
  if (bad) return bad.key;
  if (await isBreached(pw)) return 'breached';
  return null;
}

// Mobile numbers (S10): parsed to E.164, shown grouped, shown masked.

/**
 * A Dutch mobile or international number in E.164 (S10), or null.
 * "06-12345678", "06 1234 5678", "+31 6 12345678", "0031612345678".
 */
export function normalizePhone(input) {
  const s = String(input ?? '').replace(/[\s().-]/g, '');
  if (s === '') return '';
  let e;
  if (/^06\d{8}$/.test(s)) e = `+31${s.slice(1)}`;
  else if (/^00\d{8,15}$/.test(s)) e = `+${s.slice(2)}`;
  else if (/^\+\d{8,15}$/.test(s)) e = s;
  else return null;
  if (e.startsWith('+31') && !/^\+316\d{8}$/.test(e)) return null;
  return e;
}

/** "+31612345678" → "+31 6 1234 5678" for display. */
export function formatPhone(e164) {
  const m = /^\+316(\d{4})(\d{4})$/.exec(e164 || '');
  return m ? `+31 6 ${m[1]} ${m[2]}` : e164 || '';
}

/** "+31612345678" → "+31 6 ******78" (the sender's report shows no full number). */
export function maskPhone(e164) {
  // The same form as the recipient's link page (receive_mask_phone in
  // src/domain/receive.c): "+31 6 ******78", else the first three and the
  // last two characters with stars between.
  if (!e164) return '';
  const s = String(e164);
  if (/^\+316\d{8}$/.test(s)) return `+31 6 ******${s.slice(-2)}`;
  return [...s].map((c, i) => (i < 3 || i >= s.length - 2 ? c : '*')).join('');
}

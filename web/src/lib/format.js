// Sizes, dates and durations as the pages show them (locale digits, the
// Europe/Amsterdam clock).

/** 1536 → "1,5 kB" (decimal units, locale digits). */
export function formatSize(bytes, lang = 'nl') {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = Number(bytes), u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${v.toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: digits })} ${units[u]}`;
}

/** Unix seconds → "12 maart 2026 om 14:05" in Europe/Amsterdam. */
export function formatDateTime(seconds, lang = 'nl') {
  if (seconds == null) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short',
  }).format(new Date(seconds * 1000));
}

/** Seconds → "3 min 20 s" / "45 s". */
export function formatDuration(s) {
  s = Math.max(0, Math.round(s));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} u ${m % 60} min`;
}

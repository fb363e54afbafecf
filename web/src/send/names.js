// Plain helpers for the compose and message pages: file names (the same
// rules the server applies, so a name it would refuse with bad_file_name is
// cleaned here first), the extension list (S3), mobile numbers (S10), sizes,
// dates and a MIME type for the manifest. No DOM, no crypto: also run in node.

// Controls (C0, DEL, C1) and the bidi/invisible format characters that can
// make "rapport‮fdp.exe" look like a PDF.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * The name the server and the manifest get: basename only, NFC, control
 * characters removed, no leading or trailing spaces, no trailing dots, a
 * Windows device name prefixed with "_", at most 255 characters.
 */
export function sanitizeName(raw) {
  let n = String(raw ?? '').normalize('NFC');
  n = n.split(/[\\/]/).pop();
  n = n.replace(CONTROL, '').replace(/:/g, '_');
  n = n.replace(/^\s+/, '').replace(/[\s.]+$/, '');
  if (n === '' || n === '.' || n === '..') n = 'document';
  if (DEVICE.test(n)) n = `_${n}`;
  // At most 255 UTF-8 bytes (the server's limit), keeping the extension.
  const enc = new TextEncoder();
  if (enc.encode(n).length > 255) {
    const dot = n.lastIndexOf('.');
    const ext = dot > 0 && n.length - dot <= 16 ? n.slice(dot) : '';
    let stem = [...n.slice(0, n.length - ext.length)];
    while (enc.encode(stem.join('') + ext).length > 255) stem.pop();
    n = stem.join('').replace(/\s+$/, '') + ext;
  }
  return n;
}

/** A name for display: bidi and other invisible characters shown as ⟨U+202E⟩. */
export function displayName(name) {
  let out = '';
  for (const ch of String(name)) {
    const cp = ch.codePointAt(0);
    if (BIDI.test(ch) || (cp < 0x20) || (cp >= 0x7f && cp <= 0x9f))
      out += `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    else out += ch;
  }
  return out;
}

/** The lower-case extension after the last dot, or ''. */
export function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function extensionAllowed(name, allowed) {
  const ext = extensionOf(name);
  return ext !== '' && allowed.includes(ext);
}

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

/** The part after "@", lower case. */
export function domainOf(email) {
  const at = String(email).lastIndexOf('@');
  return at > 0 ? String(email).slice(at + 1).toLowerCase() : '';
}

export function validEmail(email) {
  return /^[^\s@"<>()[\],;:\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(String(email)) && String(email).length <= 254;
}

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

const MIME = {
  eps: 'application/postscript', gif: 'image/gif', jpeg: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text', xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet', pps: 'application/vnd.ms-powerpoint',
  ppsx: 'application/vnd.openxmlformats-officedocument.presentationml.slideshow', ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odp: 'application/vnd.oasis.opendocument.presentation', zip: 'application/zip', rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed', gz: 'application/gzip', tgz: 'application/gzip', gzip: 'application/gzip',
  lzma: 'application/x-lzma', cab: 'application/vnd.ms-cab-compressed', bzip2: 'application/x-bzip2',
  bz2: 'application/x-bzip2', z: 'application/x-compress', pdf: 'application/pdf', txt: 'text/plain',
};

/** The manifest's mime, from the extension (stable across a reload, unlike File.type). */
export function mimeFor(name) {
  return MIME[extensionOf(name)] ?? 'application/octet-stream';
}

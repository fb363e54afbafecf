// Names a received document gets on disk and inside "Download archief"
// (SECURITY.md §1.10: Zip Slip). The sender may be hostile, so a name from
// the manifest is only ever used as one plain file name: basename only, no
// "..", "/", "\", drive letters, control or bidi characters, no Windows
// reserved names or characters, and names made unique inside one archive.
// No DOM, no crypto: also runs in node.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi controls and invisible format characters ("rapport\u202Efdp.exe").
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;
const RESERVED = /[<>:"|?*]/g;
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
const MAX_BYTES = 255;

function utf8Length(s) {
  return new TextEncoder().encode(s).length;
}

/** Shortens to at most 255 UTF-8 bytes, keeping a short extension. */
function clip(n) {
  if (utf8Length(n) <= MAX_BYTES) return n;
  const dot = n.lastIndexOf('.');
  const ext = dot > 0 && n.length - dot <= 16 ? n.slice(dot) : '';
  const stem = [...n.slice(0, n.length - ext.length)];
  while (stem.length && utf8Length(stem.join('') + ext) > MAX_BYTES) stem.pop();
  return stem.join('') + ext;
}

/** One safe file name from a (possibly hostile) document name. */
export function safeFileName(raw) {
  let n = String(raw ?? '').normalize('NFC');
  n = n.replace(CONTROL, '').replace(INVISIBLE, '');
  n = n.split(/[\\/]/).pop(); // basename: nothing before the last separator
  n = n.replace(/^[A-Za-z]:/, ''); // "C:evil.txt"
  n = n.replace(RESERVED, '_');
  n = n.replace(/^[\s.]+/, '').replace(/[\s.]+$/, ''); // "..", ".hidden", "name. "
  if (n === '') n = 'document';
  if (DEVICE.test(n)) n = `_${n}`;
  return clip(n);
}

/**
 * Entry names for an archive: safeFileName of each, and equal names
 * (case-insensitively, as on Windows and macOS) made unique as
 * "naam (2).pdf", "naam (3).pdf".
 */
export function archiveNames(names) {
  const taken = new Set();
  return names.map((raw) => {
    const base = safeFileName(raw);
    let name = base;
    const dot = base.lastIndexOf('.');
    const stem = dot > 0 ? base.slice(0, dot) : base;
    const ext = dot > 0 ? base.slice(dot) : '';
    for (let k = 2; taken.has(name.toLowerCase()); k++) name = clip(`${stem} (${k})${ext}`);
    taken.add(name.toLowerCase());
    return name;
  });
}

/** The archive's own name: "<kenmerk or onderwerp>.zip", else "documenten.zip". */
export function archiveFileName(manifest, fallback = 'documenten') {
  const base = safeFileName(manifest?.reference || manifest?.subject || fallback);
  return clip(`${base === 'document' ? fallback : base}.zip`);
}

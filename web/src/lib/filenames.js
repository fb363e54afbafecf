// File names as the sender's browser gives them to the server and the
// manifest (the same rules the server applies, so a name it would refuse with
// bad_file_name is cleaned here first), for display, and the extension list
// (S3). No DOM, no crypto: also run in node.

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

// Envelope errors. Every failure of the STF1 code throws EnvelopeError with a
// short, stable `.code`; the codes are the C implementation's names
// (docs/format-stf1.md) so vectors, logs and UI texts match across both sides.
// The UI maps a code to a message through the catalogue; `.message` is for logs
// and never contains key material.

export const CODES = Object.freeze([
  // header, in the order a reader checks them (format-stf1.md §2)
  'magic', 'version', 'suite', 'record_size', 'flags', 'reserved', 'header_mac',
  // records
  'record_auth', 'truncated', 'trailing', 'short_record', 'counter',
  // sizes (ciphertext_size overflow, a length no plaintext produces)
  'size',
  // stanzas
  'zero_shared_secret', 'stanza_auth',
  // manifest
  'manifest_invalid', 'manifest_auth', 'signature',
  // client floors for server-supplied parameters (W10)
  'params',
  // bad arguments from our own callers (a programming error, not an attack)
  'argument',
]);

const KNOWN = new Set(CODES);

export class EnvelopeError extends Error {
  constructor(code, detail) {
    // An unknown code is a bug in this package; keep it visible instead of
    // silently inventing a name the C side does not have.
    const c = KNOWN.has(code) ? code : 'argument';
    super(detail ? `${c}: ${detail}` : c);
    this.name = 'EnvelopeError';
    this.code = c;
  }
}

export function fail(code, detail) {
  throw new EnvelopeError(code, detail);
}

// True if `e` is an EnvelopeError with the given code (or any code if omitted).
export function isEnvelopeError(e, code) {
  return e instanceof EnvelopeError && (code === undefined || e.code === code);
}

// Hard-coded client floors (SECURITY.md §1.4, W10, checklist #6). Values the
// server supplies are only ever checked against these, never trusted: a
// malicious server must not be able to downgrade the suite, the record size
// or the password KDF (FileSender's key_version 0 shows why).
import { fail } from './errors.js';

export const FLOORS = Object.freeze({
  suites: Object.freeze([1]),
  recordSizeLog2: Object.freeze({ min: 16, max: 22 }),
  argon2id: Object.freeze({ minMemoryKiB: 65536, minIterations: 3, parallelism: 1, saltLen: 16, hashLen: 32 }),
  // The WebCrypto-only fallback of §1.2, if WASM is not allowed.
  pbkdf2: Object.freeze({ minIterations: 600000, saltLen: 16 }),
});

// Upper bounds too: a server could otherwise make the client allocate
// gigabytes or spin for minutes (a client-side DoS), so keep them sane.
const ARGON2_MAX_MEMORY_KIB = 4 * 1024 * 1024;
const ARGON2_MAX_ITER = 64;
const PBKDF2_MAX_ITER = 10_000_000;

function int(x) { return Number.isSafeInteger(x) ? x : NaN; }

export function checkSuite(suite) {
  if (!FLOORS.suites.includes(suite)) fail('suite', `suite ${suite} not accepted`);
  return suite;
}

export function checkRecordSizeLog2(log2) {
  const { min, max } = FLOORS.recordSizeLog2;
  if (!Number.isInteger(log2) || log2 < min || log2 > max) fail('record_size', `record_size_log2 ${log2}`);
  return log2;
}

// Validates pre-login KDF parameters from the server ({alg, m, t, p} for
// Argon2id, {alg, iterations} for PBKDF2; salt as bytes or b64u string
// checked by the caller's decoder). Throws EnvelopeError('params') and
// returns a frozen copy of only the fields we know, so stray fields from the
// server cannot reach the KDF call.
export function checkKdfParams(kdf) {
  if (!kdf || typeof kdf !== 'object') fail('params', 'missing kdf parameters');
  const alg = String(kdf.alg ?? kdf.algorithm ?? '').toLowerCase();
  if (alg === 'argon2id') {
    const f = FLOORS.argon2id;
    const m = int(kdf.m), t = int(kdf.t), p = int(kdf.p);
    if (!(m >= f.minMemoryKiB && m <= ARGON2_MAX_MEMORY_KIB)) fail('params', `argon2id m=${kdf.m}`);
    if (!(t >= f.minIterations && t <= ARGON2_MAX_ITER)) fail('params', `argon2id t=${kdf.t}`);
    if (p !== f.parallelism) fail('params', `argon2id p=${kdf.p}`);
    return Object.freeze({ alg, m, t, p });
  }
  if (alg === 'pbkdf2-sha256') {
    const it = int(kdf.iterations);
    if (!(it >= FLOORS.pbkdf2.minIterations && it <= PBKDF2_MAX_ITER)) fail('params', `pbkdf2 iterations=${kdf.iterations}`);
    return Object.freeze({ alg, iterations: it });
  }
  return fail('params', `kdf algorithm ${JSON.stringify(alg)} not accepted`);
}

// The file parameters a server may propose for an upload.
export function checkFileParams({ suite, recordSizeLog2 }) {
  return Object.freeze({ suite: checkSuite(suite), recordSizeLog2: checkRecordSizeLog2(recordSizeLog2) });
}

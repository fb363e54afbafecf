// The upload Worker: turns a byte range of a file's STF1 ciphertext into
// bytes, reading the matching plaintext from the File itself, so neither the
// plaintext nor FK is ever handled by the page (SECURITY.md §1.3, §1.9,
// STYLE rule 27). Records are deterministic given FK, index and salt, so a
// retry or a tus resume at any offset gets identical bytes.
// The page talks to it through lib/rpc.js (method(args) → result):
//   open({fid, fk, header: ArrayBuffer, file: File})   → {size}
//   range({fid, start, end})                           → {data: [Uint8Array]} (buffers moved)
//   close({fid})                                       → {}
import { EnvelopeError } from '../crypto/errors.js';
import { HEADER_LEN, TAG_LEN, ciphertextSize, encryptRecord, locateOffset, recordCount } from '../crypto/stf1.js';
import { inWorker, serve, transfer } from '../lib/rpc.js';

const files = new Map(); // fid → {fk, header, file, P, R, n, size, tail}

function get(fid) {
  const f = files.get(fid);
  if (!f) throw new EnvelopeError('argument', 'unknown file handle');
  return f;
}

// Bytes [start, end) of the ciphertext, as a list of byte arrays in order
// (the page makes one Blob of them: assembling them here first would cost
// one more copy into fresh memory per chunk, which is dear, see
// bench/README.md). The first record of the range is found with
// locateOffset; the header counts as part of record 0's span.
async function range(f, start, end) {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start <= end && end <= f.size))
    throw new EnvelopeError('argument', 'range outside the object');
  if (end === start) return [];
  const { record: first } = locateOffset(start, f.log2);
  const full = f.R + TAG_LEN;
  const last = Math.min(f.n - 1, locateOffset(end - 1, f.log2).record);
  // The plaintext of these records in one read: a Blob read is a round trip
  // to the browser process, and 1 MiB reads ran at a fraction of the speed
  // of one read of a few MiB. Then AES-GCM record by record. A chunk
  // boundary falls inside a record, so the next range usually starts with
  // this range's last record: it is kept (f.tail) and not encrypted twice.
  // Everything up to the first await is synchronous, so the next request
  // (handled after this one's first await) already sees f.tail.
  const reuse = f.tail && f.tail.i === first ? f.tail.p : null;
  const lo = reuse ? first + 1 : first;
  const plain = lo <= last ? f.file.slice(lo * f.R, Math.min(f.P, (last + 1) * f.R)).arrayBuffer() : null;
  const recs = reuse ? [reuse] : [];
  for (let i = lo; i <= last; i++) {
    const a = (i - lo) * f.R;
    recs.push(plain.then((b) => encryptRecord(f.fk, f.header, i, new Uint8Array(b, a, Math.min(b.byteLength - a, f.R)), i === f.n - 1)));
  }
  const tail = (f.tail = { i: last, p: recs[recs.length - 1] });
  const done = await Promise.all(recs);
  const out = [];
  if (start < HEADER_LEN) out.push(f.header.slice(start, Math.min(end, HEADER_LEN)));
  for (let k = 0; k < done.length; k++) {
    const at = HEADER_LEN + (first + k) * full; // ciphertext offset of the record
    const a = Math.max(start, at), b = Math.min(end, at + done[k].length);
    if (a >= b) continue;
    // A whole record is handed over (transferred, no copy); a part, or the
    // record kept for the next range, is copied.
    const whole = a === at && b === at + done[k].length;
    if (whole && f.tail === tail && first + k === last) f.tail = null;
    out.push(whole ? done[k] : done[k].slice(a - at, b - at));
  }
  return out;
}

const OPS = {
  open({ fid, fk, header: buf, file }) {
    const header = new Uint8Array(buf);
    if (header.length !== HEADER_LEN) throw new EnvelopeError('argument', 'header');
    const log2 = header[6], P = file.size;
    const f = { fk, header, file, P, log2, R: 2 ** log2, n: recordCount(P, log2), size: ciphertextSize(P, log2) };
    files.set(fid, f);
    return { size: f.size };
  },
  async range({ fid, start, end }) {
    const data = await range(get(fid), start, end);
    return transfer({ data }, data.map((d) => d.buffer));
  },
  close({ fid }) {
    files.delete(fid);
    return {};
  },
};

// A File changed or removed on disk is NotReadableError: say so plainly.
const codeOf = (e) => (e instanceof EnvelopeError ? e.code : e?.name === 'NotReadableError' ? 'file_changed' : 'argument');

if (inWorker()) serve(OPS, { codeOf });

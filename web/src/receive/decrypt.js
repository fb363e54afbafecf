// One received document as a stream of verified plaintext: fetches the STF1
// ciphertext (GET …/files/{file_id}), checks the header against the signed
// manifest (header_sha256) and its MAC, then decrypts record by record. The
// record count comes from the manifest's size, so the final record is known
// in advance: the stream ends only after that record verified with the
// final flag and no byte follows it (SECURITY.md §1.3, §1.10).
//
// An interrupted fetch continues with a Range request from the last
// verified record boundary. Memory: AHEAD records plus what the network
// layer buffers, whatever the size of the file.
import { b64uEncode } from '../crypto/b64u.js';
import { sha256 } from '../crypto/bytes.js';
import { EnvelopeError, fail } from '../crypto/errors.js';
import { openFile } from '../crypto/stream.js';
import { HEADER_LEN, TAG_LEN, ciphertextSize, decryptRecord, recordCount } from '../crypto/stf1.js';

export const RETRY_DELAYS = [500, 1000, 2000, 4000, 8000];
/** Records in flight (read, being decrypted) ahead of the one given out. */
const AHEAD = 4;

/** HTTP trouble while fetching: status 0 for the network. */
export class FetchError extends Error {
  constructor(status, code) {
    super(code || `http_${status}`);
    this.name = 'FetchError';
    this.status = status;
    this.code = code || (status ? `http_${status}` : 'network');
  }
}

async function errorCode(res) {
  try {
    const j = await res.json();
    return typeof j?.error?.code === 'string' ? j.error.code : undefined;
  } catch {
    return undefined;
  }
}

// Chunks in, exact-length pieces out (a record at a time).
class Buffered {
  constructor(reader) {
    this.reader = reader;
    this.chunks = [];
    this.length = 0;
    this.eof = false;
  }
  async fill(n) {
    while (this.length < n && !this.eof) {
      const { done, value } = await this.reader.read();
      if (done) this.eof = true;
      else if (value.length) {
        this.chunks.push(value);
        this.length += value.length;
      }
    }
    return this.length >= n;
  }
  // Into `into` when it is large enough (a buffer used again and again: a
  // fresh megabyte per record costs page faults that showed in profiles).
  take(n, into) {
    const out = into && into.length >= n ? into.subarray(0, n) : new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.length -= n;
    return out;
  }
  cancel() {
    this.reader.cancel().catch(() => {});
  }
}

const sleep = (ms, signal) =>
  new Promise((res, rej) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); rej(signal.reason); }, { once: true });
  });

/**
 * ReadableStream of the verified plaintext of one document.
 * K: the message key (HKDF CryptoKey); msgId: 16 bytes; file: the manifest's
 * entry {index, size, header_sha256}; url: the ciphertext URL.
 * onBytes(n) after each verified record; fetchImpl for tests.
 */
export function decryptedStream({ K, msgId, file, url, onBytes, signal, fetchImpl = fetch, retryDelays = RETRY_DELAYS }) {
  let header = null, fk = null, R = 0, n = 0, total = 0, i = 0, src = null, tries = 0, cancelled = false;

  async function connect() {
    src?.cancel();
    src = null;
    const from = header ? HEADER_LEN + i * (R + TAG_LEN) : 0;
    let res;
    try {
      res = await fetchImpl(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: from ? { Range: `bytes=${from}-` } : {},
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new FetchError(0, 'network');
    }
    if (from && res.status === 416) fail('truncated', 'the object ends before the next record');
    if (res.status !== (from ? 206 : 200)) throw new FetchError(res.status, await errorCode(res));
    if (from) {
      const m = /^bytes (\d+)-/.exec(res.headers.get('Content-Range') || '');
      if (!m || Number(m[1]) !== from) throw new FetchError(res.status, 'bad_range');
    }
    src = new Buffered(res.body.getReader());
  }

  // Exactly len bytes of the object at the current position; a broken or
  // short connection is retried from the last verified record boundary.
  async function read(len, into) {
    for (;;) {
      if (cancelled) throw new DOMException('The stream was cancelled', 'AbortError');
      try {
        if (!src) await connect();
        if (await src.fill(len)) {
          tries = 0;
          return src.take(len, into);
        }
      } catch (e) {
        if (e instanceof EnvelopeError || signal?.aborted) throw e;
        if (e instanceof FetchError && e.status !== 0) throw e;
        // read() rejects with a TypeError when the connection drops
      }
      src?.cancel();
      src = null;
      if (tries >= retryDelays.length) fail('truncated', 'the download stopped before the end');
      await sleep(retryDelays[tries++], signal);
    }
  }

  async function openHeader() {
    const h = await read(HEADER_LEN);
    if (b64uEncode(await sha256(h)) !== file.header_sha256) fail('header_mac', 'header differs from the manifest');
    ({ fk } = await openFile({ K, msgId, fileIndex: file.index, header: h }));
    header = h;
    R = 2 ** h[6];
    n = recordCount(file.size, h[6]);
    total = ciphertextSize(file.size, h[6]);
  }

  // Records read and handed to AES-GCM but not yet given out, oldest first:
  // while the consumer writes one record to disk, the next ones are read
  // and decrypted (a strict read → decrypt → write turn left each stage
  // idle two thirds of the time). Verified plaintext still leaves in order.
  // One ciphertext buffer serves every record: WebCrypto copies its input
  // when decrypt() is called (WebCrypto spec, "get a copy of the bytes").
  const ahead = [];
  let readAll = false, cbuf = null;

  async function readAhead() {
    while (!readAll && ahead.length < AHEAD) {
      const idx = i, last = idx === n - 1;
      const len = last ? total - HEADER_LEN - (n - 1) * (R + TAG_LEN) : R + TAG_LEN;
      cbuf ??= new Uint8Array(R + TAG_LEN);
      const c = await read(len, cbuf);
      i++;
      const p = decryptRecord(fk, header, idx, c, last);
      p.catch(() => {}); // seen in order below
      ahead.push({ p, last });
      readAll = last;
    }
  }

  // The reading runs on its own ("pump"): a record that is decrypted goes
  // out at once instead of waiting until the network has delivered the one
  // AHEAD records later. A failure is kept and thrown by the next pull.
  let pump = null, pumpError = null;
  function topUp() {
    if (!pump && !readAll && !pumpError)
      pump = readAhead()
        .catch((e) => { pumpError = e; })
        .finally(() => { pump = null; });
    return pump;
  }

  return new ReadableStream(
    {
      async pull(controller) {
        if (!header) await openHeader();
        while (!ahead.length) {
          if (pumpError) throw pumpError;
          const running = topUp();
          if (!running) fail('argument', 'no record left to read'); // cannot happen: the final record closes the stream
          await running;
        }
        const { p: plain, last } = ahead.shift();
        topUp();
        const p = await plain;
        if (last) {
          // Nothing may follow the final record.
          if (src.length || (await src.fill(1))) fail('trailing', 'bytes after the final record');
          src.cancel();
        }
        if (p.length) controller.enqueue(p);
        onBytes?.(p.length);
        if (last) controller.close();
      },
      cancel() {
        cancelled = true;
        src?.cancel();
      },
    },
    { highWaterMark: 0 },
  );
}

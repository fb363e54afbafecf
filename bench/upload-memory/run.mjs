// Server memory during a large upload: RSS of securetransferd sampled every
// 100 ms while a stock tus-js-client uploads SIZE MiB of STF1 ciphertext
// (default 1024). Prints a small markdown table. The upload streams: RSS
// growth should be a few MiB whatever the size.
import { readFileSync } from 'node:fs';
import { startServer } from '../../tests/lib/server.mjs';
import { employee, encrypt, tusUpload, createMessage } from '../../tests/lib/send.mjs';

const MiB = 1 << 20;
const sizeMiB = Number(process.argv[2] || 1024);
const rss = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;

const srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, send: { chunk_size: 16 * MiB } } });
try {
  const c = await employee(srv, 'bench@org.nl');
  const m = (await createMessage(c, [{ name: 'groot.zip', size: sizeMiB * MiB }])).json;
  const plain = Buffer.alloc(sizeMiB * MiB, 0x5a);
  const { ciphertext } = encrypt(plain, m.id, 0);
  const before = rss(srv.proc.pid);
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, rss(srv.proc.pid)); }, 100);
  const t0 = Date.now();
  await tusUpload(c, m.files[0].id, ciphertext, { chunkSize: 16 * MiB });
  const secs = (Date.now() - t0) / 1000;
  clearInterval(timer);
  const after = rss(srv.proc.pid);
  console.log('| upload | size | seconds | MiB/s | RSS before | RSS peak | growth |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| tus, 16 MiB PATCHes, fdatasync each | ${sizeMiB} MiB | ${secs.toFixed(1)} | ${(sizeMiB / secs).toFixed(0)} | ${before.toFixed(1)} MiB | ${peak.toFixed(1)} MiB | ${(peak - before).toFixed(1)} MiB |`);
  void after;
} finally {
  await srv.stop();
}

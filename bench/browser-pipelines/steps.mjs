// The send pipeline's steps one at a time in headless Chromium, each over
// BENCH_STEPS_MIB (default 256) MiB, with the browser's CPU seconds per GiB
// (its process tree, /proc) and MiB/s (issue 28: where the send path's CPU
// goes). On the page's main thread, as plain as possible:
//   read    File.slice(16 MiB).arrayBuffer(), chunk after chunk
//   aes     WebCrypto AES-256-GCM encrypt of 1 MiB records (fresh output each)
//   blob    new Blob(16 × 1 MiB ArrayBuffers) per 16 MiB chunk (what tus-js-client's XHR sends)
//   xhr     a Blob as above and its XHR POST to a node sink on 127.0.0.1 (xhr − blob: the send)
//   all     read → aes per record → Blob → XHR, one chunk after another
//   node bench/browser-pipelines/steps.mjs
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launchBrowser } from '../../tests/lib/browser.mjs';
import { MiB, childProcessesNamed, cpuSeconds, envNum, fmt, table, tempDir } from '../lib/bench.mjs';

const mib = envNum('BENCH_STEPS_MIB', 256);
const rounds = envNum('BENCH_STEPS_ROUNDS', 3);
const dir = tempDir('st-bench-steps-');
const file = join(dir, 'groot.bin');
{
  const piece = Buffer.allocUnsafe(16 * MiB);
  randomFillSync(piece);
  const fd = openSync(file, 'w');
  for (let o = 0; o < mib; o += 16) writeSync(fd, piece);
  closeSync(fd);
}
// A page on http://127.0.0.1 (a secure context for WebCrypto) and a sink.
const srv = createServer((req, res) => {
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html');
    return res.end('<!doctype html><meta charset="utf-8"><input type="file" id="f">');
  }
  req.on('data', () => {});
  req.on('end', () => res.end('ok'));
});
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${srv.address().port}/`;
const browser = await launchBrowser();
const pid = childProcessesNamed(process.pid, 'chromium')[0];
const page = await (await browser.newContext()).newPage();
await page.goto(url);
await page.locator('#f').setInputFiles(file);

const steps = {
  read: async () => {
    const f = document.getElementById('f').files[0];
    for (let a = 0; a < f.size; a += 16 << 20) await f.slice(a, a + (16 << 20)).arrayBuffer();
  },
  aes: async (mib) => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const p = new Uint8Array(1 << 20);
    for (let i = 0; i < mib; i++) await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12).fill(i & 255) }, key, p);
  },
  blob: async (mib) => {
    for (let c = 0; c < mib / 16; c++) {
      const parts = Array.from({ length: 16 }, () => new ArrayBuffer((1 << 20) + 16));
      const b = new Blob(parts);
      await b.slice(0, 1).arrayBuffer();
    }
  },
  xhr: async (mib) => {
    const parts = Array.from({ length: 16 }, () => new ArrayBuffer((1 << 20) + 16));
    for (let c = 0; c < mib / 16; c++) {
      const b = new Blob(parts);
      await new Promise((res, rej) => {
        const x = new XMLHttpRequest();
        x.open('POST', '/sink');
        x.onload = res;
        x.onerror = rej;
        x.send(b);
      });
    }
  },
  all: async () => {
    const f = document.getElementById('f').files[0];
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    for (let a = 0; a < f.size; a += 16 << 20) {
      const buf = await f.slice(a, a + (16 << 20)).arrayBuffer();
      const parts = [];
      for (let o = 0; o < buf.byteLength; o += 1 << 20)
        parts.push(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12).fill(o >> 20) }, key, new Uint8Array(buf, o, 1 << 20)));
      const b = new Blob(parts);
      await new Promise((res, rej) => {
        const x = new XMLHttpRequest();
        x.open('POST', '/sink');
        x.onload = res;
        x.onerror = rej;
        x.send(b);
      });
    }
  },
};
const res = {};
for (let r = 0; r < rounds; r++)
  for (const [k, fn] of Object.entries(steps)) {
    const c0 = cpuSeconds(pid), t0 = process.hrtime.bigint();
    await page.evaluate(`(${fn.toString()})(${mib})`);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    (res[k] ??= []).push({ cpu: (cpuSeconds(pid) - c0) / (mib / 1024), mibs: mib / s });
    process.stderr.write(`  ${k}: ${fmt(mib / s)} MiB/s, ${fmt((cpuSeconds(pid) - c0) / (mib / 1024), 1)} CPU s/GiB\n`);
  }
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${mib} MiB per step, ${rounds} rounds (medians), ${await page.evaluate(() => navigator.userAgent.match(/Chrom\S+/)?.[0])} headless, page main thread; load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
console.log(table(['step', 'browser CPU s per GiB', 'MiB/s'], Object.entries(res).map(([k, v]) => [k, fmt(med(v.map((x) => x.cpu)), 1), fmt(med(v.map((x) => x.mibs)))])));
await browser.close();
srv.close();
process.exit(0);

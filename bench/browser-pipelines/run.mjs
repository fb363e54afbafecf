// Goal 6 of issue 11: the browser pipelines in headless Chromium, side by
// side with unencrypted transfers and the WebCrypto ceiling, in one run.
//   BENCH_PIPE_MIB=1024 BENCH_ROUNDS=3 node bench/browser-pipelines/run.mjs
// Per round, alternating (bench.mjs `alternate`):
//   send ours   the compose page sends a file of BENCH_PIPE_MIB: read → STF1
//               in the upload Workers → tus-js-client → securetransferd; from
//               the click on "Verstuur bericht" to the PATCH that completes
//               the upload (the server has, and fdatasynced, every byte);
//   send ref    a page of the reference server uploads the same file with a
//               stock tus-js-client to @tus/server + FileStore, unencrypted,
//               same chunk size; the file fdatasynced inside the timed span;
//   recv ours   the recipient's page (link + SMS code, opened once) downloads
//               and decrypts that document in its download Worker into OPFS
//               (the save dialog stubbed as in tests/browser/receive.test.mjs);
//               from the click to "… is gedownload en gecontroleerd";
//   recv ref    the same page fetches the same ciphertext URL and pipes the
//               body into an OPFS writable, no decryption;
//   ceiling     bench/browser-envelope's raw WebCrypto AES-GCM loop, 1 MiB
//               records, 1 and 2 Workers (encrypt and decrypt).
// MiB/s are plaintext MiB (the file's size) per second. Prints the tables.
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ROOT, serveBundle } from '../../tests/envelope/serve.js';
import { CHROMIUM, launchBrowser, newPage } from '../../tests/lib/browser.mjs';
import { query } from '../../tests/lib/db.mjs';
import { realEmployee } from '../../tests/lib/realaccount.mjs';
import { receiveLink, sendInBrowser, smsCode, stubSaveDialog } from '../../tests/lib/receive.mjs';
import { MiB, ROUNDS, alternate, child, childProcessesNamed, cpuSeconds, envNum, fmt, mmm, stats, syncFile, table, tempDir } from '../lib/bench.mjs';
import { startOurs } from '../lib/ours.mjs';

const mib = envNum('BENCH_PIPE_MIB', 1024);
const chunk = envNum('BENCH_PIPE_CHUNK_MIB', 16) * MiB; // the server's default send.chunk_size
const size = mib * MiB;
const log = (s) => process.stderr.write(`${s}\n`);
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

const SENDER = { email: 'alice@org.nl', password: 'Benchmark Wachtwoord 2026' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678' };
const OLGA_E164 = '+31612345678';

// ---- the file and the servers ------------------------------------------------

const files = tempDir('st-bench-pipe-');
const filePath = join(files, 'groot.zip');
{
  const piece = Buffer.allocUnsafe(Math.min(size, 64 * MiB) || 1);
  randomFillSync(piece);
  const fd = openSync(filePath, 'w');
  for (let o = 0; o < size; o += piece.length) writeSync(fd, piece, 0, Math.min(piece.length, size - o));
  closeSync(fd);
}

const ours = await startOurs({
  send: { chunk_size: chunk, disk_reserve: 0 },
  accounts: { mails_per_hour: 1000 },
});
const srv = ours.srv;
await realEmployee(srv, SENDER.email, { name: 'Alice Afzender', password: SENDER.password });

// The reference: @tus/server + FileStore (upload-ingest's) serving our page.
const tusDir = tempDir('st-bench-pipe-tus-');
const pageDir = tempDir('st-bench-pipe-page-');
await esbuild.build({
  entryPoints: { ref: join(ROOT, 'bench/browser-pipelines/ref-page.js') },
  bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', logLevel: 'silent', outdir: pageDir, absWorkingDir: ROOT,
});
writeFileSync(join(pageDir, 'index.html'),
  '<!doctype html><meta charset="utf-8"><title>tus reference</title><input type="file" id="f"><script type="module" src="/ref.js"></script>');
const tusProc = child(process.execPath, [join(ROOT, 'bench/upload-ingest/tus-server.mjs'), tusDir, pageDir]);
const tusPort = await new Promise((res) => tusProc.stdout.once('data', (d) => res(Number(String(d).trim()))));

// The ceiling: bench/browser-envelope's page and raw AES-GCM Worker as they are.
const envelope = await serveBundle(join(ROOT, 'bench/browser-envelope/bench-entry.js'), {}, { rawworker: join(ROOT, 'bench/browser-envelope/raw-worker.js') });

const browser = await launchBrowser();
// The browser is a child of this process (playwright's launch).
const browserPid = childProcessesNamed(process.pid, 'chromium')[0];
// BENCH_PIPE_PROFILE=disk: the two send paths run in a second Chromium with
// a persistent profile on disk (launchPersistentContext), as a user's
// browser has, instead of playwright's off-the-record contexts, whose Blob
// and OPFS storage stay in memory (issue 28: the send path costs several
// times the CPU there).
const diskProfile = process.env.BENCH_PIPE_PROFILE === 'disk';
const sendCtx = diskProfile
  ? await (await import('playwright-core')).chromium.launchPersistentContext(tempDir('st-bench-pipe-profile-'), {
      executablePath: CHROMIUM, headless: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  : null;
const sendPid = diskProfile ? childProcessesNamed(process.pid, 'chromium').find((p) => p !== browserPid) : browserPid;
const sendPage = async () => (diskProfile ? sendCtx.newPage() : newPage(browser));
try {
  // ---- pages ---------------------------------------------------------------

  // Sender: logs in once and sends a first message (untimed) that the
  // recipient's page then downloads in every round.
  const sender = await sendPage();
  log(`browser-pipelines: ${mib} MiB, ${ROUNDS} rounds; first send (untimed)…`);
  const msgId = await sendInBrowser(sender, srv.url, SENDER, { recipient: OLGA, subject: 'Benchmark', files: [filePath] });
  const [{ id: fileId, ciphertext_size: ctSize }] = query(srv.dir, 'SELECT id, ciphertext_size FROM files WHERE message_id = ?', [msgId]);

  const recipient = await newPage(browser);
  await stubSaveDialog(recipient.context());
  const { url: link } = await receiveLink(srv, OLGA.email, msgId);
  await recipient.goto(link);
  await recipient.getByRole('button', { name: 'Verstuur code' }).click();
  await recipient.getByLabel('Code', { exact: true }).fill(await smsCode(srv, OLGA_E164));
  await recipient.getByRole('button', { name: 'Bericht openen' }).click();
  await recipient.getByTestId('received').waitFor({ timeout: 60000 });
  const download = await recipient.getByRole('button', { name: 'Downloaden groot.zip' }).elementHandle();
  const cipherUrl = `/api/v1/r/${msgId}/files/${fileId}`;

  const ref = await sendPage();
  await ref.goto(`http://127.0.0.1:${tusPort}/`);
  await ref.waitForFunction(() => globalThis.refReady === true);
  await ref.locator('#f').setInputFiles(filePath);

  const ceil = await newPage(browser);
  await ceil.goto(envelope.url);
  await ceil.waitForFunction(() => globalThis.benchReady === true);
  const info = await ceil.evaluate(() => ({ hc: navigator.hardwareConcurrency, ua: navigator.userAgent }));
  await ceil.evaluate(() => globalThis.benchEnvelope.raw({ mib: 16, workers: 1 })); // warm-up

  const clearOpfs = (page) =>
    page.evaluate(async () => {
      const dir = await navigator.storage.getDirectory();
      for await (const name of dir.keys()) await dir.removeEntry(name);
    });

  // ---- one round of each ---------------------------------------------------

  async function sendOurs() {
    await sender.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
    await sender.getByRole('link', { name: 'Verstuur een bericht' }).click();
    await sender.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
    await sender.getByLabel('Naam', { exact: true }).fill(OLGA.name);
    await sender.getByLabel('E-mailadres').fill(OLGA.email);
    await sender.getByLabel('Mobiel nummer').fill(OLGA.phone);
    await sender.locator('#files').setInputFiles(filePath);
    const button = await sender.getByRole('button', { name: 'Verstuur bericht' }).elementHandle();
    const complete = sender.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.headers()['upload-offset'] === String(ctSize),
      { timeout: 0 },
    );
    const t0 = process.hrtime.bigint();
    await button.evaluate((b) => b.click());
    await complete;
    const v = mib / secs(t0);
    await sender.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 0 });
    await sender.getByTestId('message-state').getByText('Verstuurd').waitFor({ timeout: 0 });
    return v;
  }

  async function sendRef() {
    const t0 = process.hrtime.bigint();
    const url = await ref.evaluate((a) => globalThis.refUpload(a), { chunkSize: chunk });
    syncFile(join(tusDir, url.split('/').pop()));
    const v = mib / secs(t0);
    for (const f of readdirSync(tusDir)) rmSync(join(tusDir, f), { force: true });
    return v;
  }

  async function recvOurs() {
    await clearOpfs(recipient);
    // Timed in the page: armed and clicked in one evaluate; done when the
    // progress bar has come and gone and the status says it was checked.
    await download.evaluate((b) => {
      const r = (globalThis.__stRcv = { busy: false, done: 0, error: '' });
      const check = () => {
        if (r.done || r.error) return;
        const err = document.querySelector('[data-testid=receive-error]')?.textContent;
        if (err) r.error = err;
        else if (document.getElementById('receive-progress')) r.busy = true;
        else if (r.busy && /gedownload en gecontroleerd/.test(document.querySelector('[data-testid=receive-status]')?.textContent || ''))
          r.done = performance.now();
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      r.t0 = performance.now();
      b.click();
    });
    await recipient.waitForFunction(() => globalThis.__stRcv.done || globalThis.__stRcv.error, null, { timeout: 0, polling: 100 });
    const r = await recipient.evaluate(() => globalThis.__stRcv);
    if (r.error) throw new Error(`receive: ${r.error}`);
    return mib / ((r.done - r.t0) / 1000);
  }

  async function recvRef() {
    await clearOpfs(recipient);
    const r = await recipient.evaluate(async (url) => {
      const dir = await navigator.storage.getDirectory();
      const handle = await dir.getFileHandle('reference.bin', { create: true });
      const t0 = performance.now();
      const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (res.status !== 200) throw new Error(`GET ${res.status}`);
      await res.body.pipeTo(await handle.createWritable({ keepExistingData: false }));
      const ms = performance.now() - t0;
      return { ms, size: (await handle.getFile()).size };
    }, cipherUrl);
    if (r.size !== ctSize) throw new Error(`reference download: ${r.size} of ${ctSize} bytes`);
    return mib / (r.ms / 1000);
  }

  const dec = { 1: [], 2: [] };
  const ceiling = (workers) => async () => {
    const r = await ceil.evaluate((a) => globalThis.benchEnvelope.raw(a), { mib, workers });
    dec[workers].push(r.decMiBs);
    return r.encMiBs;
  };

  const paths = {
    'send ours': sendOurs,
    'send ref': sendRef,
    'receive ours': recvOurs,
    'receive ref': recvRef,
    'ceiling 1 Worker': ceiling(1),
    'ceiling 2 Workers': ceiling(2),
  };
  // BENCH_PIPE_ONLY='send ours,send ref': only those (while developing; the
  // tables then leave out what did not run).
  const only = (process.env.BENCH_PIPE_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
  if (only.length) for (const k of Object.keys(paths)) if (!only.includes(k)) delete paths[k];
  // The browser's CPU seconds per GiB of each path: on two shared cores the
  // pipelines are bound by CPU, and this shows what each one costs.
  const cpu = {};
  for (const [k, fn] of Object.entries(paths)) {
    cpu[k] = [];
    paths[k] = async () => {
      const pid = k.startsWith('send') ? sendPid : browserPid;
      const c0 = cpuSeconds(pid);
      const r = await fn();
      cpu[k].push((cpuSeconds(pid) - c0) / (mib / 1024));
      return r;
    };
  }
  const res = await alternate(paths);
  if (only.length) {
    for (const [k, v] of Object.entries(res))
      log(`${k}: ${v.map((x) => x.toFixed(1)).join(' ')} MiB/s; browser CPU s/GiB ${cpu[k].map((x) => x.toFixed(1)).join(' ')}`);
    process.exit(0);
  }
  res['decrypt 1 Worker'] = dec[1];
  res['decrypt 2 Workers'] = dec[2];

  // ---- tables --------------------------------------------------------------

  const med = (k) => stats(res[k]).med;
  const bound = (transfer, ceilingKey, what) => {
    const t = med(transfer), c = med(ceilingKey);
    return t <= c ? { v: t, what: `unencrypted ${what} ${fmt(t)}` } : { v: c, what: `2-Worker AES-GCM ${ceilingKey.startsWith('decrypt') ? 'decrypt' : 'encrypt'} ${fmt(c)}` };
  };
  const sendBound = bound('send ref', 'ceiling 2 Workers', 'upload');
  const recvBound = bound('receive ref', 'decrypt 2 Workers', 'download');
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`${mib} MiB file, ${ROUNDS} rounds alternating, tus chunks of ${chunk / MiB} MiB, ${info.ua.match(/Chrom\S+/)?.[0] ?? 'Chromium'} headless, hardwareConcurrency ${info.hc}; load average at the end ${load} (the machine is shared with other builds: expect ±30 %)\n`);
  // Browser CPU seconds per GiB moved (median); the ceiling rows' figure
  // covers their encrypt and decrypt loops together.
  const cpuMed = (k) => (cpu[k]?.length ? fmt(stats(cpu[k]).med, 1) : '');
  console.log(table(['path', 'MiB/s min / **median** / max', 'browser CPU s per GiB'], [
    ['send, ours: compose page → STF1 in the upload Worker(s) → tus-js-client → securetransferd (fdatasync per PATCH)', mmm(res['send ours']), cpuMed('send ours')],
    ['send, reference: the same file, unencrypted, stock tus-js-client → @tus/server FileStore (fdatasync at the end)', mmm(res['send ref']), cpuMed('send ref')],
    ['receive, ours: receive page → GET → STF1 decrypt in the download Worker → OPFS (stubbed save dialog)', mmm(res['receive ours']), cpuMed('receive ours')],
    ['receive, reference: fetch of the same ciphertext from the page piped into OPFS, no decryption', mmm(res['receive ref']), cpuMed('receive ref')],
    ['ceiling: WebCrypto AES-GCM encrypt, 1 MiB records, 1 Worker', mmm(res['ceiling 1 Worker']), ''],
    ['ceiling: WebCrypto AES-GCM encrypt, 1 MiB records, 2 Workers', mmm(res['ceiling 2 Workers']), ''],
    ['ceiling: WebCrypto AES-GCM decrypt, 1 MiB records, 1 Worker', mmm(res['decrypt 1 Worker']), ''],
    ['ceiling: WebCrypto AES-GCM decrypt, 1 MiB records, 2 Workers', mmm(res['decrypt 2 Workers']), ''],
  ]));
  console.log();
  console.log(`browser CPU s per GiB: user + system time of the browser and its child processes (/proc) over the path, per GiB of plaintext; the ceiling rows' figure is encrypt and decrypt together (1 Worker ${cpuMed('ceiling 1 Worker')}, 2 Workers ${cpuMed('ceiling 2 Workers')}).`);
  console.log();
  console.log(table(['pipeline', 'median MiB/s', 'bound = min(unencrypted, 2-Worker ceiling), medians', 'pipeline ÷ bound', 'goal'], [
    ['send', fmt(med('send ours')), sendBound.what, fmt(med('send ours') / sendBound.v, 2), '≥ 0.8'],
    ['receive', fmt(med('receive ours')), recvBound.what, fmt(med('receive ours') / recvBound.v, 2), '≥ 0.8'],
  ]));
} finally {
  await browser.close().catch(() => {});
  await sendCtx?.close().catch(() => {});
  await envelope.close().catch(() => {});
  await srv.stop();
}
process.exit(0); // the reference server's pipe would keep node alive; exit runs the cleanups

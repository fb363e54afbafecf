// Issue 28: one huge file end to end through headless Chromium.
//   HUGE_GIB=30 node bench/huge/run.mjs        (bench/huge/run; bench/run-all huge with HUGE=1)
// The compose page sends one file of HUGE_GIB GiB to an outside recipient
// (read → STF1 in the upload Workers → tus → securetransferd, fdatasync per
// PATCH); at HUGE_KILL_AT % (default 40) of the upload the server is killed
// with SIGKILL and started again on the same folder and port, and the page
// must resume by itself. Then the recipient's page (link + SMS code) receives
// the document through the File System Access path (the save dialog stubbed
// onto the Origin Private File System, as tests/lib/receive.mjs does) into a
// file in the browser's profile, whose sha256 is compared with the source.
// Every HUGE_SAMPLE_S seconds (default 5) it records: progress, the tab's JS
// heap (CDP Runtime.getHeapUsage of the sending or receiving page), the
// browser's resident memory (Chromium and all its children, /proc), the
// server's VmRSS, the CPU seconds of both and the load average. Prints a
// summary and a thinned table on stdout; the whole series, with text
// sparklines, goes to bench/results/<date>-huge-<n>gib.md (HUGE_OUT to
// choose the file).
//
// Disk: the source is a sparse file (a 4 KiB random block at the start of
// every MiB, holes between: ~0.4 % of its size on disk), the server stores
// the ciphertext (≈ the size) and the browser writes the received file (the
// size; Chromium writes a swap file it renames at the end). The benchmark
// needs 2 × size + HUGE_RESERVE_GIB (default 4) free and stops before
// anything else when that is not there, saying how much it needs.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../../tests/lib/browser.mjs';
import { loginInBrowser, realEmployee } from '../../tests/lib/realaccount.mjs';
import { chromiumPid, receiveLink, smsCode, stubSaveDialog, treeRss } from '../../tests/lib/receive.mjs';
import { REPO, freePort, startServer } from '../../tests/lib/server.mjs';
import { GiB, MiB, atExit, cpuSeconds, envNum, fmt, rssMiB, table, tempDir } from '../lib/bench.mjs';

const gib = envNum('HUGE_GIB', 30);
const size = Math.round(gib * GiB);
const reserve = envNum('HUGE_RESERVE_GIB', 4) * GiB;
const sampleMs = envNum('HUGE_SAMPLE_S', 5) * 1000;
const killAt = envNum('HUGE_KILL_AT', 40);
const chunk = envNum('HUGE_CHUNK_MIB', 16) * MiB; // the server's default send.chunk_size
const log = (s) => process.stderr.write(`${s}\n`);
const now = () => Date.now() / 1000;

const SENDER = { email: 'alice@org.nl', password: 'Benchmark Wachtwoord 2026' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678' };
const OLGA_E164 = '+31612345678';

// ---- disk --------------------------------------------------------------------

const files = tempDir('st-bench-huge-');
{
  // The temp dirs (source, server store, browser profile) are all in
  // os.tmpdir(); the check is on that file system.
  const fs = statfsSync(files);
  const free = fs.bavail * fs.bsize;
  const need = 2 * size + Math.ceil(size / 256) + reserve;
  const g = (b) => (b / GiB).toFixed(1);
  if (free < need) {
    console.error(
      `bench/huge: not enough free disk for ${g(size)} GiB: it needs ${g(need)} GiB free in ${files} ` +
        `(${g(size)} GiB for the server's copy of the ciphertext + ${g(size)} GiB for the received file + ` +
        `${g(size / 256)} GiB of the sparse source + ${g(reserve)} GiB left over, HUGE_RESERVE_GIB), and ${g(free)} GiB are free. ` +
        `Choose a smaller size with HUGE_GIB=${Math.max(0, Math.floor(((free - reserve) / 2.004 / GiB) * 10) / 10)} or free some disk.`,
    );
    process.exit(2);
  }
  log(`bench/huge: ${g(size)} GiB; ${g(free)} GiB free, ${g(need)} GiB needed`);
}

// ---- the source: sparse, one random 4 KiB block per MiB --------------------

const filePath = join(files, 'groot.zip');
const sourceSha = (() => {
  const fd = openSync(filePath, 'w');
  ftruncateSync(fd, size);
  const block = Buffer.alloc(4096);
  const h = createHash('sha256');
  const zeros = Buffer.alloc(MiB - 4096);
  for (let o = 0; o < size; o += MiB) {
    const n = Math.min(4096, size - o);
    randomFillSync(block, 0, n);
    writeSync(fd, block, 0, n, o);
    h.update(block.subarray(0, n));
    const rest = Math.min(MiB, size - o) - n;
    if (rest > 0) h.update(zeros.subarray(0, rest));
  }
  closeSync(fd);
  return h.digest('hex');
})();
log(`bench/huge: source ${filePath}, sha256 ${sourceSha}`);

// ---- server ----------------------------------------------------------------

const port = await freePort();
const config = {
  server: { listen: `127.0.0.1:${port}`, per_ip_connections: 0 },
  bootstrap: { domains: 'org.nl' },
  send: { chunk_size: chunk, disk_reserve: 0, upload_window: 86400 },
  accounts: { mails_per_hour: 1000 },
};
let srv = await startServer({ config, keep: true });
const srvDir = srv.dir;
atExit(() => rmSync(srvDir, { recursive: true, force: true }));
await realEmployee(srv, SENDER.email, { name: 'Alice Afzender', password: SENDER.password });

// A persistent profile: the Origin Private File System of an off-the-record
// context (playwright's newContext) lives in memory, so the received file
// would sit in the browser's RSS; a profile on disk is what a user has.
const profile = join(files, 'profile');
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  locale: 'nl-NL',
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const browserPid = chromiumPid();

// ---- sampling ----------------------------------------------------------------

const samples = [];
const t0 = now();
let phase = 'start';
let page = null;
let cdp = null;
let progress = () => null;
const cpu0 = { browser: cpuSeconds(browserPid), server: 0 };
let serverCpuDone = 0; // CPU seconds of killed server processes
const serverCpu = () => serverCpuDone + (srv.proc.exitCode === null && srv.proc.signalCode === null ? cpuSeconds(srv.proc.pid) : 0);
async function sample() {
  // Other processes share the disk: stop (and remove our files) rather than
  // fill it.
  const fs = statfsSync(files);
  if (fs.bavail * fs.bsize < reserve / 2) {
    console.error(`bench/huge: stopped: only ${((fs.bavail * fs.bsize) / GiB).toFixed(1)} GiB of disk left free (HUGE_RESERVE_GIB / 2)`);
    process.exit(3);
  }
  let heap = null;
  try {
    if (cdp) heap = (await cdp.send('Runtime.getHeapUsage')).usedSize / MiB;
  } catch {
    /* page busy or navigating */
  }
  const p = await progress().catch(() => null);
  samples.push({
    t: now() - t0,
    phase,
    progress: p,
    heap,
    browserRss: treeRss(browserPid) / MiB,
    serverRss: srv.proc.exitCode === null && srv.proc.signalCode === null ? rssMiB(srv.proc.pid) : null,
    browserCpu: cpuSeconds(browserPid) - cpu0.browser,
    serverCpu: serverCpu(),
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  });
}
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    await sample().catch(() => {});
    await new Promise((r) => setTimeout(r, sampleMs));
  }
})();

// ---- send, with a kill -9 of the server in the middle -------------------------

const result = {};
try {
  page = await context.newPage();
  result.ua = await page.evaluate(() => navigator.userAgent.match(/Chrom\S+/)?.[0] ?? 'Chromium');
  await loginInBrowser(page, srv.url, SENDER);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByLabel('Naam', { exact: true }).fill(OLGA.name);
  await page.getByLabel('E-mailadres').fill(OLGA.email);
  await page.getByLabel('Mobiel nummer').fill(OLGA.phone);
  await page.getByLabel('Onderwerp').fill(`Benchmark ${gib} GiB`);
  await page.locator('#files').setInputFiles(filePath);
  cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const bar = page.locator('#progress-file-0');
  progress = async () => {
    const v = await bar.getAttribute('value', { timeout: 200 }).catch(() => null);
    return v === null ? null : Number(v);
  };
  phase = 'send';
  const sendCpu0 = { b: cpuSeconds(browserPid), s: serverCpu() };
  const ts = now();
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await bar.waitFor({ timeout: 120000 });
  // Kill at killAt %.
  for (;;) {
    const v = await progress();
    if (v !== null && v >= killAt) break;
    if (/\/berichten\//.test(page.url())) throw new Error('the upload finished before the kill');
    await new Promise((r) => setTimeout(r, 250));
  }
  const killedAt = await progress();
  const tk = now();
  serverCpuDone = serverCpu();
  await srv.kill9();
  phase = 'send (server down)';
  log(`bench/huge: server killed (SIGKILL) at ${killedAt} % of the upload`);
  await new Promise((r) => setTimeout(r, 2000));
  srv = await startServer({ config, dir: srvDir, keep: true });
  phase = 'send (resumed)';
  const restartS = now() - tk;
  // Resumed when the bar moves past the point of the kill.
  let resumedS = null;
  for (let i = 0; i < 2400 && resumedS === null; i++) {
    const v = await progress();
    if ((v !== null && v > killedAt) || /\/berichten\//.test(page.url())) resumedS = now() - tk;
    else await new Promise((r) => setTimeout(r, 250));
  }
  if (resumedS === null) throw new Error('the upload did not resume within 10 minutes of the restart');
  log(`bench/huge: restarted after ${restartS.toFixed(1)} s, upload moving again ${resumedS.toFixed(1)} s after the kill`);
  const failed = page.getByRole('alert').filter({ hasText: 'Het bericht is niet verstuurd' });
  const outcome = await Promise.race([
    page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 0 }).then(() => 'sent'),
    failed.waitFor({ timeout: 0 }).then(() => 'failed', () => 'gone'),
  ]);
  if (outcome === 'failed') throw new Error(`the send failed: ${await failed.innerText()}`);
  const sendS = now() - ts;
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor({ timeout: 120000 });
  result.send = { s: sendS, killedAt, restartS, resumedS, cpuB: cpuSeconds(browserPid) - sendCpu0.b, cpuS: serverCpu() - sendCpu0.s };
  const msgId = page.url().split('/').pop();
  await cdp.send('HeapProfiler.collectGarbage');
  await sample();
  cdp = null;
  progress = () => Promise.resolve(null);
  await page.close();
  await context.clearCookies(); // the recipient is not the employee
  phase = 'between';

  // ---- receive into a file (File System Access, stubbed onto OPFS) ----------

  await stubSaveDialog(context);
  const recipient = await context.newPage();
  const { url: link } = await receiveLink(srv, OLGA.email, msgId);
  await recipient.goto(link);
  await recipient.getByRole('button', { name: 'Verstuur code' }).click();
  await recipient.getByLabel('Code', { exact: true }).fill(await smsCode(srv, OLGA_E164));
  await recipient.getByRole('button', { name: 'Bericht openen' }).click();
  await recipient.getByTestId('received').waitFor({ timeout: 120000 });
  cdp = await context.newCDPSession(recipient);
  await cdp.send('HeapProfiler.collectGarbage');
  const rbar = recipient.locator('#receive-progress');
  progress = async () => {
    const v = await rbar.getAttribute('value', { timeout: 200 }).catch(() => null);
    const max = await rbar.getAttribute('max', { timeout: 200 }).catch(() => null);
    return v === null ? null : (100 * Number(v)) / Number(max || 100);
  };
  phase = 'receive';
  const recvCpu0 = { b: cpuSeconds(browserPid), s: serverCpu() };
  const tr = now();
  await recipient.getByRole('button', { name: 'Downloaden groot.zip' }).click();
  const status = recipient.getByTestId('receive-status').filter({ hasText: /gedownload en gecontroleerd/ });
  const error = recipient.getByTestId('receive-error');
  const got = await Promise.race([
    status.waitFor({ timeout: 0 }).then(() => 'ok'),
    error.waitFor({ timeout: 0 }).then(() => 'error'),
  ]);
  if (got === 'error') throw new Error(`receive: ${await error.innerText()}`);
  result.recv = { s: now() - tr, cpuB: cpuSeconds(browserPid) - recvCpu0.b, cpuS: serverCpu() - recvCpu0.s };
  await cdp.send('HeapProfiler.collectGarbage');
  await sample();
  cdp = null;
  progress = () => Promise.resolve(null);
  phase = 'check';

  // ---- the received file, from the browser's profile on disk ------------------

  const udd = profile;
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size === size) found.push(p);
    }
  };
  if (udd) walk(udd);
  if (found.length !== 1) throw new Error(`the received file: ${found.length} files of ${size} bytes in the profile ${udd}`);
  const h = createHash('sha256');
  for await (const b of createReadStream(found[0], { highWaterMark: 4 * MiB })) h.update(b);
  result.sha = h.digest('hex');
  await recipient.close();
} finally {
  sampling = false;
  await sampler;
  await context.close().catch(() => {});
  await srv.stop().catch(() => {});
  rmSync(srvDir, { recursive: true, force: true });
}

// ---- report ----------------------------------------------------------------

const ok = result.sha === sourceSha;
const mibs = (s) => fmt(size / MiB / s, 1);
const perGiB = (c) => fmt(c / (size / GiB), 1);
const spark = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x));
  if (!v.length) return '';
  const lo = Math.min(...v), hi = Math.max(...v), bars = '▁▂▃▄▅▆▇█';
  return xs.map((x) => (x === null || !Number.isFinite(x) ? ' ' : bars[hi === lo ? 0 : Math.round(((x - lo) / (hi - lo)) * 7)])).join('');
};
const during = (ph, k) => samples.filter((s) => s.phase.startsWith(ph) && s[k] !== null).map((s) => s[k]);
const range = (xs) => (xs.length ? `${fmt(Math.min(...xs), 1)} – ${fmt(Math.max(...xs), 1)}` : '');
// "Flat": the spread of the second half of a phase against its first half.
const drift = (xs) => {
  if (xs.length < 4) return '';
  const h = Math.floor(xs.length / 2);
  const a = Math.max(...xs.slice(0, h)), b = Math.max(...xs.slice(h));
  return `${b - a >= 0 ? '+' : ''}${fmt(b - a, 1)}`;
};
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const lines = [];
const out = (s = '') => lines.push(s);
out(`${fmt(size / GiB, 1)} GiB (${size} bytes), one file, compose page → securetransferd → receive page (File System Access onto OPFS), headless ${result.ua}; tus chunks of ${chunk / MiB} MiB; server killed with SIGKILL at ${result.send.killedAt} % of the upload and restarted; samples every ${sampleMs / 1000} s; load average at the end ${load} (shared machine: 2 cores, other engineers' builds and tests)`);
out();
out(table(['step', 'seconds', 'MiB/s', 'browser CPU s per GiB', 'server CPU s per GiB', 'note'], [
  ['send (incl. the kill and restart)', fmt(result.send.s, 0), mibs(result.send.s), perGiB(result.send.cpuB), perGiB(result.send.cpuS), `server back after ${fmt(result.send.restartS, 1)} s, upload moving again ${fmt(result.send.resumedS, 1)} s after the kill`],
  ['receive into a file', fmt(result.recv.s, 0), mibs(result.recv.s), perGiB(result.recv.cpuB), perGiB(result.recv.cpuS), ''],
  ['sha256 of the received file', '', '', '', '', ok ? `equal to the source (${sourceSha.slice(0, 16)}…)` : `**DIFFERS**: ${result.sha} ≠ ${sourceSha}`],
]));
out();
out(table(['series (MiB)', 'send: min – max', 'send: 2nd-half peak − 1st-half peak', 'receive: min – max', 'receive: 2nd-half peak − 1st-half peak'], [
  ['tab JS heap', range(during('send', 'heap')), drift(during('send', 'heap')), range(during('receive', 'heap')), drift(during('receive', 'heap'))],
  ['browser RSS (all processes)', range(during('send', 'browserRss')), drift(during('send', 'browserRss')), range(during('receive', 'browserRss')), drift(during('receive', 'browserRss'))],
  ['server VmRSS', range(during('send', 'serverRss')), drift(during('send', 'serverRss')), range(during('receive', 'serverRss')), drift(during('receive', 'serverRss'))],
]));
out();
out('```');
out(`tab JS heap  ${spark(samples.map((s) => s.heap))}`);
out(`browser RSS  ${spark(samples.map((s) => s.browserRss))}`);
out(`server RSS   ${spark(samples.map((s) => s.serverRss))}`);
out(`progress     ${spark(samples.map((s) => s.progress))}`);
out(`phase        ${samples.map((s) => ({ send: 's', 'send (server down)': 'K', 'send (resumed)': 'r', receive: 'R' })[s.phase] ?? '.').join('')}`);
out('```');
out('(one character per sample; each line scaled between its own min and max; phase: s send, K server killed, r send resumed, R receive)');
const row = (s) => [fmt(s.t, 0), s.phase, s.progress === null ? '' : fmt(s.progress, 1), s.heap === null ? '' : fmt(s.heap, 1), fmt(s.browserRss, 0), s.serverRss === null ? '' : fmt(s.serverRss, 1), fmt(s.browserCpu, 0), fmt(s.serverCpu, 0), s.load];
const head = ['t s', 'phase', 'progress %', 'tab JS heap MiB', 'browser RSS MiB', 'server RSS MiB', 'browser CPU s', 'server CPU s', 'load average'];
const every = Math.max(1, Math.ceil(samples.length / 40));
const summary = lines.join('\n');
console.log(summary);
console.log();
console.log(`Every ${every}th sample (the whole series is in the results file):\n`);
console.log(table(head, samples.filter((_, i) => i % every === 0 || i === samples.length - 1).map(row)));
const outFile = process.env.HUGE_OUT || join(REPO, 'bench', 'results', `${new Date().toISOString().slice(0, 10)}-huge-${gib}gib.md`);
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, `# bench/huge, ${gib} GiB\n\n- date: ${new Date().toISOString()}\n\n${summary}\n\n## Every sample\n\n${table(head, samples.map(row))}\n`);
log(`bench/huge: wrote ${outFile}`);
process.exit(ok ? 0 : 1);

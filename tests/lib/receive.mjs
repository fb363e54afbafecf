// Helpers for the receive tests (issue 7): send a message through the real
// compose page, the link and the SMS code a recipient gets, a File System
// Access stand-in on the Origin Private File System (headless Chromium
// cannot click a save dialog), and reading saved files back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginInBrowser } from './realaccount.mjs';
import { linkSecret } from './send-check.mjs';

/**
 * Logs in as `sender` in page and sends files (paths) to recipient
 * {name, email, phone?} with subject, reference and text. Resolves to the
 * message id once the message page says it was sent.
 */
export async function sendInBrowser(page, url, sender, { recipient, subject = '', reference = '', text = '', files }) {
  await loginInBrowser(page, url, sender);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByLabel('Naam', { exact: true }).fill(recipient.name);
  await page.getByLabel('E-mailadres').fill(recipient.email);
  if (recipient.phone) await page.getByLabel('Mobiel nummer').fill(recipient.phone);
  await page.locator('#files').setInputFiles(files);
  if (subject) await page.getByLabel('Onderwerp').fill(subject);
  if (reference) await page.getByLabel('Kenmerk').fill(reference);
  if (text) await page.getByLabel('Begeleidende tekst').fill(text);
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  // Either the message page, or the compose page's failure: a send that
  // failed stops the test at once with the page's own words (it waited
  // the whole 15 minutes before, with no hint why).
  const failed = page.getByRole('alert').filter({ hasText: 'Het bericht is niet verstuurd' });
  const outcome = await Promise.race([
    page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 900000 }).then(() => 'sent', (e) => e),
    // The loser is left waiting: it ends with the page, caught here.
    failed.waitFor({ timeout: 900000 }).then(() => 'failed', () => 'gone'),
  ]);
  if (outcome instanceof Error) throw outcome;
  if (outcome === 'failed') throw new Error(`the send failed: ${await failed.innerText()}`);
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor();
  return page.url().split('/').pop();
}

/** The recipient's link with S, as in their mail, on this test server. */
export async function receiveLink(srv, email, msgId) {
  const { S, mail } = await linkSecret(srv, email, msgId);
  return { url: `${srv.url}/r/${msgId}#${S.toString('base64url')}`, S, mail };
}

/** The SMS log: [{at, to, text}], oldest first. */
export function smsLog(srv) {
  let text = '';
  try {
    text = readFileSync(join(srv.dir, 'sms.log'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Waits for SMS number `nth` (1-based) to `to` and returns its 6-digit code. */
export async function smsCode(srv, to, nth = 1, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const mine = smsLog(srv).filter((s) => s.to === to);
    if (mine.length >= nth) {
      const m = /\b(\d{6})\b/.exec(mine[nth - 1].text);
      if (!m) throw new Error(`no code in SMS: ${mine[nth - 1].text}`);
      return m[1];
    }
    if (Date.now() > end) throw new Error(`no SMS ${nth} to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Replaces showSaveFilePicker in every page of the context with one that
 * returns a handle in the Origin Private File System, named as suggested —
 * the product's own code then writes through createWritable() exactly as
 * with a real file. window.__stSaved lists the names asked for.
 */
export async function stubSaveDialog(context) {
  await context.addInitScript(() => {
    window.__stSaved = [];
    window.showSaveFilePicker = async ({ suggestedName } = {}) => {
      window.__stSaved.push(suggestedName);
      const dir = await navigator.storage.getDirectory();
      return dir.getFileHandle(suggestedName, { create: true });
    };
  });
}

/** Takes the File System Access API away, so the service-worker download is used. */
export async function withoutFileSystemAccess(context) {
  await context.addInitScript(() => {
    delete window.showSaveFilePicker;
    delete Window.prototype.showSaveFilePicker;
  });
}

/** {size, sha256 (hex)} of an OPFS file, or null if it does not exist. */
export function opfsInfo(page, name) {
  return page.evaluate(async (n) => {
    const dir = await navigator.storage.getDirectory();
    let h;
    try {
      h = await dir.getFileHandle(n);
    } catch {
      return null;
    }
    const f = await h.getFile();
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await f.arrayBuffer()));
    return { size: f.size, sha256: Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('') };
  }, name);
}

/** The bytes of an OPFS file, into node (small files: base64 over CDP). */
export async function opfsBytes(page, name) {
  const b64 = await page.evaluate(async (n) => {
    const dir = await navigator.storage.getDirectory();
    const f = await (await dir.getFileHandle(n)).getFile();
    const bytes = new Uint8Array(await f.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, name);
  return Buffer.from(b64, 'base64');
}

/** Resident memory (bytes) of a process and all its descendants, from /proc. */
export function treeRss(rootPid) {
  const { readdirSync } = globalThis.process.getBuiltinModule('node:fs');
  const kids = new Map();
  const rss = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
      rss.set(Number(d), m ? Number(m[1]) * 1024 : 0);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop();
    total += rss.get(p) || 0;
    stack.push(...(kids.get(p) || []));
  }
  return total;
}

/** The pid of the Chromium this test process launched (its browser process). */
export function chromiumPid() {
  const { readdirSync } = globalThis.process.getBuiltinModule('node:fs');
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== globalThis.process.pid) continue;
      if (/chrom/i.test(readFileSync(`/proc/${d}/cmdline`, 'utf8'))) return Number(d);
    } catch {
      /* gone */
    }
  }
  throw new Error('no Chromium child process');
}

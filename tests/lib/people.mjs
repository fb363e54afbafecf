// Accounts with real keys (web/src/account/keys.js, run in node) so that a
// browser can log in with the password, plus the browser login itself.
//
//   await registerWithKeys(srv, 'alice@org.nl', 'Een Goed Wachtwoord 2026');
//   await browserLogin(page, srv, 'alice@org.nl', 'Een Goed Wachtwoord 2026');
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { newAccountKeys } from '../../web/src/account/keys.js';
import { Client, linkToken, waitForOutboxMail } from './api.mjs';

const b64u = (b) => Buffer.from(b).toString('base64url');

/** Registers and verifies an account (outbox mail transport); returns { userId, fields }. */
export async function registerWithKeys(srv, email, password, name = 'Test Medewerker') {
  const uid = new Uint8Array(randomBytes(16));
  const { fields } = await newAccountKeys(password, uid);
  const body = { email, name, user_id: b64u(uid), password_ok: true };
  for (const [k, v] of Object.entries(fields)) body[k] = v instanceof Uint8Array ? b64u(v) : v;
  const c = new Client(srv.url);
  await c.init();
  const r = await c.post('/api/v1/register', body);
  if (r.status !== 202) throw new Error(`register: ${r.status} ${r.text}`);
  const token = linkToken(await waitForOutboxMail(join(srv.dir, 'outbox'), email));
  const v = await c.post('/api/v1/verify', { token });
  if (v.status !== 200) throw new Error(`verify: ${v.status} ${v.text}`);
  return { userId: body.user_id, fields: body };
}

/** Logs in through /inloggen and waits for the employee home page. */
export async function browserLogin(page, srv, email, password) {
  await page.goto(`${srv.url}/inloggen`, { waitUntil: 'networkidle' });
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('link', { name: 'Verstuur een bericht' }).waitFor({ timeout: 30000 });
}

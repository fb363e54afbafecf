// An employee with real account keys, registered and verified through the
// API from node (the browser's own key code, web/src/account/worker/keys.js, runs
// in node too), so browser tests can log in with the password without
// walking through registration each time.
import { join } from 'node:path';
import { newAccountKeys } from '../../web/src/account/worker/keys.js';
import { b64uEncode } from '../../web/src/account/codec.js';
import { Client, waitForOutboxMail, linkToken } from './api.mjs';

export const PASSWORD = 'Veilig Wachtwoord 2026';

/** smtp: read the verification mail from that SMTP server (tests/lib/smtp.mjs), not the outbox folder. */
export async function realEmployee(srv, email, { name = 'Test Medewerker', password = PASSWORD, smtp = null } = {}) {
  const userId = crypto.getRandomValues(new Uint8Array(16));
  const { fields } = await newAccountKeys(password, userId);
  const b = (v) => (v instanceof Uint8Array ? b64uEncode(v) : v);
  const c = new Client(srv.url);
  await c.init();
  const r = await c.post('/api/v1/register', {
    email,
    name,
    user_id: b64uEncode(userId),
    password_ok: true,
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, b(v)])),
  });
  if (r.status !== 202) throw new Error(`register ${email}: ${r.status} ${r.text}`);
  const mail = smtp
    ? await smtp.waitForMail((m) => m.envelope.to.includes(email) && /#[A-Za-z0-9_-]{43}/.test(m.text ?? ''))
    : await waitForOutboxMail(join(srv.dir, 'outbox'), email);
  const token = linkToken(mail);
  const v = await c.post('/api/v1/verify', { token, auth_key: b(fields.auth_key) });
  if (v.status !== 200) throw new Error(`verify ${email}: ${v.status}`);
  return { email, password, name, authKey: b(fields.auth_key) };
}

/** Logs in through the login page of a browser page. */
export async function loginInBrowser(page, url, { email, password }) {
  await page.goto(`${url}/inloggen`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { level: 1, name: /Welkom/ }).waitFor({ timeout: 60000 });
}

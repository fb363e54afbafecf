// The mail outbox (O3, issue 4) over real SMTP: a relay that is down gets
// the mail later, once; a server killed with mail pending delivers it after
// the restart, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freePort } from '../lib/server.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { Client, registration } from '../lib/api.mjs';

function smtpConfig(port) {
  return {
    bootstrap: { domains: 'org.nl' },
    mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: port, smtp_starttls: 'off' },
  };
}

async function register(srv, email) {
  const c = new Client(srv.url);
  await c.init();
  const r = await c.post('/api/v1/register', registration(email));
  assert.equal(r.status, 202);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('an SMTP relay that is down gets the mail when it comes back, once', async () => {
  const port = await freePort();
  const srv = await startServer({ config: smtpConfig(port) });
  try {
    await register(srv, 'later@org.nl');
    await srv.waitForLog((l) => l.msg === 'mail will be retried', 10000);
    const smtp = await startSmtp({ port });
    try {
      const mail = await smtp.waitForMail((m) => m.envelope.to.includes('later@org.nl'), 20000);
      assert.match(mail.subject, /Bevestig/);
      await sleep(1500);
      assert.equal(smtp.messages.filter((m) => m.envelope.to.includes('later@org.nl')).length, 1);
      assert.ok(srv.logs().some((l) => l.msg === 'mail sent' && /^250/.test(l.reply)));
    } finally {
      await smtp.stop();
    }
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('kill -9 with a mail pending: delivered after the restart, once', async () => {
  const port = await freePort();
  const first = await startServer({ config: smtpConfig(port), keep: true });
  await register(first, 'crash@org.nl');
  await first.waitForLog((l) => l.msg === 'mail will be retried', 10000);
  await first.kill9();
  const smtp = await startSmtp({ port });
  const second = await startServer({ dir: first.dir, config: smtpConfig(port) });
  try {
    await smtp.waitForMail((m) => m.envelope.to.includes('crash@org.nl'), 20000);
    await sleep(1500);
    assert.equal(smtp.messages.filter((m) => m.envelope.to.includes('crash@org.nl')).length, 1);
  } finally {
    await smtp.stop();
    assert.equal((await second.stop()).code, 0);
  }
});

test('a 5xx answer fails the mail without a retry storm', async () => {
  const smtp = await startSmtp({
    rejectRcpt: (addr) => (addr === 'nobody@org.nl' ? Object.assign(new Error('no such user'), { responseCode: 550 }) : null),
  });
  const srv = await startServer({ config: smtpConfig(smtp.port) });
  try {
    await register(srv, 'nobody@org.nl');
    await srv.waitForLog((l) => l.msg === 'mail failed', 10000);
    await sleep(1000);
    assert.equal(srv.logs().filter((l) => l.msg === 'mail failed' || l.msg === 'mail will be retried').length, 1);
  } finally {
    await smtp.stop();
    assert.equal((await srv.stop()).code, 0);
  }
});

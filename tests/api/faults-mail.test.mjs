// Mail and the outbox under faults (issue 22, items 2 and 4; SECURITY.md
// §4 "kill -9 during outbox send", "SMTP down"): a crash between the
// relay's 250 and the server's record of it resends the mail at once after
// the restart with the same Message-ID; a relay that is down costs a few
// connections, not one per mail per poll, is logged once per interval, and
// the message report says the mail is queued until it goes out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { startServer, stopServer, freePort } from '../lib/server.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { newSession, registration, linkToken } from '../lib/api.mjs';
import { holdWriteLock, sleep } from '../lib/faults.mjs';
import { sendLinkMessage } from '../lib/linkmsg.mjs';
import { pattern } from '../lib/send.mjs';
import { query } from '../lib/db.mjs';

function smtpConfig(port, extra = {}) {
  return {
    bootstrap: { domains: 'org.nl' },
    accounts: { mails_per_hour: 1000, mails_per_ip_hour: 100000 },
    mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: port, smtp_starttls: 'off' },
    ...extra,
  };
}

/** A port where something accepts connections and closes them at once: a relay that is down. */
async function deadRelay(port) {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise((res) => server.listen(port, '127.0.0.1', res));
  return {
    get connections() {
      return connections;
    },
    stop: () => new Promise((res) => server.close(res)),
  };
}

test('kill -9 between the relay\'s 250 and the server\'s record: sent again right after the restart, with the same Message-ID', async () => {
  const port = await freePort();
  let first;
  let injected;
  const smtp = await startSmtp({
    port,
    // The first mail: the database is locked before the 250 goes out, so
    // the server cannot record the hand-over; it is killed while it tries.
    beforeReply: async (m) => {
      if (injected || !m.envelope.to.includes('crash@org.nl')) return;
      injected = (async () => {
        const lock = await holdWriteLock(first.dir, { tables: ['outbox', 'events'] });
        return lock;
      })();
      await injected;
    },
  });
  first = await startServer({ config: smtpConfig(port), keep: true });
  let second;
  try {
    const c = await newSession(first.url);
    assert.equal((await c.post('/api/v1/register', registration('crash@org.nl'))).status, 202);
    const lock = await (async () => {
      for (let i = 0; i < 200 && !injected; i++) await sleep(50);
      return injected;
    })();
    assert.ok(lock, 'the relay got the mail');
    // The 250 is out; the record waits for the lock. Kill the server then.
    await sleep(500);
    assert.equal(smtp.messages.length, 1);
    assert.ok(!first.logs().some((l) => l.msg === 'mail sent'), 'not recorded before the kill');
    // The attempt and its Message-ID were recorded before the relay was called.
    const [row] = query(first.dir, "SELECT attempts, message_id, state FROM outbox WHERE recipient = 'crash@org.nl'");
    assert.equal(row.state, 'pending');
    assert.equal(row.attempts, 1);
    assert.equal(`<${row.message_id}>`, smtp.messages[0].messageId);
    await first.kill9();
    await lock.release();
    const restarted = Date.now();
    second = await startServer({ dir: first.dir, config: smtpConfig(port) });
    await smtp.waitForMail(() => smtp.messages.length >= 2, 20000);
    const delay = Date.now() - restarted;
    await sleep(1500);
    const got = smtp.messages.filter((m) => m.envelope.to.includes('crash@org.nl'));
    assert.equal(got.length, 2, 'delivered again once, not more');
    assert.ok(got[0].messageId, 'a Message-ID');
    assert.equal(got[1].messageId, got[0].messageId, 'the same Message-ID, for the receiver to drop the duplicate');
    assert.equal(linkToken(got[1]), linkToken(got[0]));
    // Not after the 120-second lease: the restarted node frees its own claims.
    assert.ok(delay < 15000, `sent again ${delay} ms after the restart`);
    assert.ok(second.logs().some((l) => l.msg === 'outbox rows in flight at the last stop are sent again' && l.rows === 1));
    assert.ok(second.logs().some((l) => l.msg === 'mail sent'));
  } finally {
    await smtp.stop();
    if (second) await stopServer(second);
    else await first.kill9();
  }
});

test('a relay that is down: a few connections and one log line while it is, and each mail goes out once when it is back', async () => {
  const port = await freePort();
  const relay = await deadRelay(port);
  const srv = await startServer({ config: smtpConfig(port, { sms: { allowed_prefixes: '+31' } }) });
  let smtp;
  try {
    // Twenty mails wait for the relay.
    const anon = await newSession(srv.url);
    for (let i = 0; i < 20; i++) assert.equal((await anon.post('/api/v1/register', registration(`w${i}@org.nl`))).status, 202);
    const since = Date.now();
    await sleep(10000);
    const seconds = (Date.now() - since) / 1000;
    console.log(`${relay.connections} connections to the dead relay in ${seconds.toFixed(1)} s`);
    assert.ok(relay.connections >= 1, 'tried');
    assert.ok(relay.connections <= 8, `${relay.connections} connections in ${seconds} s`);
    const retried = srv.logs().filter((l) => l.msg === 'mail will be retried');
    assert.equal(retried.length, 1, 'one line per interval, not per attempt');
    await relay.stop();
    smtp = await startSmtp({ port });
    for (let i = 0; i < 20; i++) await smtp.waitForMail((m) => m.envelope.to.includes(`w${i}@org.nl`), 200000);
    await sleep(1500);
    for (let i = 0; i < 20; i++) assert.equal(smtp.messages.filter((m) => m.envelope.to.includes(`w${i}@org.nl`)).length, 1);
  } finally {
    await relay.stop().catch(() => {});
    await smtp?.stop();
    await stopServer(srv);
  }
});

test('the report of a message whose link mail waits for a relay that is down says "queued", then "handed over"', async () => {
  const port = await freePort();
  let smtp = await startSmtp({ port });
  const srv = await startServer({ config: smtpConfig(port) });
  try {
    // An employee, over a relay that works; then the relay goes away.
    const alice = await newSession(srv.url);
    const reg = registration('alice@org.nl');
    assert.equal((await alice.post('/api/v1/register', reg)).status, 202);
    const token = linkToken(await smtp.waitForMail((m) => m.envelope.to.includes('alice@org.nl')));
    assert.equal((await alice.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
    const li = await alice.post('/api/v1/login', { email: 'alice@org.nl', auth_key: reg.auth_key });
    assert.equal(li.status, 200);
    alice.csrf = li.json.csrf;
    await smtp.stop();
    smtp = null;
    const msg = await sendLinkMessage(alice, [pattern(1000, 3)], { email: 'olga@example.com' });
    const kinds = async () => (await alice.get(`/api/v1/messages/${msg.id}/events`)).json.events.map((e) => e.kind);
    let k = [];
    for (let i = 0; i < 100 && !k.includes('mail.queued'); i++) {
      await sleep(100);
      k = await kinds();
    }
    assert.ok(k.includes('mail.queued'), JSON.stringify(k));
    assert.ok(!k.includes('mail.sent'));
    const queued = (await alice.get(`/api/v1/messages/${msg.id}/events`)).json.events.find((e) => e.kind === 'mail.queued');
    assert.equal(queued.to, 'olga@example.com');
    assert.ok(queued.reply, 'the relay\'s answer (or why there was none)');
    // The PDF report says it in Dutch too.
    const pdf = await fetch(`${srv.url}/api/v1/messages/${msg.id}/report.pdf`, {
      headers: { Cookie: [...alice.jar].map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    assert.equal(pdf.status, 200);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await pdf.arrayBuffer()) }).toString();
    assert.match(text.replace(/\s+/g, ' '), /E-mail in de wachtrij/);
    smtp = await startSmtp({ port });
    await smtp.waitForMail((m) => m.envelope.to.includes('olga@example.com'), 200000);
    for (let i = 0; i < 100 && !k.includes('mail.sent'); i++) {
      await sleep(100);
      k = await kinds();
    }
    assert.ok(k.indexOf('mail.queued') < k.indexOf('mail.sent') || k.indexOf('mail.sent') !== -1, JSON.stringify(k));
    assert.equal(k.filter((x) => x === 'mail.queued').length, 1, 'queued once, not per attempt');
  } finally {
    await smtp?.stop();
    await stopServer(srv);
  }
});

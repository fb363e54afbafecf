// SMS transports (issue 7, R2) against a real securetransferd: a code SMS
// asked for through the receive API goes through the outbox to a real HTTP
// gateway on 127.0.0.1 (tests/lib/gateway.mjs): the body template with
// JSON escaping, the auth header, a 503 retried and then delivered, a 400
// failed for good, and neither the code nor the gateway secret in the log.
// The outbox parts that need no HTTP are C unit tests
// (tests/unit/test_notify_sms*.c).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, runCli, testClock } from '../lib/server.mjs';
import { newSession } from '../lib/api.mjs';
import { query } from '../lib/db.mjs';
import { employee, pattern } from '../lib/send.mjs';
import { sendLinkMessage } from '../lib/linkmsg.mjs';
import { startGateway } from '../lib/gateway.mjs';

const SECRET = 'Bearer gw-5ecret-t0ken';
const { file: clockFile } = testClock();
let offset = 0;
const addClock = (s) => writeFileSync(clockFile, String((offset += s)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let gw, srv, alice;
const codes = [];

before(async () => {
  writeFileSync(clockFile, '0');
  gw = await startGateway();
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      testing: { clock_file: clockFile },
      send: { chunk_size: 1 << 20 },
      receive: { codes_per_hour: 10 },
      accounts: { mails_per_hour: 100, session_idle: 86400, session_absolute: 604800 },
      sms: {
        transport: 'http',
        http_url: `${gw.url}/v1/messages?channel=sms`,
        http_auth_header: `Authorization: ${SECRET}`,
        http_body: '{"recipients":["{msisdn}"],"originator":"Overheid","body":"{text}","reference":"{id}"}',
      },
    },
  });
  alice = await employee(srv, 'alice@org.nl');
});

after(async () => {
  const { code } = await srv.stop();
  await gw.stop();
  if (code !== 0) console.log(srv.stderr().split('\n').filter((l) => !l.startsWith('{')).join('\n'));
  assert.equal(code, 0);
});

const visitor = () => newSession(srv.url);

const codeOf = (req) => /\b(\d{6})\b/.exec(req.body.body)?.[1];

test('a code SMS goes to the gateway as JSON with the auth header, and the code opens the message', async () => {
  const msg = await sendLinkMessage(alice, [pattern(1000, 1)]);
  const r = await visitor();
  const seen = gw.requests.length;
  const a = await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth });
  assert.equal(a.status, 202, a.text);
  const req = await gw.waitForRequest((x) => gw.requests.indexOf(x) >= seen);
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/v1/messages?channel=sms');
  assert.equal(req.headers.authorization, SECRET);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.deepEqual(req.body.recipients, ['31612345678']);
  assert.equal(req.body.originator, 'Overheid');
  assert.match(req.body.body, /^Uw code voor SecureTransfer is \d{6}\. De code is 10 minuten geldig\. Deel deze code met niemand\.$/);
  assert.ok(req.body.body.length <= 160, 'one SMS part');
  assert.match(req.body.reference, /^[A-Za-z0-9_-]{16,}$/, 'the outbox id, the same on a retry');
  const code = codeOf(req);
  codes.push(code);
  await srv.waitForLog((l) => l.msg === 'sms sent');
  const row = query(srv.dir, "SELECT kind, state, payload, reply FROM outbox WHERE kind = 'sms'")[0];
  assert.deepEqual(row, { kind: 'sms', state: 'sent', payload: '', reply: 'gateway answered HTTP 200' });
  const v = await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code });
  assert.equal(v.status, 200, v.text);
});

test('a gateway answering 503 gets the same SMS again later; a 400 fails it without retries', async () => {
  const msg = await sendLinkMessage(alice, [pattern(1000, 2)]);
  const r = await visitor();
  let seen = gw.requests.length;
  gw.failNext(503, 1);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 202);
  const first = await gw.waitForRequest((x) => gw.requests.indexOf(x) >= seen);
  assert.equal(first.status, 503);
  await srv.waitForLog((l) => l.msg === 'sms will be retried' && l.reply === 'gateway answered HTTP 503');
  addClock(30); // past the first backoff (5 s)
  const second = await gw.waitForRequest((x) => gw.requests.indexOf(x) > gw.requests.indexOf(first));
  assert.equal(second.status, 200);
  assert.equal(second.raw, first.raw, 'the retry is the same SMS, same reference');
  codes.push(codeOf(second));
  await sleep(800);
  assert.equal(gw.requests.length, seen + 2, 'delivered once after the retry');

  seen = gw.requests.length;
  gw.failNext(400, 1);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 202);
  const bad = await gw.waitForRequest((x) => gw.requests.indexOf(x) >= seen);
  assert.equal(bad.status, 400);
  codes.push(codeOf(bad));
  await srv.waitForLog((l) => l.msg === 'sms failed' && l.reply === 'gateway answered HTTP 400');
  addClock(3600);
  await sleep(1000);
  assert.equal(gw.requests.length, seen + 1, 'a 4xx is not retried');
  const failed = query(srv.dir, "SELECT state, payload FROM outbox WHERE kind = 'sms' AND state = 'failed'");
  assert.deepEqual(failed, [{ state: 'failed', payload: '' }]);
});

test('no code and no gateway secret in the server log; SMS rows are not counted as mail', async () => {
  const log = srv.stderr();
  assert.ok(codes.length >= 3 && codes.every((c) => /^\d{6}$/.test(c)));
  for (const c of codes) assert.ok(!log.includes(c), `code ${c} in the log`);
  assert.ok(!log.includes('gw-5ecret'), 'the auth header is not logged');
  assert.ok(srv.logs().some((l) => l.msg === 'outbox worker started' && l.sms_transport === 'http'));
  const metrics = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(metrics, /^st_sms_sent_total 2$/m);
  assert.match(metrics, /^st_sms_retried_total 1$/m);
  assert.match(metrics, /^st_sms_failed_total 1$/m);
  const mails = Number(/^st_mails_sent_total (\d+)$/m.exec(metrics)?.[1] ?? 0);
  const mailRows = query(srv.dir, "SELECT count(*) AS n FROM outbox WHERE kind = 'mail' AND state = 'sent'")[0].n;
  assert.equal(mails, mailRows, 'mails_sent counts only mail rows');
});

test('the http transport is refused at start without a usable URL, body or status list', async () => {
  const cases = [
    [{ transport: 'http' }, /sms\.http_url: required/],
    [{ transport: 'http', http_url: 'ftp://gw.example.nl/sms' }, /sms\.http_url: expected an http/],
    [{ transport: 'http', http_url: 'https://gw.example.nl/sms', http_body: '{"to":"{to}"}' }, /sms\.http_body/],
    [{ transport: 'http', http_url: 'https://gw.example.nl/sms', http_success: '200,abc' }, /sms\.http_success/],
    [{ transport: 'http', http_url: 'https://gw.example.nl/sms', http_auth_header: 'Bearer x' }, /sms\.http_auth_header/],
    [{ transport: 'http', http_url: 'https://gw.example.nl/sms', http_method: 'GET' }, /sms\.http_method/],
  ];
  for (const [sms, re] of cases) {
    const r = await runCli(['migrate'], { config: { sms } });
    assert.equal(r.code, 1, JSON.stringify(sms));
    assert.match(r.stderr, re, JSON.stringify(sms));
  }
  const ok = await runCli(['migrate'], { config: { sms: { transport: 'http', http_url: 'https://gw.example.nl/sms' } } });
  assert.equal(ok.code, 0, ok.stderr);
  const log = await runCli(['migrate'], { config: { sms: { transport: 'log' } } });
  assert.equal(log.code, 0, 'the http keys are not needed for the log transport');
});

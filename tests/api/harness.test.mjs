// Self-test of tests/lib: the SMTP server receives and parses real SMTP; the
// config writer produces the INI the server expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { startSmtp } from '../lib/smtp.mjs';
import { mergeConfig, toIni, writeConfig } from '../lib/server.mjs';

function smtpSend(port, from, to, data) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const script = [`EHLO test`, `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA', `${data}\r\n.`, 'QUIT'];
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      buf += d;
      // Send the next command after each complete final reply line ("250 ...", not "250-...").
      while (/^\d{3} .*\r\n/m.test(buf)) {
        const line = /^\d{3} .*\r\n/m.exec(buf);
        buf = buf.slice(line.index + line[0].length);
        if (/^[45]/.test(line[0])) return reject(new Error(line[0]));
        const next = script.shift();
        if (next === undefined) return sock.end();
        sock.write(next + '\r\n');
      }
    });
    sock.on('close', resolve);
    sock.on('error', reject);
  });
}

test('startSmtp receives, parses and waits for mail', async () => {
  const smtp = await startSmtp();
  try {
    const waiting = smtp.waitForMail((m) => m.subject === 'Hallo', 5000);
    await smtpSend(
      smtp.port,
      'noreply@st.test',
      'jan@example.org',
      'From: SecureTransfer <noreply@st.test>\r\nTo: jan@example.org\r\nSubject: Hallo\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nU heeft een bericht ontvangen.',
    );
    const mail = await waiting;
    assert.equal(mail.text.trim(), 'U heeft een bericht ontvangen.');
    assert.deepEqual(mail.envelope.to, ['jan@example.org']);
    assert.equal(mail.envelope.from, 'noreply@st.test');
    assert.equal(smtp.messages.length, 1);
    await assert.rejects(smtp.waitForMail((m) => m.subject === 'nooit', 100));
  } finally {
    await smtp.stop();
  }
});

test('config: defaults, deep merge, deletion and INI text', () => {
  const merged = mergeConfig({ a: { x: 1, y: 2 } }, { a: { y: null, z: 3 }, b: { k: 'v' } });
  assert.deepEqual(merged, { a: { x: 1, z: 3 }, b: { k: 'v' } });
  assert.equal(toIni({ s: { k: 'v', n: 1 } }), '[s]\nk = v\nn = 1\n');
  assert.throws(() => toIni({ s: { k: 'a\nb' } }));
  const cfg = writeConfig({ config: { server: { threads: 2 } } });
  try {
    const text = readFileSync(cfg.configPath, 'utf8');
    assert.match(text, /^\[server\]\nlisten = 127\.0\.0\.1:0\n/);
    assert.match(text, /threads = 2/);
    assert.match(text, /\[ops\]\nexpose_on_main = true/);
    assert.ok(text.includes(`path = ${cfg.dir}/securetransfer.db`));
  } finally {
    rmSync(cfg.dir, { recursive: true, force: true });
  }
});

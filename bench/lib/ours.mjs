// securetransferd for benchmarks: started through the tests' startServer
// (its own temp dir, config and database), a logged-in employee, and
// messages whose single document is uploaded with a stock tus-js-client.
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, REPO, writeConfig } from '../../tests/lib/server.mjs';
import { createMessage, employee, sendBody, tusUpload } from '../../tests/lib/send.mjs';
import { child, freePort, tempDir, waitForPort, stf1Header } from './bench.mjs';

/**
 * Starts ${ST_BUILD:-build}/securetransferd with the tests' config (temp
 * dir, database, blobs, file outbox) and `config` merged over what every
 * benchmark needs: no per-IP connection cap (all traffic comes from
 * 127.0.0.1) and a long upload window. Its JSON log (an access line per
 * request, as in production) goes to a file, not through a node pipe that
 * would take CPU from the measurement. Returns { srv, c, cookie() } where
 * srv is { url, port, dir, proc, stop() } and c the logged-in employee.
 */
export async function startOurs(config = {}) {
  const dir = tempDir('st-bench-ours-');
  const port = await freePort();
  const base = {
    bootstrap: { domains: 'org.nl' },
    server: { listen: `127.0.0.1:${port}`, public_url: `http://127.0.0.1:${port}`, per_ip_connections: 0 },
    send: { upload_window: 86400, max_files: 10000 },
  };
  for (const [s, kv] of Object.entries(config)) base[s] = { ...(base[s] || {}), ...kv };
  const { configPath } = writeConfig({ config: base, dir });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ST_')));
  const log = openSync(join(dir, 'server.log'), 'a');
  const proc = child(binaryPath(), ['serve', '--config', configPath], { cwd: REPO, env, stdio: ['ignore', log, log] });
  await waitForPort(port);
  const srv = {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    proc,
    stop: () =>
      new Promise((res) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res();
        proc.on('exit', () => res());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 20000).unref();
      }),
  };
  const c = await employee(srv, 'bench@org.nl');
  return { srv, c, cookie: () => [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
}

/**
 * A new message with documents of the given plaintext sizes; returns
 * { id, files: [{ id, ciphertext_size, header }] } where header is the STF1
 * header the server will accept for that file.
 */
export async function newMessage(c, sizes, name = 'groot.zip') {
  const r = await createMessage(c, sizes.map((size, i) => ({ name: sizes.length > 1 ? `d${i}.zip` : name, size })));
  if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
  const m = r.json;
  return { id: m.id, files: m.files.map((f, i) => ({ ...f, header: stf1Header(m.id, i) })) };
}

/** Uploads body (its first 96 bytes replaced by the file's header) with tus-js-client. */
export function upload(c, file, body, chunkSize) {
  file.header.copy(body, 0);
  return tusUpload(c, file.id, body, { chunkSize, retryDelays: [] });
}

/** Sends a fully uploaded message as a link message with stand-in keys. */
export async function send(c, msgId) {
  const s = await c.post(`/api/v1/messages/${msgId}/send`, sendBody(true));
  if (s.status !== 200) throw new Error(`send: ${s.status} ${s.text}`);
}

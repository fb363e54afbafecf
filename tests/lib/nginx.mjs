// Debian's nginx as a round-robin load balancer in front of test servers
// (the two-node test, tests/scale). Started as an ordinary child process,
// never the system service: its own config, pid, logs and temp paths in a
// temp dir, a free port on 127.0.0.1, one worker (so round-robin is one
// sequence), the proxy settings of docs/deploy.md (streamed bodies, retry
// on the next node only for requests that never reached one).
//
//   const lb = await startNginx([nodeA.port, nodeB.port]);   // { port } to choose nginx's port
//   lb.url                     // http://127.0.0.1:<port>
//   lb.accessLog()             // [{ method, uri, status, upstream, upstreamStatus }]
//   await lb.stop();
//
// Every response carries X-Upstream: the node address(es) nginx used.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.mjs';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;

async function waitForPort(port, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((res) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => {
        c.destroy();
        res(true);
      });
      c.on('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nginx did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The nginx.conf text for a balancer on port in front of the upstream ports. */
export function nginxConfig(dir, port, upstreams) {
  const root = process.getuid?.() === 0;
  return `# SecureTransfer test balancer, written by tests/lib/nginx.mjs
daemon off;
master_process on;
worker_processes 1;
${root ? 'user root;' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format nodes '$request_method $uri $status $upstream_addr $upstream_status';
  access_log ${dir}/access.log nodes;
  upstream securetransfer {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=60s;`).join('\n')}
    keepalive 16;
    keepalive_timeout 20s;
  }
  server_tokens off;
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_read_timeout 120s;
    location / {
      proxy_pass http://securetransfer;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Request-Id $request_id;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

/** Starts nginx balancing over 127.0.0.1:<port> for each of upstreams; port: its own (default a free one). */
export async function startNginx(upstreams, { port: wantPort } = {}) {
  if (!NGINX) throw new Error('no nginx: scripts/setup installs nginx-light');
  const dir = mkdtempSync(join(tmpdir(), 'st-nginx-'));
  const port = wantPort ?? (await freePort());
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, port, upstreams));
  const proc = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  process.on('exit', () => {
    if (!gone()) proc.kill('SIGKILL');
    if (!process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  });
  await Promise.race([
    waitForPort(port),
    new Promise((_, rej) => proc.on('exit', (code) => rej(new Error(`nginx exited (${code}): ${stderr}`)))),
  ]);
  return {
    port,
    dir,
    url: `http://127.0.0.1:${port}`,
    /** The access log so far, one object per request. */
    accessLog() {
      let text = '';
      try {
        text = readFileSync(join(dir, 'access.log'), 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          // "<method> <uri> <status> <addr>[, <addr>] <ustatus>[, <ustatus>]"
          const m = /^(\S+) (\S+) (\d+) (.*?) ((?:\d+|-)(?:, (?:\d+|-))*)$/.exec(line);
          if (!m) return { line };
          return { method: m[1], uri: m[2], status: Number(m[3]), upstream: m[4].split(', '), upstreamStatus: m[5].split(', ') };
        });
    },
    /** Lets the test process end while this nginx still runs (it is killed at exit). */
    unref() {
      proc.unref();
      proc.stderr.unref();
    },
    errorLog: () => {
      try {
        return readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    },
    stop: () =>
      new Promise((res) => {
        const done = () => {
          if (!process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
          res();
        };
        if (gone()) return done();
        proc.on('exit', done);
        proc.kill('SIGQUIT');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

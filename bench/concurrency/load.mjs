// The load of goal 4, kept apart from the measurement: IDLE keep-alive
// connections that each made one request and then sit open, and UPLOADS
// resumable tus uploads that go on for as long as the load is on.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

/**
 * Opens n keep-alive connections to host:port, each with one finished GET
 * /healthz, in batches (the listen backlog is finite). Returns
 * { sockets, closed(): how many the server has closed since }.
 */
export async function idleConnections(port, n, batch = 500, timeoutMs = 10000) {
  const sockets = [];
  let closed = 0;
  let failed = 0;
  let unanswered = 0;
  for (let i = 0; i < n; i += batch) {
    const wave = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      wave.push(
        new Promise((res) => {
          const s = connect(port, '127.0.0.1');
          let got = '';
          let done = false;
          const finish = (ok) => {
            if (done) return;
            done = true;
            if (ok) sockets.push(s);
            else failed++;
            res();
          };
          // A request the server never answers is an error, not a hang.
          const timer = setTimeout(() => {
            unanswered++;
            s.destroy();
            finish(false);
          }, timeoutMs);
          s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
          s.on('close', () => clearTimeout(timer));
          s.on('data', () => clearTimeout(timer));
          s.on('data', (d) => {
            got += d;
            if (/\r\n\r\n/.test(got)) finish(/^HTTP\/1\.1 200/.test(got));
          });
          s.on('error', () => finish(false));
          s.on('close', () => {
            if (done) closed++;
            finish(false);
          });
        }),
      );
    }
    await Promise.all(wave);
  }
  return {
    sockets,
    failed,
    unanswered,
    closed: () => closed,
    close: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

/**
 * Runs one resumable tus upload per file, without end until stop(): create,
 * PATCH `chunk` bytes at a time (a HEAD every 4th PATCH, as a client
 * checking where to resume), and just before the last PATCH terminate
 * (DELETE) and start over, so each stays an upload in progress. Each
 * upload sends at most one PATCH per `pace` ms, like a person on a line of
 * chunk/pace bytes per second. Returns { stop(), stats() }.
 */
export function uploads(base, auth, files, { chunk = 64 * 1024, pace = 1000, body }) {
  const agent = new Agent({ keepAlive: true, maxSockets: files.length + 16 });
  let running = true;
  const st = { patches: 0, bytes: 0, heads: 0, restarts: 0, errors: 0, firstErrors: [] };
  const u = new URL(base);
  const call = (method, path, headers, data) =>
    new Promise((res) => {
      const req = request({ host: u.hostname, port: u.port, method, path, agent, headers: { ...auth, 'Tus-Resumable': '1.0.0', ...headers } }, (r) => {
        r.resume();
        r.on('end', () => res({ status: r.statusCode, headers: r.headers }));
      });
      req.on('error', (e) => res({ status: 0, error: e.message }));
      req.end(data);
    });
  const fail = (what, r) => {
    st.errors++;
    if (st.firstErrors.length < 5) st.firstErrors.push(`${what}: ${r.status} ${r.error || ''}`);
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function one(f) {
    const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
    const size = f.ciphertext_size;
    let offset = -1;
    let loc = null;
    let n = 0;
    // Spread the starts over one pace period.
    await sleep(Math.random() * pace);
    while (running) {
      const t0 = Date.now();
      if (offset < 0) {
        const r = await call('POST', '/api/v1/uploads', { 'Upload-Length': String(size), 'Upload-Metadata': meta, 'Content-Length': '0' });
        if (r.status !== 201) fail('POST', r);
        else {
          loc = r.headers.location;
          offset = 0;
        }
      } else if (offset + chunk >= size) {
        const r = await call('DELETE', loc, { 'Content-Length': '0' });
        if (r.status !== 204) fail('DELETE', r);
        st.restarts++;
        offset = -1;
        continue;
      } else {
        const data = offset === 0 ? Buffer.concat([f.header, body.subarray(f.header.length, chunk)]) : body.subarray(0, chunk);
        const r = await call('PATCH', loc, { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(chunk) }, data);
        if (r.status !== 204 || Number(r.headers['upload-offset']) !== offset + chunk) {
          fail('PATCH', r);
          offset = -1;
          continue;
        }
        st.patches++;
        st.bytes += chunk;
        offset += chunk;
        if (++n % 4 === 0) {
          const h = await call('HEAD', loc, {});
          st.heads++;
          if (h.status !== 200 || Number(h.headers['upload-offset']) !== offset) fail('HEAD', h);
        }
      }
      await sleep(Math.max(0, pace - (Date.now() - t0)));
    }
  }
  const all = files.map((f) => one(f));
  return {
    stats: () => ({ ...st }),
    async stop() {
      running = false;
      await Promise.all(all);
      agent.destroy();
    },
  };
}

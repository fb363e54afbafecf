// An HTTP proxy between a client and a test server that can lose an
// answer on purpose: the request reaches the server, which does its work,
// and the client's connection is cut before the answer arrives, as when
// the server dies right after committing (issue 22, the CLI's retries).
//
//   const px = await startProxy(srv.port);
//   px.trap((req) => req.method === 'POST' && req.url === '/api/v1/messages', async () => {
//     await srv.kill9(); px.setUpstream(null); ...; px.setUpstream(newPort);
//   });
//   px.url; px.log; await px.stop();
//
// While the upstream is null (a server restarting) every request's
// connection is cut: the client sees no answer at all. fail(503) answers
// every request with that status and an S3-style XML error instead (a
// store that is down: 503 SlowDown / ServiceUnavailable), fail(null) ends it.
import { Agent, createServer, request } from 'node:http';

export async function startProxy(upstreamPort) {
  let upstream = upstreamPort;
  let trapped = null;
  let failing = null;
  const log = [];
  const agent = new Agent({ keepAlive: false });
  const server = createServer((req, res) => {
    const entry = { method: req.method, url: req.url, status: null, cut: false };
    log.push(entry);
    const cut = () => {
      entry.cut = true;
      req.socket.destroy();
    };
    if (failing != null) {
      req.resume();
      req.on('end', () => {
        entry.status = failing;
        res.writeHead(failing, { 'Content-Type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error>');
      });
      return;
    }
    if (upstream == null) {
      req.resume();
      req.on('end', cut);
      return;
    }
    const trap = trapped && trapped.match(req) ? trapped : null;
    if (trap) trapped = null;
    const up = request(
      { host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers, agent },
      (ur) => {
        entry.status = ur.statusCode;
        if (trap) {
          // The server answered: the client never hears it.
          ur.resume();
          ur.on('end', () => {
            cut();
            trap.then().catch((e) => console.error('proxy trap:', e));
          });
          return;
        }
        res.writeHead(ur.statusCode, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', cut);
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log,
    /** The next request that matches: forwarded, answered, the answer lost, then `then` runs. */
    trap(match, then) {
      trapped = { match, then };
    },
    /** Whether the trap has fired (or none is set). */
    get fired() {
      return trapped == null;
    },
    setUpstream(p) {
      upstream = p;
    },
    fail(status) {
      failing = status;
    },
    stop() {
      server.closeAllConnections?.();
      return new Promise((r) => server.close(r));
    },
  };
}

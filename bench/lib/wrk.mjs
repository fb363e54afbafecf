// wrk from Debian, parsed: requests/s, latency percentiles and errors.
import { execFile } from 'node:child_process';

const toMs = (v) => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60000 }[m[2]];
};

/**
 * Runs `wrk --latency` against url; returns { rps, p50, p75, p90, p99 (ms),
 * requests, non2xx, socketErrors, raw }.
 */
export function wrk(url, { threads = 2, connections = 32, seconds = 10, headers = [] } = {}) {
  const args = ['--latency', '-t', String(threads), '-c', String(connections), '-d', `${seconds}s`];
  for (const h of headers) args.push('-H', h);
  args.push(url);
  return new Promise((res, rej) => {
    execFile('wrk', args, { encoding: 'utf8', timeout: (seconds + 60) * 1000 }, (err, out) => {
      if (err) return rej(new Error(`wrk: ${err.message}\n${out}`));
      const pct = (p) => toMs((new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out) || [])[1]);
      const num = (re) => Number((re.exec(out) || [0, 0])[1]);
      const se = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      res({
        rps: num(/Requests\/sec:\s+([\d.]+)/),
        p50: pct(50),
        p75: pct(75),
        p90: pct(90),
        p99: pct(99),
        requests: num(/(\d+) requests in/),
        non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
        socketErrors: se ? se.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0,
        raw: out,
      });
    });
  });
}

// Goal 2, download: SIZE MiB (BENCH_DOWNLOAD_MIB, default 1024) of stored
// ciphertext fetched with curl (to /dev/null) from
//   - ours: GET /api/v1/messages/{id}/files/{file} with the sender's session
//     (an fd response: libmicrohttpd sends it with sendfile),
//   - nginx: the very same blob file as a static file, sendfile on.
// Warm: the file is in the page cache. Cold: the page cache is dropped
// before every GET (how is printed: drop_caches when permitted, else
// posix_fadvise DONTNEED on the file). Rounds alternate the two servers.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MiB, ROUNDS, alternate, dropCache, envNum, mmm, randomBytesBig, ratio, startNginx, table } from '../lib/bench.mjs';
import { newMessage, send, startOurs, upload } from '../lib/ours.mjs';

const sizeMiB = envNum('BENCH_DOWNLOAD_MIB', 1024);
const ours = await startOurs();
const m = await newMessage(ours.c, [sizeMiB * MiB]);
await upload(ours.c, m.files[0], randomBytesBig(m.files[0].ciphertext_size), 64 * MiB);
await send(ours.c, m.id);

// The committed object: the only file under <store>/xx/yy/.
const blobs = join(ours.srv.dir, 'blobs');
const find = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'staging' ? [] : find(join(d, e.name))) : [join(d, e.name)]));
const [file] = find(blobs);
const size = statSync(file).size;

const nginx = await startNginx(`
    root ${blobs};
    sendfile on;
    tcp_nopush on;
    location / { }
`);

const urls = {
  ours: [`${ours.srv.url}/api/v1/messages/${m.id}/files/${m.files[0].id}`, '-H', `Cookie: ${ours.cookie()}`],
  nginx: [`${nginx.url}/${relative(blobs, file)}`],
};
let how = 'warm';
/** One GET with curl; MiB/s. */
function get(which, cold) {
  if (cold) how = dropCache([file]);
  const [url, ...h] = urls[which];
  const out = execFileSync('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', ...h, url], { encoding: 'utf8' });
  const [bytes, secs] = out.split(' ').map(Number);
  if (bytes !== size) throw new Error(`${which}: got ${bytes} of ${size} bytes`);
  return bytes / MiB / secs;
}

get('ours', false); // warm the cache and both code paths once
get('nginx', false);
const rows = [];
for (const cold of [false, true]) {
  process.stderr.write(`download: ${cold ? 'cold' : 'warm'}\n`);
  const r = await alternate({ ours: () => get('ours', cold), nginx: () => get('nginx', cold) });
  const label = cold ? 'cold' : 'warm';
  rows.push([`ours, ${label} cache`, mmm(r.ours), '', '']);
  rows.push([`nginx sendfile, ${label} cache`, mmm(r.nginx), ratio(r.ours, r.nginx), '≥ 0.9']);
}
console.log(`${(size / MiB).toFixed(0)} MiB GET with curl to /dev/null on 127.0.0.1, ${ROUNDS} rounds; cold cache by ${how}\n`);
console.log(table(['server', 'MiB/s min / **median** / max', 'ours ÷ nginx (medians)', 'goal'], rows));
await ours.srv.stop();
await nginx.stop();
process.exit(0);

// s3rver for the benchmark, in its own process (its event loop must not
// share a thread with the client's). Makes the bucket "bench" and prints
// the port on stdout.
//   node s3rver.mjs DIRECTORY
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import S3rver from 's3rver';

mkdirSync(join(process.argv[2], 'bench'), { recursive: true });
const s = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2] });
const { port } = await s.run();
console.log(port);

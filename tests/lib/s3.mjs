// The S3 store in tests: with ST_TEST_STORE=s3 every test server keeps its
// objects in a bucket of its own on an s3rver (npm) that this module starts
// inside the test process on 127.0.0.1 (one per test file; node --test runs
// each file in its own process). Tests that always want S3 call startS3().
//
//   import { startS3 } from '../lib/s3.mjs';
//   const s3 = await startS3();            // { endpoint, port, root, bucketFor(dir), storeConfig(dir, extra) }
//
// s3rver keeps buckets as folders under root, so a bucket is made with a
// plain mkdir (writeConfig is synchronous). s3rver checks the access key
// but not SigV4 signatures; `make check-ceph` would (see README).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import S3rver from 's3rver';

export const S3_MODE = process.env.ST_TEST_STORE === 's3';
export const S3_KEY = 'S3RVER'; // s3rver's built-in account
export const S3_SECRET = 'S3RVER';

let running = null;

/** The bucket of the test server whose folder is dir. */
export function bucketName(dir) {
  return `st-${basename(dir).toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);
}

/** Starts (once per process) an s3rver on 127.0.0.1 with an ephemeral port. */
export async function startS3() {
  if (running) return running;
  const root = mkdtempSync(join(tmpdir(), 'st-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: root,
    // Virtual-host style: <bucket>.s3.localhost (curl resolves *.localhost
    // to 127.0.0.1 without DNS).
    serviceEndpoint: 'localhost',
  });
  const { port } = await server.run();
  // The test process exits when its tests end, s3rver or not.
  server.httpServer.unref();
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  running = {
    server,
    port,
    root,
    endpoint: `http://127.0.0.1:${port}`,
    vhostEndpoint: `http://s3.localhost:${port}`,
    /** A bucket for the server whose folder is dir (made if absent). */
    bucketFor(dir) {
      const name = bucketName(dir);
      mkdirSync(join(root, name), { recursive: true });
      return name;
    },
    /** The file in which s3rver keeps object key of bucket. */
    objectFile(bucket, key) {
      return join(root, bucket, `${key}._S3rver_object`);
    },
    /** Multipart uploads s3rver holds open in bucket. */
    openUploads(bucket) {
      try {
        return readdirSync(join(root, bucket, '._S3rver_uploads')).length;
      } catch {
        return 0;
      }
    },
    /** The [store] settings of a server in dir on this s3rver. */
    storeConfig(dir, extra = {}) {
      const virtual = extra.s3_url_style === 'virtual';
      return {
        driver: 's3',
        s3_endpoint: virtual ? this.vhostEndpoint : this.endpoint,
        s3_bucket: this.bucketFor(dir),
        s3_region: 'us-east-1',
        s3_access_key: S3_KEY,
        s3_secret_key: S3_SECRET,
        // The smallest part S3 allows, so that tests of a few MiB span parts.
        s3_part_size: 5 * 1024 * 1024,
        ...extra,
      };
    },
    /** Every object key in bucket (recursively, as s3rver stores them). */
    objects(bucket) {
      const out = [];
      const walk = (d, prefix) => {
        for (const e of readdirSync(d)) {
          const p = join(d, e);
          if (statSync(p).isDirectory()) walk(p, `${prefix}${e}/`);
          else if (e.endsWith('._S3rver_object')) out.push(prefix + e.slice(0, -'._S3rver_object'.length));
        }
      };
      try {
        walk(join(root, bucket), '');
      } catch {
        /* no bucket */
      }
      return out.sort();
    },
  };
  return running;
}

// With ST_TEST_STORE=s3 the store is ready before any config is written.
export const s3 = S3_MODE ? await startS3() : null;

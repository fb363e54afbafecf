// Hashed asset URLs known at build time. web/build.mjs defines __ST_WORKERS__
// as { name: "/assets/<name>-<hash>.js" } for every worker entry it built.
/* global __ST_WORKERS__ */
import { createWorker } from './trusted.js';

const WORKERS = typeof __ST_WORKERS__ === 'object' ? __ST_WORKERS__ : {};

/** The URL of worker bundle `name` (e.g. "send-worker"); throws if it was not built. */
export function workerUrl(name) {
  const url = WORKERS[name];
  if (!url) throw new Error(`worker ${name} is not in this build`);
  return url;
}

/** Starts worker `name` through the Trusted Types policy. */
export function startWorker(name, options) {
  return createWorker(workerUrl(name), options);
}


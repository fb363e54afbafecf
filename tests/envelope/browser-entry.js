// Entry bundled by browser.test.mjs for headless Chromium: the same suite as
// in node, the upload Worker over rpc.js as real module Workers
// (suite-workers.js), and the vector files.
import { runAll } from './harness.js';
import { cases as fileCases } from './suite.js';
import { cases as keyCases } from './suite-keys.js';
import { vectorCases } from './vectors.js';
import { workerCases } from './suite-workers.js';

const createWorker = () => new Worker('/worker.js', { type: 'module' });

globalThis.runEnvelopeSuite = async ({ vectors, filter }) => {
  const all = [...fileCases, ...keyCases, ...workerCases(createWorker), ...vectorCases(vectors)];
  return runAll(all, filter ? (n) => n.includes(filter) : undefined);
};
globalThis.envelopeReady = true;

// Entry bundled by browser.test.mjs for headless Chromium: the same suite as
// in node, the pool over real module Workers, and the vector files.
import { runAll } from './harness.js';
import { cases as fileCases, poolCases } from './suite.js';
import { cases as keyCases } from './suite-keys.js';
import { vectorCases } from './vectors.js';

const createWorker = () => new Worker('/worker.js', { type: 'module' });

globalThis.runEnvelopeSuite = async ({ vectors, filter }) => {
  const all = [...fileCases, ...keyCases, ...poolCases(createWorker), ...vectorCases(vectors)];
  return runAll(all, filter ? (n) => n.includes(filter) : undefined);
};
globalThis.envelopeReady = true;

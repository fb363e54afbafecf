// node: the spec-derived suite (suite.js) and the pool over in-process Workers.
import { test } from 'node:test';
import { cases as fileCases, poolCases } from './suite.js';
import { cases as keyCases } from './suite-keys.js';
import { createFakeWorker } from './fake-worker.js';

for (const c of [...fileCases, ...keyCases, ...poolCases(createFakeWorker)]) test(c.name, c.fn);

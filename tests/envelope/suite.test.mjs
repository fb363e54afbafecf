// node: the spec-derived suite (suite.js); the upload Worker over rpc.js runs
// in Chromium only (suite-workers.js, browser.test.mjs).
import { test } from 'node:test';
import { cases as fileCases } from './suite.js';
import { cases as keyCases } from './suite-keys.js';

for (const c of [...fileCases, ...keyCases]) test(c.name, c.fn);

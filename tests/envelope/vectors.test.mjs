// node: every vector in tests/vectors/*.json (see vectors.js).
import { test } from 'node:test';
import { vectorCases } from './vectors.js';
import { loadVectors, VECTOR_DIR } from './vectors-load.mjs';

const vec = loadVectors();
const cases = vectorCases(vec);
if (!cases.length) test('vectors', { skip: `no vector files in ${VECTOR_DIR} yet` }, () => {});
for (const c of cases) test(c.name, c.fn);

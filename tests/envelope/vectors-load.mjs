// Reads tests/vectors/*.json (node side). Returns {} when none exist yet.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './serve.js';

export const VECTOR_DIR = join(ROOT, 'tests/vectors');

export function loadVectors() {
  const out = {};
  if (!existsSync(VECTOR_DIR)) return out;
  for (const f of readdirSync(VECTOR_DIR)) if (f.endsWith('.json')) out[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(VECTOR_DIR, f), 'utf8'));
  return out;
}

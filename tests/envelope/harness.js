// A tiny environment-neutral test list, so the same checks run under
// node:test and inside headless Chromium (where node:test does not exist).
export function makeSuite() {
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn });
  return { cases, test };
}

export class AssertionError extends Error {}

export const assert = {
  ok(v, msg = 'expected truthy') { if (!v) throw new AssertionError(msg); },
  equal(a, b, msg) { if (a !== b) throw new AssertionError(`${msg ?? 'equal'}: ${String(a)} !== ${String(b)}`); },
  bytes(a, b, msg) {
    const x = a instanceof Uint8Array ? a : new Uint8Array(a), y = b instanceof Uint8Array ? b : new Uint8Array(b);
    if (x.length !== y.length) throw new AssertionError(`${msg ?? 'bytes'}: length ${x.length} !== ${y.length}`);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) throw new AssertionError(`${msg ?? 'bytes'}: differ at ${i}`);
  },
  async code(p, code, msg) {
    let err = null;
    try { await (typeof p === 'function' ? p() : p); } catch (e) { err = e; }
    if (!err) throw new AssertionError(`${msg ?? 'expected error'} ${code}: no error`);
    if (err.code !== code) throw new AssertionError(`${msg ?? 'expected error'} ${code}, got ${err.code ?? ''} ${err.message}`);
  },
};

// Runs cases sequentially; returns [{name, ok, skipped, error, ms}].
export async function runAll(cases, filter) {
  const out = [];
  for (const c of cases) {
    if (filter && !filter(c.name)) continue;
    const t0 = performance.now();
    try {
      const r = await c.fn();
      out.push({ name: c.name, ok: true, skipped: r === 'skip' ? true : undefined, ms: Math.round(performance.now() - t0) });
    } catch (e) {
      out.push({ name: c.name, ok: false, error: `${e && e.code ? `[${e.code}] ` : ''}${e && e.stack || e}`, ms: Math.round(performance.now() - t0) });
    }
  }
  return out;
}

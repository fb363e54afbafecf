// The client's KDF parameters and its floor (SECURITY.md §1.7, W10, checklist
// #6). Parameters from the server are only checked against these, before
// anything is derived or sent. Tiny on purpose: page code imports it without
// pulling in Argon2.
import { AccountKeyError } from './codec.js';

/** What this client uses for new passwords; also the floor it accepts. */
export const KDF_DEFAULT = Object.freeze({ alg: 'argon2id', m: 65536, t: 3, p: 1 });
// Upper bounds too: a server must not make the browser allocate gigabytes or spin for minutes.
const KDF_MAX = Object.freeze({ m: 4 * 1024 * 1024, t: 64 });

/** A clean copy of kdf if it meets the floor; else throws AccountKeyError('weak_kdf'). */
export function checkKdf(kdf) {
  const ok =
    kdf !== null &&
    typeof kdf === 'object' &&
    kdf.alg === 'argon2id' &&
    Number.isSafeInteger(kdf.m) &&
    Number.isSafeInteger(kdf.t) &&
    kdf.m >= KDF_DEFAULT.m &&
    kdf.m <= KDF_MAX.m &&
    kdf.t >= KDF_DEFAULT.t &&
    kdf.t <= KDF_MAX.t &&
    kdf.p === 1;
  if (!ok) throw new AccountKeyError('weak_kdf', `KDF parameters refused: ${JSON.stringify(kdf)}`);
  return { alg: 'argon2id', m: kdf.m, t: kdf.t, p: 1 };
}

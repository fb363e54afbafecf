// The second factor (A8) in the browser: the account's factors, WebAuthn
// through navigator.credentials (the server sends and takes binary members
// as base64url), the authenticator-app set-up, the step-up, and the second
// step of a login. The server checks everything (src/domain/factors.c).
import { api } from '../../lib/api.js';
import { b64uDecode, b64uEncode } from '../codec.js';

const buf = (s) => new Uint8Array(b64uDecode(s)).buffer;
const enc = (ab) => b64uEncode(new Uint8Array(ab));

/** Whether this browser can do WebAuthn at all. */
export function webauthnSupported() {
  return typeof window !== 'undefined' && !!window.PublicKeyCredential && !!navigator.credentials;
}

function creationOptions(pk) {
  return {
    ...pk,
    challenge: buf(pk.challenge),
    user: { ...pk.user, id: buf(pk.user.id) },
    excludeCredentials: (pk.excludeCredentials || []).map((c) => ({ ...c, id: buf(c.id) })),
  };
}

function requestOptions(pk) {
  return {
    ...pk,
    challenge: buf(pk.challenge),
    allowCredentials: (pk.allowCredentials || []).map((c) => ({ ...c, id: buf(c.id) })),
  };
}

/** Asks the authenticator for an assertion; resolves the credential for the API. */
export async function assertWith(publicKey) {
  const cred = await navigator.credentials.get({ publicKey: requestOptions(publicKey) });
  if (!cred) throw Object.assign(new Error('no credential'), { code: 'webauthn_cancelled' });
  return {
    id: enc(cred.rawId),
    client_data: enc(cred.response.clientDataJSON),
    authenticator_data: enc(cred.response.authenticatorData),
    signature: enc(cred.response.signature),
  };
}

export const factors = {
  get: () => api.get('/account/factors'),
  /** Registers a passkey or security key named name; resolves { recovery_codes? }. */
  async addPasskey(name) {
    const { publicKey } = await api.post('/account/factors/webauthn/options', { purpose: 'register' });
    const cred = await navigator.credentials.create({ publicKey: creationOptions(publicKey) });
    if (!cred) throw Object.assign(new Error('no credential'), { code: 'webauthn_cancelled' });
    return api.post('/account/factors/webauthn', {
      name,
      id: enc(cred.rawId),
      client_data: enc(cred.response.clientDataJSON),
      attestation_object: enc(cred.response.attestationObject),
    });
  },
  removePasskey: (id) => api.delete(`/account/factors/webauthn/${encodeURIComponent(id)}`),
  beginTotp: () => api.post('/account/factors/totp'),
  confirmTotp: (code) => api.post('/account/factors/totp/confirm', { code }),
  removeTotp: () => api.delete('/account/factors/totp'),
  newRecoveryCodes: () => api.post('/account/factors/recovery-codes'),
  /** Step-up: a code ({ totp } or { recovery_code }) or, without one, a passkey. */
  async verify(proof) {
    if (proof) return api.post('/account/factors/verify', proof);
    const { publicKey } = await api.post('/account/factors/webauthn/options', { purpose: 'verify' });
    return api.post('/account/factors/verify', { credential: await assertWith(publicKey) });
  },
};

/** A login's second step: { totp } / { recovery_code } / or a passkey from the login's options. */
export async function loginFactorProof(pending, proof) {
  if (proof) return { token: pending.token, ...proof };
  return { token: pending.token, credential: await assertWith(pending.webauthn.publicKey) };
}

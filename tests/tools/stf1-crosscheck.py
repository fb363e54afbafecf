#!/usr/bin/env python3
"""An independent check of tests/vectors/ with pyca/cryptography (no code
shared with src/envelope): file encryption, derivations, stanzas, key-id
words, canonical manifest, signature and sealing. Run from the repository
root: python3 tests/tools/stf1-crosscheck.py. Prints "N passed, N failed"."""
import base64, hashlib, hmac, json, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

H = bytes.fromhex
V = 'tests/vectors/'
results = []


def hkdf(ikm, salt, info):
    return HKDF(hashes.SHA256(), 32, salt, info).derive(ikm)


def check(name, ok):
    results.append(ok)
    if not ok:
        print('FAIL', name)


for v in json.load(open(V + 'stf1.json'))['positive']:
    K, mid, salt, j, L = H(v['K']), H(v['msg_id']), H(v['salt']), v['file_index'], v['record_size_log2']
    R, n = 1 << L, v['plaintext_length']
    info = mid + j.to_bytes(4, 'big')
    fk = hkdf(K, salt, b'securetransfer/v1/file' + info)
    hk = hkdf(K, salt, b'securetransfer/v1/file-header-mac' + info)
    h = b'STF1' + bytes([1, 1, L, 0]) + info + salt + bytes(4)
    h += hmac.new(hk, h, 'sha256').digest()
    pt = bytes((i * 31 + 7) & 255 for i in range(n))
    recs = [pt[i:i + R] for i in range(0, n, R)] or [b'']
    ct = bytearray(h)
    for i, r in enumerate(recs):
        ct += AESGCM(fk).encrypt(i.to_bytes(11, 'big') + bytes([i == len(recs) - 1]), r, h)
    check(v['name'], h.hex() == v['header'] and len(ct) == v['ciphertext_size']
          and hashlib.sha256(ct).hexdigest() == v['ciphertext_sha256'])

s = json.load(open(V + 'stanzas.json'))
for x in s['x25519']:
    rpk = X25519PrivateKey.from_private_bytes(H(x['recipient_sk'])).public_key().public_bytes_raw()
    esk = X25519PrivateKey.from_private_bytes(H(x['eph_sk']))
    epk = esk.public_key().public_bytes_raw()
    kid, mid = hashlib.sha256(rpk).digest()[:16], H(x['msg_id'])
    wk = hkdf(esk.exchange(X25519PublicKey.from_public_bytes(rpk)), epk + rpk,
              b'securetransfer/v1/x25519-wrap' + mid + kid)
    check('x25519', (epk + AESGCM(wk).encrypt(bytes(12), H(x['K']), mid + kid)).hex() == x['stanza'])
for l in s['link']:
    S, Rs, mid = H(l['S']), H(l['R_srv']), H(l['msg_id'])
    la, lwk = hkdf(S, mid, b'securetransfer/v1/link-auth'), hkdf(S + Rs, mid, b'securetransfer/v1/link-wrap')
    check('link', la.hex() == l['link_auth'] and lwk.hex() == l['LWK']
          and AESGCM(lwk).encrypt(bytes(12), H(l['K']), mid + b'link').hex() == l['stanza'])
for d in s['derivations']:
    check('MK', hkdf(H(d['K']), H(d['msg_id']), b'securetransfer/v1/manifest').hex() == d['MK'])
words = open('tests/tools/wordlist-nl.txt').read().split()
for k in s['key_ids']:
    x = int.from_bytes(hashlib.sha256(H(k['pk'])).digest()[:8], 'big')
    check(k['name'], ' '.join(words[(x >> (64 - 10 * (i + 1))) & 0x3ff] for i in range(6)) == k['words'])

m = json.load(open(V + 'manifest.json'))
man = dict(m['manifest'])
sig = man.pop('sig')
canon = lambda o: json.dumps(o, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode()
check('canonical', canon(man).hex() == m['canonical_unsigned_hex'])
sg = Ed25519PrivateKey.from_private_bytes(H(m['sign_seed'])).sign(
    b'securetransfer/v1/manifest-sig' + hashlib.sha256(canon(man)).digest())
check('signature', base64.urlsafe_b64encode(sg).rstrip(b'=').decode() == sig)
mk = hkdf(H(m['K']), H(m['msg_id']), b'securetransfer/v1/manifest')
check('sealed', (H(m['nonce']) + AESGCM(mk).encrypt(H(m['nonce']), canon(m['manifest']),
      b'securetransfer/v1/manifest' + H(m['msg_id']))).hex() == m['sealed_hex'])

print(f'{sum(results)} passed, {len(results) - sum(results)} failed')
sys.exit(0 if all(results) else 1)

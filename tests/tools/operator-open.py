#!/usr/bin/env python3
"""The curious operator of SECURITY.md section 2 ("Curious operator,
passive"), as a script that knows the formats (docs/format-stf1.md) and
shares no code with the product: given everything at rest, it tries to open
every link message.

    python3 tests/tools/operator-open.py --dump DUMP.json --secrets DIR \\
        --scan PATH [--scan PATH ...]

DUMP.json holds the rows it needs, as the test read them from the database
(either engine): {"messages": [{id, rcpt_kind, link_stanza}],
"message_keys": [{message_id, r_srv}], "files": [{message_id, idx, path}],
"outbox": [{id, payload}]}. DIR is server.secrets_dir (outbox.key). Every
--scan file or folder is read whole: the database files (with -wal), the
blobs, the SMS log, the server's log, the mails the SMTP server received.

What it does, for each link message:
  1. collects every string that could be the link secret S: each run of 43
     base64url characters and each 64-character hex run in every scanned
     file, in every MIME part of every mail (decoded from quoted-printable
     or base64), and in every outbox payload it unseals with outbox.key
     (crypto_secretbox, through libsodium);
  2. tries each against the link stanza with R_srv
     (LWK = HKDF(S || R_srv, msg_id, "securetransfer/v1/link-wrap"));
  3. with the K that opens, decrypts every STF1 object of the message.
Prints {msg_id: {"opened": bool, "found_in": str|null, "files":
[{"idx", "sha256"}]}} as JSON. A message it cannot open is one the
operator cannot read.
"""
import argparse, base64, ctypes, ctypes.util, email, email.policy, hashlib, hmac, json, os, re, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.exceptions import InvalidTag

B64U_RUN = re.compile(rb'[A-Za-z0-9_-]{43,}')
HEX_RUN = re.compile(rb'[0-9a-fA-F]{64}')


def b64u(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.urlsafe_b64decode(s + b'=' * (-len(s) % 4))


def hkdf(ikm, salt, info):
    return HKDF(hashes.SHA256(), 32, salt, info).derive(ikm)


def sodium():
    name = ctypes.util.find_library('sodium') or 'libsodium.so.23'
    lib = ctypes.CDLL(name)
    if lib.sodium_init() < 0:
        raise RuntimeError('sodium_init')
    return lib


def unseal(lib, key, sealed):
    """crypto_secretbox_open_easy of b64u(nonce 24 || box); None if it fails."""
    box = b64u(sealed)
    if len(box) < 24 + 16:
        return None
    out = ctypes.create_string_buffer(len(box) - 40)
    c = box[24:]
    if lib.crypto_secretbox_open_easy(out, c, ctypes.c_ulonglong(len(c)), box[:24], key) != 0:
        return None
    return out.raw


def mail_texts(raw):
    """The decoded text of every part of a mail (headers included)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = [str(msg).encode('utf-8', 'replace')]
    for part in msg.walk():
        try:
            payload = part.get_payload(decode=True)
        except Exception:  # a part the parser cannot decode is read raw below
            payload = None
        if payload:
            out.append(payload)
    return out


def files_under(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                for n in names:
                    yield os.path.join(root, n)
        elif os.path.exists(p):
            yield p


def candidates(blobs):
    """{32-byte S candidate: where}: every 43-window of base64url runs, hex runs."""
    found = {}
    for where, data in blobs:
        for m in B64U_RUN.finditer(data):
            run = m.group(0)
            for i in range(len(run) - 42):
                try:
                    s = b64u(run[i:i + 43])
                except Exception:
                    continue
                if len(s) == 32:
                    found.setdefault(s, where)
        for m in HEX_RUN.finditer(data):
            found.setdefault(bytes.fromhex(m.group(0).decode()), where)
    return found


def open_link(stanza, s, r_srv, msg_id):
    lwk = hkdf(s + r_srv, msg_id, b'securetransfer/v1/link-wrap')
    try:
        return AESGCM(lwk).decrypt(bytes(12), stanza, msg_id + b'link')
    except InvalidTag:
        return None


def stf1_decrypt(k, data):
    """Plaintext of an STF1 object (format-stf1.md section 2), or raises."""
    h = data[:96]
    if len(h) < 96 or h[:4] != b'STF1' or h[4:8] != bytes([1, 1, h[6], 0]):
        raise ValueError('not STF1')
    log2, msg_id, j, salt = h[6], h[8:24], h[24:28], h[28:60]
    fk = hkdf(k, salt, b'securetransfer/v1/file' + msg_id + j)
    hk = hkdf(k, salt, b'securetransfer/v1/file-header-mac' + msg_id + j)
    if not hmac.compare_digest(hmac.new(hk, h[:64], 'sha256').digest(), h[64:96]):
        raise ValueError('header_mac')
    rec, pos, i, out = (1 << log2) + 16, 96, 0, []
    while True:
        chunk = data[pos:pos + rec]
        last = pos + len(chunk) >= len(data)
        nonce = i.to_bytes(11, 'big') + bytes([1 if last else 0])
        out.append(AESGCM(fk).decrypt(nonce, chunk, h))
        pos += len(chunk)
        i += 1
        if last:
            return b''.join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dump', required=True)
    ap.add_argument('--secrets', required=True)
    ap.add_argument('--scan', action='append', default=[])
    ap.add_argument('--mails', action='append', default=[], help='folders of .eml files')
    a = ap.parse_args()
    dump = json.load(open(a.dump))
    blobs = [(p, open(p, 'rb').read()) for p in files_under(a.scan)]
    for p in files_under(a.mails):
        raw = open(p, 'rb').read()
        blobs.append((p, raw))
        blobs.extend((p, t) for t in mail_texts(raw))
    key = open(os.path.join(a.secrets, 'outbox.key'), 'rb').read()
    lib = sodium()
    for row in dump.get('outbox', []):
        if row.get('payload'):
            plain = unseal(lib, key, row['payload'])
            if plain is not None:
                blobs.append(('outbox:' + row['id'], plain))
    cands = candidates(blobs)
    r_srv = {r['message_id']: b64u(r['r_srv']) for r in dump.get('message_keys', [])}
    result = {}
    for m in dump['messages']:
        if m.get('rcpt_kind') != 'link' or not m.get('link_stanza') or m['id'] not in r_srv:
            continue
        mid, stanza = b64u(m['id']), b64u(m['link_stanza'])
        entry = {'opened': False, 'found_in': None, 'files': []}
        for s, where in cands.items():
            k = open_link(stanza, s, r_srv[m['id']], mid)
            if k is not None:
                entry.update(opened=True, found_in=where)
                for f in sorted((f for f in dump['files'] if f['message_id'] == m['id']), key=lambda f: f['idx']):
                    plain = stf1_decrypt(k, open(f['path'], 'rb').read())
                    entry['files'].append({'idx': f['idx'], 'sha256': hashlib.sha256(plain).hexdigest()})
                break
        result[m['id']] = entry
    json.dump(result, sys.stdout, indent=1)
    print(f'\n{len(cands)} candidates tried', file=sys.stderr)


if __name__ == '__main__':
    main()

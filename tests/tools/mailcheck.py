#!/usr/bin/env python3
"""Parses mails the way a strict reader would (Python's email package with
email.policy.strict: any defect the parser meets is an error) and reports
what it found, for tests/api/mail.test.mjs.

stdin: a JSON list of raw mails (strings). stdout: a JSON list, per mail:
  {"error": str|null, "defects": [str], "from": [[name, addr]], "to": [[name, addr]],
   "subject": str, "message_id": str, "date_offset_s": int, "words": [encoded-word lengths],
   "longest_line": int, "text": str}
"""
import email
import email.policy
import json
import re
import sys

ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")


def check(raw):
    out = {"error": None, "defects": []}
    data = raw.encode("utf-8", "surrogateescape")
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    out["words"] = [len(w) for w in ENCODED_WORD.findall(head)]
    out["longest_line"] = max(len(line) for line in head.split("\r\n"))
    try:
        msg = email.message_from_bytes(data, policy=email.policy.strict)
        for name in ("From", "To", "Subject", "Message-ID", "Date"):
            h = msg[name]
            if h is None:
                out["defects"].append(f"{name}: missing")
                continue
            out["defects"] += [f"{name}: {d!r}" for d in h.defects]
        for key, name in (("from", "From"), ("to", "To")):
            out[key] = [[a.display_name, a.addr_spec] for a in msg[name].addresses]
        out["subject"] = str(msg["Subject"])
        out["message_id"] = str(msg["Message-ID"])
        out["date_offset_s"] = int(msg["Date"].datetime.utcoffset().total_seconds())
        for part in msg.walk():
            out["defects"] += [f"part: {d!r}" for d in part.defects]
        out["text"] = msg.get_body(("plain",)).get_content()
    except Exception as e:  # a defect under the strict policy, or worse
        out["error"] = f"{type(e).__name__}: {e}"
    return out


json.dump([check(r) for r in json.load(sys.stdin)], sys.stdout)

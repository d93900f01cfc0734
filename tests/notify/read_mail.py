#!/usr/bin/env python3
"""Reads every .eml in a folder with Python's email parser (the modern
policy, which decodes RFC 2047 names and subjects) and prints one JSON
object a message: headers as a mail program shows them, and both parts."""
import email, json, sys
from email import policy
from email.utils import getaddresses
from pathlib import Path

for path in sorted(Path(sys.argv[1]).glob("*.eml")):
    m = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    text = m.get_body(("plain",))
    html = m.get_body(("html",))
    print(json.dumps({
        "file": path.name,
        "to": [list(a) for a in getaddresses([str(m["To"])])],
        "from": str(m["From"]),
        "reply_to": str(m["Reply-To"]),
        "subject": str(m["Subject"]),
        "message_id": str(m["Message-ID"]),
        "date": str(m["Date"]),
        "auto_submitted": str(m["Auto-Submitted"]),
        "list_unsubscribe": str(m["List-Unsubscribe"]),
        "language": str(m["Content-Language"]),
        "text": text.get_content() if text else None,
        "html": html.get_content() if html else None,
        "defects": [str(d) for d in m.defects],
    }, ensure_ascii=False))

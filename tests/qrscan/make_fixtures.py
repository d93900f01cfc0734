#!/usr/bin/env python3
"""Writes fixtures.json: QR matrices made by segno (an encoder independent of
qrscan.js and of the qrcode npm package) for the features that package does
not produce: ECI, Kanji mode, ISO-8859-1 bytes, structured append. Run once
with segno 1.6.6 (pip install segno==1.6.6); the JSON is what the tests read.
"""
import json, os
import segno

cases = []

def add(name, qr, text):
    rows = ["".join("1" if v else "0" for v in row) for row in qr.matrix_iter(scale=1, border=0)]
    cases.append({"name": name, "text": text, "version": qr.version, "error": qr.error, "rows": rows})

t = "恭喜您获得徽章：高级数据分析（第三期）"
add("eci-utf8-chinese-M", segno.make(t, eci=True, encoding="utf-8", error="m", boost_error=False), t)
t = "漢字テスト：バッジ検証"
add("kanji-mode-Q", segno.make(t, mode="kanji", error="q", boost_error=False), t)
t = "Grüße aus Köln, café crème"
add("latin1-bytes-L", segno.make(t, encoding="latin1", error="l", boost_error=False), t)
t = "Grüße aus Köln"
add("eci-latin1-H", segno.make(t, eci=True, encoding="latin1", error="h", boost_error=False), t)
t = "Ελληνικά κείμενα"
add("eci-iso8859-7-M", segno.make(t, eci=True, encoding="iso-8859-7", error="m", boost_error=False), t)
t = "31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679"
add("numeric-M", segno.make(t, mode="numeric", error="m", boost_error=False), t)
t = "HTTPS://BADGES.EXAMPLE.ORG/VERIFY/VC1-ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
add("alnum-v7-L", segno.make(t, error="l", version=7, boost_error=False), t)
t = "Structured append: part one of two; " + "x" * 40 + "part two of two; the end."
seq = segno.make_sequence(t, symbol_count=2, error="m")
for i, qr in enumerate(seq):
    add("structured-append-%d" % i, qr, None)
# Each part decodes to its share of the text; the parts joined give it all.
cases[-1]["joined"] = t

with open(os.path.join(os.path.dirname(__file__), "fixtures.json"), "w") as f:
    json.dump({"generator": "segno " + segno.__version__, "cases": cases}, f, ensure_ascii=False, indent=1)

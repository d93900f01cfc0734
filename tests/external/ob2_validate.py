"""Runs the 1EdTech Open Badges 2.0 validator (PyPI `openbadges`) and
openbadges-bakery over a built site served from a real HTTP server on
loopback.

Usage: python ob2_validate.py PUBLIC_DIR PORT CASES_JSON
CASES_JSON lists {"id", "email", "png"} per award; with "image" (a baked
PNG's path) the validator is given that image instead of the hosted URL. Prints one JSON object per
case: {"id", "email", "valid", "errors", "warnings", "expired", "revoked",
"recipient_ok", "unbaked"}.

The validator always fetches the Open Badges context from w3id.org; that is
answered offline from the copy the validator ships, and every request to the
loopback server passes through. Nothing else leaves the machine.
"""
import functools
import http.server
import json
import sys
import threading

import openbadges
import responses
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT, OPENBADGES_CONTEXT_V2_URI
from openbadges_bakery import unbake


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".json": "application/ld+json"}

    def log_message(self, *args):
        pass


def serve(directory, port):
    handler = functools.partial(Handler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def messages(report, level):
    return [m for m in report.get("messages", []) if m.get("messageLevel") == level]


def main():
    public, port, cases_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(cases_file) as f:
        cases = json.load(f)
    server = serve(public, port)
    try:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            mock.add(responses.GET, OPENBADGES_CONTEXT_V2_URI, json=OPENBADGES_CONTEXT_V2_DICT,
                     content_type="application/ld+json")
            mock.add_passthru("http://127.0.0.1")
            for case in cases:
                url = "http://127.0.0.1:%d/verify/%s/assertion.json" % (port, case["id"])
                if case.get("image"):
                    with open(case["image"], "rb") as img:
                        result = openbadges.verify(img, {"email": case["email"]}, use_cache=False)
                else:
                    result = openbadges.verify(url, {"email": case["email"]}, use_cache=False)
                report = result.get("report", {})
                errors = messages(report, "ERROR")
                text = json.dumps(errors)
                unbaked = None
                if case.get("png"):
                    with open(case["png"], "rb") as img:
                        unbaked = unbake(img)
                print(json.dumps({
                    "id": case["id"],
                    "email": case["email"],
                    "valid": bool(report.get("valid")),
                    "errors": [e.get("result", "") for e in errors],
                    "warnings": [w.get("result", "") for w in messages(report, "WARNING")],
                    "expired": "expired" in text.lower() or "expire" in text.lower(),
                    "revoked": "revoked" in text.lower(),
                    "recipient_ok": "recipient" not in text.lower() and "identity" not in text.lower(),
                    "unbaked": unbaked,
                }), flush=True)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()

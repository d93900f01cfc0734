#!/usr/bin/env python3
"""A real SMTP server for tests/notify.rs, on aiosmtpd.

Keeps every message it accepts as OUTDIR/NNNN.eml (the bytes as received),
with NNNN.json beside it (envelope, TLS, login, peer); the .eml appears only
once complete. Prints "READY <port>" when it listens.

  --mode plain|starttls|tls   STARTTLS is then required; tls is TLS from the
                              first byte (SMTPS)
  --auth USER:PASSWORD        require this login
  --delay SECONDS             wait before answering each message's data
  --tempfail-once ADDRESS     451 for ADDRESS's first RCPT, then accept
  --reject ADDRESS            550 for every RCPT of ADDRESS
"""
import argparse, asyncio, itertools, json, signal, socket, ssl, sys, threading, warnings
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, outdir, delay, tempfail_once, reject):
        self.outdir = Path(outdir)
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.delay = delay
        self.tempfail = {a.lower() for a in tempfail_once}
        self.reject = {a.lower() for a in reject}
        self.count = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, options):
        lower = address.lower()
        if lower in self.reject:
            return f"550 5.1.1 <{address}>: no such mailbox"
        with self.lock:
            first = lower in self.tempfail
            self.tempfail.discard(lower)
        if first:
            return f"451 4.3.0 <{address}>: try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        n = next(self.count)
        stem = self.outdir / f"{n:04d}"
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "peer": list(session.peer) if session.peer else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword) else None,
        }
        stem.with_suffix(".json").write_text(json.dumps(meta))
        tmp = stem.with_suffix(".tmp")
        tmp.write_bytes(envelope.original_content)
        tmp.rename(stem.with_suffix(".eml"))
        return f"250 2.0.0 OK queued as {n:04d}"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--outdir", required=True)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--tempfail-once", action="append", default=[])
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--auth")
    a = p.parse_args()
    warnings.filterwarnings("ignore")
    # The controller's readiness probe connects to its port: it needs a real one.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kwargs = dict(hostname="127.0.0.1", port=port, server_hostname="sink.test", ready_timeout=30)
    if a.mode != "plain":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)
        if a.mode == "starttls":
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    if a.auth:
        user, _, password = a.auth.partition(":")
        # aiosmtpd counts only STARTTLS as TLS for AUTH: SMTPS must not require it.
        kwargs.update(authenticator=authenticator(user, password), auth_required=True,
                      auth_require_tls=(a.mode == "starttls"))
    controller = Controller(Sink(a.outdir, a.delay, a.tempfail_once, a.reject), **kwargs)
    controller.start()
    print(f"READY {port}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())

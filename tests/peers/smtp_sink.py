#!/usr/bin/env python3
"""A real SMTP server on loopback (aiosmtpd) that writes every message it accepts to a folder.

Usage: smtp_sink.py --port PORT --dir DIR [--tls-cert PEM --tls-key PEM] [--auth USER:PASS]
Each message becomes DIR/<n>-<pid>.eml (written to a temporary name, then renamed, so a reader
never sees half a message), with the envelope in X-MailFrom / X-RcptTo headers added on top.
Recipients whose local part starts with "reject-" get 550 and "busy-" get 451, so tests can
see how permanent and transient refusals are classified. With --tls-cert/--tls-key the server
offers STARTTLS and refuses mail on a connection that did not use it; with --auth it also
requires AUTH (PLAIN/LOGIN) with exactly those credentials.
Prints "READY <port>" once it accepts connections; runs until a signal ends it.
"""
import argparse
import itertools
import os
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class FolderHandler:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject-"):
            return "550 5.1.1 No such user here"
        if local.startswith("busy-"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{next(self.counter):06d}-{os.getpid()}.eml"
        header = (
            f"X-MailFrom: {envelope.mail_from}\r\n"
            f"X-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        tmp = os.path.join(self.folder, "." + name + ".tmp")
        with open(tmp, "wb") as out:
            out.write(header + envelope.original_content)
        os.replace(tmp, os.path.join(self.folder, name))
        return "250 Message accepted for delivery"


def authenticator_for(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options = {"tls_context": context, "require_starttls": True}
    if args.auth:
        options.update(authenticator=authenticator_for(args.auth), auth_required=True)
    controller = Controller(
        FolderHandler(args.dir), hostname="127.0.0.1", port=args.port, decode_data=False, **options
    )
    controller.start()
    print(f"READY {args.port}", flush=True)
    try:
        while True:
            signal.pause()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

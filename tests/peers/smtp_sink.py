#!/usr/bin/env python3
"""A real SMTP server on loopback (aiosmtpd) that writes every message it accepts to a folder.

Usage: smtp_sink.py --port PORT --dir DIR
Each message becomes DIR/<n>-<pid>.eml (written to a temporary name, then renamed, so a reader
never sees half a message), with the envelope in X-MailFrom / X-RcptTo headers added on top.
Prints "READY <port>" once it accepts connections; runs until a signal ends it.
"""
import argparse
import itertools
import os
import signal

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count()

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(
        FolderHandler(args.dir), hostname="127.0.0.1", port=args.port, decode_data=False
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

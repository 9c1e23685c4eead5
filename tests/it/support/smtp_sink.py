"""A real SMTP server for the mail tests (aiosmtpd, from PyPI; `./dev.sh test` installs it
and names its Python in COPYDESK_TEST_SMTP_PYTHON).

Each message it accepts is written to OUT as one file: an `X-Envelope-To:` line, then the
message as received. With --refuse-first N it answers the first N messages with a
temporary failure (451), as a busy server does. It prints "ready" once it listens.
"""

import argparse
import asyncio
import os
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, refuse_first):
        self.out = out
        self.refuse_first = refuse_first
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_first > 0:
            self.refuse_first -= 1
            return "451 4.3.0 Busy: try again later"
        self.count += 1
        name = os.path.join(self.out, f"{time.time_ns()}-{self.count}.eml")
        with open(name + ".part", "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(name + ".part", name)
        return "250 2.0.0 Stored"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--refuse-first", type=int, default=0)
    args = parser.parse_args()
    controller = Controller(Sink(args.out, args.refuse_first), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

"""A small real SMTP server on loopback that keeps what it receives, for mail tests.

Plone's MailHost talks SMTP to it over a socket as it would to any mail server (EHLO, MAIL,
RCPT, DATA); the tests read the parsed messages. No TLS, no authentication.
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from dataclasses import dataclass
from dataclasses import field
from typing import Any


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Any  # email.message.EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if address in m.recipients]

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


def _address(argument: str) -> str:
    start, end = argument.find("<"), argument.rfind(">")
    return argument[start + 1 : end] if 0 <= start < end else argument.split(":", 1)[-1].strip()


class _Handler(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 localhost test SMTP server")
        sender, recipients = "", []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250-8BITMIME")
                self.reply("250 SMTPUTF8")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = _address(line[5:]), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(_address(line[5:]))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self._data(sender, recipients)
                self.reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _data(self, sender: str, recipients: list[str]) -> None:
        lines = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw or raw in (b".\r\n", b".\n"):
                break
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
        message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
        with self.mailbox.lock:
            self.mailbox.messages.append(Received(sender, list(recipients), message))


class SmtpServer:
    """``with SmtpServer() as smtp:`` serves on 127.0.0.1:``smtp.port``; ``smtp.mailbox``."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        handler = type("Handler", (_Handler,), {"mailbox": self.mailbox})
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

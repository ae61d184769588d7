"""Real receivers for what flows send: an SMTP server (aiosmtpd) and an HTTP SMS gateway, both in the test
process on free local ports, keeping what they received."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        return str(part.get_content()).replace("\r\n", "\n") if part is not None else ""


@dataclass
class Inbox:
    url: str = ""
    messages: list[Received] = field(default_factory=list)
    #: Answer 451 to the next N deliveries (a server that is down for a while).
    refuse: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 Try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@contextmanager
def smtp_inbox(*, users: dict[str, str] | None = None, tls: ssl.SSLContext | None = None,
               implicit_tls: bool = False) -> Iterator[Inbox]:
    """With *users*, the server requires AUTH LOGIN/PLAIN (over plain TCP: a local test server). With *tls*, it
    requires STARTTLS — or, with *implicit_tls*, speaks TLS from the first byte (smtps)."""
    inbox = Inbox()
    port = free_port()
    options: dict[str, Any] = {}
    if tls is not None:
        options = {"ssl_context": tls} if implicit_tls else {"tls_context": tls, "require_starttls": True}
    if users is not None:
        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = users.get(data.login.decode()) == data.password.decode()
            return AuthResult(success=ok, handled=False)

        options |= {"auth_required": True, "auth_require_tls": False, "authenticator": authenticate}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Gateway:
    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 201

    @property
    def bodies(self) -> list[Any]:
        return [request["body"] for request in self.requests]


@contextmanager
def sms_gateway() -> Iterator[Gateway]:
    """A Twilio-shaped gateway: answers `{"sid": "SM<n>"}`, and keeps each request's path, headers and body."""
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                body: Any = json.loads(raw)
            else:
                body = {key: values[-1] for key, values in parse_qs(raw).items()}
            gateway.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            reply = json.dumps({"sid": f"SM{len(gateway.requests)}"}).encode()
            self.send_response(gateway.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/2010-04-01/Accounts/AC1/Messages.json"
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()

"""Email over SMTP: `FLOWFORCE_SMTP_URL` is `smtp://[user:password@]host[:port]` (plain, or STARTTLS with
`?starttls=true`), `smtp+starttls://…`, or `smtps://…` (TLS from the first byte). The server's certificate is
checked against the system's CAs, or `?cafile=/path/ca.pem`; `?verify=false` skips the check (local servers)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flowforce.outbox.outbox import OutboxMessage
from flowforce.settings import SetupError

SCHEMES = {"smtp": (False, False), "smtp+starttls": (False, True), "smtps": (True, False)}
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TRUE_TEXT = ("1", "true", "yes", "on")


class SmtpUrlError(SetupError):
    """FLOWFORCE_SMTP_URL cannot be used (said at start-up, not at the first email)."""


@dataclass(frozen=True)
class SmtpTransport:
    host: str
    port: int
    tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    default_sender: str = "noreply@flowforce.local"
    timeout: float = 10.0
    #: Verify the server's certificate (off for local test servers with `?verify=false`).
    verify: bool = True
    #: The CA file to verify it with instead of the system's (`?cafile=`).
    cafile: str | None = None

    @classmethod
    def from_url(cls, url: str, *, default_sender: str, timeout: float = 10.0) -> SmtpTransport:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES or not parts.hostname:
            raise SmtpUrlError(f"FLOWFORCE_SMTP_URL {url!r}: expected smtp://, smtp+starttls:// or smtps:// "
                               "with a host, e.g. smtp://127.0.0.1:2525")
        raw = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
        query = {key: value.lower() for key, value in raw.items()}
        tls, starttls = SCHEMES[scheme]
        return cls(host=parts.hostname, port=parts.port or DEFAULT_PORTS[scheme], tls=tls,
                   starttls=starttls or query.get("starttls") in TRUE_TEXT,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None,
                   default_sender=default_sender, timeout=timeout, verify=query.get("verify") not in ("0", "false"),
                   cafile=raw.get("cafile"))

    def tls_context(self) -> ssl.SSLContext:
        """Built only for TLS connections (loading the CA store costs more than a plain local delivery)."""
        context = ssl.create_default_context(cafile=self.cafile)
        if not self.verify:
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        return context

    def send(self, message: OutboxMessage) -> str | None:
        mail = build_mail(message, self.default_sender)
        client = (smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.tls_context())
                  if self.tls else smtplib.SMTP(self.host, self.port, timeout=self.timeout))
        with client:
            if self.starttls:
                client.starttls(context=self.tls_context())
            if self.username:
                client.login(self.username, self.password or "")
            recipients = [*message.payload.get("to", []), *message.payload.get("cc", []),
                          *message.payload.get("bcc", [])]
            client.send_message(mail, to_addrs=recipients)
        return str(mail["Message-ID"])


def build_mail(message: OutboxMessage, default_sender: str) -> EmailMessage:
    data = message.payload
    mail = EmailMessage()
    sender = data.get("from") or default_sender
    mail["From"] = formataddr((data["from_name"], sender)) if data.get("from_name") else sender
    mail["To"] = ", ".join(data.get("to", []))
    if data.get("cc"):
        mail["Cc"] = ", ".join(data["cc"])
    if data.get("reply_to"):
        mail["Reply-To"] = data["reply_to"]
    mail["Subject"] = message.subject or ""
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "flowforce.local")
    mail["X-Flowforce-Outbox-Id"] = str(message.id)
    body = str(data.get("body") or "")
    if data.get("html"):
        mail.set_content(data.get("text") or "This message is HTML; view it in a mail client that shows HTML.")
        mail.add_alternative(body, subtype="html")
    else:
        mail.set_content(body)
    return mail

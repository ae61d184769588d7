"""SMS through an HTTP gateway: `FLOWFORCE_SMS_URL` receives one POST per message.

The default body is JSON `{"to", "from", "body"}`. `sms_template` (a JSON object whose string values may hold
`{to}`, `{from}`, `{body}`) reshapes it, and `sms_format = "form"` posts it form-encoded instead — Twilio's
Messages API is `sms_format = "form"` with `sms_template = '{"To": "{to}", "From": "{from}", "Body": "{body}"}'`
and the account SID and token as the URL's user and password. Credentials go in the URL (HTTP Basic) or in
`sms_auth_header` (e.g. `Bearer …`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from flowforce.outbox.outbox import OutboxMessage

DEFAULT_TEMPLATE = '{"to": "{to}", "from": "{from}", "body": "{body}"}'


class SmsGatewayError(RuntimeError):
    """The gateway refused the message (its status and reply are kept as the outbox row's error)."""


@dataclass(frozen=True)
class HttpSmsTransport:
    url: str
    sender: str = ""
    template: str = DEFAULT_TEMPLATE
    form: bool = False
    auth_header: str | None = None
    timeout: float = 10.0
    #: One client for the transport's life: its connection pool and TLS setup are reused between messages.
    client: httpx.Client = field(default_factory=httpx.Client, compare=False, repr=False)

    def send(self, message: OutboxMessage) -> str | None:
        values = {"to": str(message.payload.get("to") or ""), "from": str(message.payload.get("from") or self.sender),
                  "body": str(message.payload.get("body") or "")}
        body = render(json.loads(self.template), values)
        url, auth = split_credentials(self.url)
        headers = {"Authorization": self.auth_header} if self.auth_header else {}
        sent = {"data": body} if self.form else {"json": body}
        response = self.client.post(url, auth=auth, headers=headers, timeout=self.timeout,  # type: ignore[arg-type]
                                    **sent)
        if response.status_code >= 400:
            raise SmsGatewayError(f"the SMS gateway answered {response.status_code}: {response.text[:500]}")
        return provider_id(response)


def render(template: Any, values: dict[str, str]) -> Any:
    """The template with `{to}`, `{from}`, `{body}` replaced in every string value."""
    if isinstance(template, dict):
        return {key: render(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [render(value, values) for value in template]
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
    return template


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    parts = urlsplit(url)
    if not parts.username:
        return url, None
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return (urlunsplit(parts._replace(netloc=netloc)),
            (unquote(parts.username), unquote(parts.password or "")))


def provider_id(response: httpx.Response) -> str | None:
    try:
        reply = response.json()
    except ValueError:
        return None
    if isinstance(reply, dict):
        found = reply.get("sid") or reply.get("id") or reply.get("messageId")
        return str(found) if found is not None else None
    return None

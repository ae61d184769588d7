"""The transports an org's settings configure: SMTP for email, an HTTP gateway for SMS; none by default."""

from __future__ import annotations

import json

from flowforce.outbox.outbox import Transport
from flowforce.outbox.sms import DEFAULT_TEMPLATE, HttpSmsTransport
from flowforce.outbox.smtp import SmtpTransport
from flowforce.settings import Settings, SetupError


def transports_from(settings: Settings) -> dict[str, Transport]:
    transports: dict[str, Transport] = {}
    if settings.sms_format.lower() not in ("json", "form"):
        raise SetupError(f"sms_format {settings.sms_format!r}: expected json or form")
    if settings.sms_template is not None:
        try:
            json.loads(settings.sms_template)
        except ValueError as error:
            raise SetupError(f"sms_template is not JSON: {error}") from None
    if settings.smtp_url:
        transports["email"] = SmtpTransport.from_url(settings.smtp_url, default_sender=settings.email_from)
    if settings.sms_url:
        transports["sms"] = HttpSmsTransport(settings.sms_url, sender=settings.sms_from,
                                             template=settings.sms_template or DEFAULT_TEMPLATE,
                                             form=settings.sms_format.lower() == "form",
                                             auth_header=settings.sms_auth_header)
    return transports

"""The transports an org's settings configure: SMTP for email, an HTTP gateway for SMS; none by default."""

from __future__ import annotations

from flowforce.outbox.outbox import Transport
from flowforce.outbox.sms import DEFAULT_TEMPLATE, HttpSmsTransport
from flowforce.outbox.smtp import SmtpTransport
from flowforce.settings import Settings


def transports_from(settings: Settings) -> dict[str, Transport]:
    transports: dict[str, Transport] = {}
    if settings.smtp_url:
        transports["email"] = SmtpTransport.from_url(settings.smtp_url, default_sender=settings.email_from)
    if settings.sms_url:
        transports["sms"] = HttpSmsTransport(settings.sms_url, sender=settings.sms_from,
                                             template=settings.sms_template or DEFAULT_TEMPLATE,
                                             form=settings.sms_format.lower() == "form",
                                             auth_header=settings.sms_auth_header)
    return transports

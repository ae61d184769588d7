"""The identity bodies: ``/services/oauth2/userinfo`` (OpenID Connect shape), ``/id/{org}/{user}`` (Salesforce's
identity service) and ``/services/oauth2/introspect`` (RFC 7662), built from a session or a token record.

jsforce and sfdx-core read ``user_id``, ``organization_id``, ``username``/``preferred_username``, ``display_name``
and ``email`` (reference/api-surface.md §4.4, §4.6); the remaining keys follow Salesforce's documented responses
and are UNCONFIRMED beyond the first ones listed in the reference.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flowforce.auth.grants import identity_url
from flowforce.auth.session import Session
from flowforce.auth.tokens import ACCESS, TokenRecord
from flowforce.records.coercion import format_datetime


def _utc_offset_ms(zone: str | None, at: dt.datetime) -> int:
    try:
        offset = at.astimezone(ZoneInfo(zone or "GMT")).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    return int(offset.total_seconds() * 1000) if offset else 0


def _iso_z(value: Any) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, dt.datetime) else None


def _photos(instance_url: str, user_id: str) -> dict[str, str]:
    return {"picture": f"{instance_url}/profilephoto/005/F", "thumbnail": f"{instance_url}/profilephoto/005/T"}


def userinfo(session: Session, login_url: str, instance_url: str) -> dict[str, Any]:
    user = session.user_record
    url = identity_url(login_url, session.org_id, session.user_id)
    return {
        "sub": url,
        "user_id": session.user_id,
        "organization_id": session.org_id,
        "preferred_username": session.username,
        "nickname": user.get("CommunityNickname") or session.username.split("@")[0],
        "name": user.get("Name") or session.username,
        "email": user.get("Email"),
        "email_verified": True,
        "given_name": user.get("FirstName"),
        "family_name": user.get("LastName"),
        "zoneinfo": user.get("TimeZoneSidKey") or "GMT",
        "photos": _photos(instance_url, session.user_id),
        "profile": f"{instance_url}/{session.user_id}",
        "picture": _photos(instance_url, session.user_id)["picture"],
        "address": {},
        "urls": service_urls(instance_url, session.org_id, session.user_id),
        "active": bool(user.get("IsActive", True)),
        "user_type": "STANDARD",
        "language": user.get("LanguageLocaleKey") or "en_US",
        "locale": user.get("LocaleSidKey") or "en_US",
        "utcOffset": _utc_offset_ms(user.get("TimeZoneSidKey"), dt.datetime.now(dt.UTC)),
        "updated_at": _iso_z(user.get("LastModifiedDate")),
        "is_app_installed": True,
    }


def service_urls(instance_url: str, org_id: str, user_id: str) -> dict[str, str]:
    """Salesforce leaves ``{version}`` literally in these URLs for the client to fill in."""
    data = f"{instance_url}/services/data/v{{version}}"
    return {
        "enterprise": f"{instance_url}/services/Soap/c/{{version}}/{org_id}",
        "metadata": f"{instance_url}/services/Soap/m/{{version}}/{org_id}",
        "partner": f"{instance_url}/services/Soap/u/{{version}}/{org_id}",
        "rest": f"{data}/",
        "sobjects": f"{data}/sobjects/",
        "search": f"{data}/search/",
        "query": f"{data}/query/",
        "recent": f"{data}/recent/",
        "tooling_rest": f"{data}/tooling/",
        "profile": f"{instance_url}/{user_id}",
        "users": f"{data}/chatter/users",
        "custom_domain": instance_url,
    }


def identity(session: Session, login_url: str, instance_url: str) -> dict[str, Any]:
    user = session.user_record
    return {
        "id": identity_url(login_url, session.org_id, session.user_id),
        "asserted_user": True,
        "user_id": session.user_id,
        "organization_id": session.org_id,
        "username": session.username,
        "nick_name": user.get("CommunityNickname") or session.username.split("@")[0],
        "display_name": user.get("Name") or session.username,
        "email": user.get("Email"),
        "email_verified": True,
        "first_name": user.get("FirstName"),
        "last_name": user.get("LastName"),
        "timezone": user.get("TimeZoneSidKey") or "GMT",
        "photos": _photos(instance_url, session.user_id),
        "addr_street": None, "addr_city": None, "addr_state": None, "addr_country": None, "addr_zip": None,
        "mobile_phone": None,
        "mobile_phone_verified": False,
        "is_lightning_login_user": False,
        "status": {"created_date": None, "body": None},
        "urls": service_urls(instance_url, session.org_id, session.user_id),
        "active": bool(user.get("IsActive", True)),
        "user_type": "STANDARD",
        "language": user.get("LanguageLocaleKey") or "en_US",
        "locale": user.get("LocaleSidKey") or "en_US",
        "utcOffset": _utc_offset_ms(user.get("TimeZoneSidKey"), dt.datetime.now(dt.UTC)),
        "last_modified_date": format_datetime(modified) if isinstance(modified := user.get("LastModifiedDate"),
                                                                            dt.datetime) else None,
        "is_app_installed": True,
    }  # fmt: skip


def introspection(record: TokenRecord, username: str, sub: str) -> dict[str, Any]:
    """An active token's introspection (§4.5); the inactive answer is ``{"active": false}``."""
    body: dict[str, Any] = {
        "active": True,
        "scope": record.scope,
        "client_id": record.client_id,
        "username": username,
        "sub": sub,
        "token_type": "access_token" if record.kind == ACCESS else "refresh_token",
    }
    if record.expires_ms is not None:
        body["exp"] = record.expires_ms // 1000
    body["iat"] = body["nbf"] = record.issued_ms // 1000
    return body

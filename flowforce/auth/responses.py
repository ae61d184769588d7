"""The bodies the OAuth and login endpoints answer, as values the HTTP layer renders unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GRANT_PASSWORD = "password"
GRANT_CLIENT_CREDENTIALS = "client_credentials"
GRANT_REFRESH_TOKEN = "refresh_token"
GRANT_JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GRANT_AUTHORIZATION_CODE = "authorization_code"

# reference/api-surface.md §4.1: each grant's success keys. Salesforce never sends expires_in; the JWT grant
# sends neither issued_at nor signature; only client_credentials says token_format.
_KEYS: dict[str, tuple[str, ...]] = {
    GRANT_PASSWORD: ("access_token", "instance_url", "id", "token_type", "issued_at", "signature", "scope"),
    GRANT_CLIENT_CREDENTIALS: ("access_token", "signature", "scope", "token_format", "instance_url", "id",
                               "token_type", "issued_at"),
    GRANT_REFRESH_TOKEN: ("access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"),
    GRANT_JWT_BEARER: ("access_token", "scope", "instance_url", "id", "token_type"),
    GRANT_AUTHORIZATION_CODE: ("access_token", "signature", "scope", "instance_url", "id", "token_type",
                               "issued_at"),
}


@dataclass(frozen=True)
class TokenResponse:
    grant_type: str
    access_token: str
    instance_url: str
    id: str
    issued_at: str  # epoch milliseconds, as a string (§4.1)
    signature: str
    scope: str
    user_id: str
    org_id: str
    refresh_token: str | None = None

    def as_json(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "access_token": self.access_token, "instance_url": self.instance_url, "id": self.id,
            "token_type": "Bearer", "issued_at": self.issued_at, "signature": self.signature, "scope": self.scope,
            "token_format": "opaque",
        }  # fmt: skip
        body = {key: values[key] for key in _KEYS[self.grant_type]}
        if self.refresh_token is not None:
            body["refresh_token"] = self.refresh_token
        return body


@dataclass(frozen=True)
class SoapUserInfo:
    organization_id: str
    organization_name: str
    profile_id: str
    session_seconds_valid: int
    user_email: str
    user_full_name: str
    user_id: str
    user_language: str
    user_locale: str
    user_name: str
    user_time_zone: str
    user_type: str = "Standard"


@dataclass(frozen=True)
class SoapLoginResult:
    """The partner API ``LoginResult`` (§4.7)."""

    metadata_server_url: str
    server_url: str
    session_id: str
    user_id: str
    org_id: str
    user_info: SoapUserInfo
    password_expired: bool = False
    sandbox: bool = False

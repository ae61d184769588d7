"""The OAuth 2.0 grants and SOAP ``login``: check the credentials, issue a token, shape the reply.

Checks run in Salesforce's order: the client first (unknown key, then wrong secret, §4.2), then the user; a
user failure never says whether the username exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flowforce.auth.apps import App, AppRegistry
from flowforce.auth.catalog import Catalog
from flowforce.auth.errors import LoginFault, OAuthError
from flowforce.auth.hashing import hmac_signature
from flowforce.auth.jwt_bearer import SALESFORCE_AUDIENCES, unverified_claims, verify_assertion
from flowforce.auth.permissions import API_ENABLED
from flowforce.auth.responses import (
    GRANT_AUTHORIZATION_CODE,
    GRANT_CLIENT_CREDENTIALS,
    GRANT_JWT_BEARER,
    GRANT_PASSWORD,
    GRANT_REFRESH_TOKEN,
    SoapLoginResult,
    SoapUserInfo,
    TokenResponse,
)
from flowforce.auth.settings import AuthSettings
from flowforce.auth.tokens import REFRESH, TokenRecord, TokenStore
from flowforce.auth.users import UserDirectory
from flowforce.records.ids import to_15

SOAP_VERSION_RE = re.compile(r"^\d{1,3}\.\d$")
OLDEST_SOAP_VERSION = 31.0  # reference/api-surface.md §2: versions up to 30.0 are retired


def identity_url(login_url: str, org_id: str, user_id: str) -> str:
    """``https://<login host>/id/<orgId>/<userId>``: clients take the last two path segments (§4.1)."""
    return f"{login_url}/id/{org_id}/{user_id}"


@dataclass(frozen=True)
class OrgContext:
    org_id: str
    name: str
    signing_key: str

    @property
    def org_id15(self) -> str:
        return to_15(self.org_id)


class OAuthGrants:
    def __init__(self, settings: AuthSettings, users: UserDirectory, apps: AppRegistry, tokens: TokenStore,
                 catalog: Catalog, org: Callable[[], OrgContext], clock_ms: Callable[[], int]) -> None:
        self._settings = settings
        self._users = users
        self._apps = apps
        self._tokens = tokens
        self._catalog = catalog
        self._org = org
        self._clock_ms = clock_ms

    def _respond(self, grant: str, access: TokenRecord, signing_secret: str | None,
                 refresh_token: str | None = None) -> TokenResponse:
        org = self._org()
        url = identity_url(self._settings.effective_login_url, org.org_id, access.user_id)
        issued_at = str(access.issued_ms)
        # §4.1: signature = HMAC-SHA256(client secret, id + issued_at). A refresh without the secret has none to
        # sign with, so the org's own key stands in (nobody verifies it client-side).
        signature = hmac_signature(signing_secret or org.signing_key, url + issued_at)
        assert access.token is not None
        return TokenResponse(grant, access.token, self._settings.instance_url, url, issued_at, signature,
                             access.scope, access.user_id, org.org_id, refresh_token)

    def _active_user_id(self, user_id: str | None) -> str | None:
        return user_id if user_id is not None and self._users.is_active(user_id) else None

    def client_credentials(self, client_id: str | None, client_secret: str | None) -> TokenResponse:
        """Runs as the app's configured run-as user (seed 003)."""
        app = self._apps.authenticate(client_id, client_secret)
        user_id = self._active_user_id(app.run_as_user_id)
        if user_id is None:
            raise OAuthError.no_run_as_user()
        access = self._tokens.issue_access(user_id, app.client_id, app.scope)
        return self._respond(GRANT_CLIENT_CREDENTIALS, access, client_secret)

    def password(self, client_id: str | None, client_secret: str | None, username: str | None,
                 password_plus_token: str | None) -> TokenResponse:
        """§4.1: no refresh token, whatever the app's scopes."""
        app = self._apps.authenticate(client_id, client_secret)
        user = self._users.verify_login(username or "", password_plus_token or "")
        if user is None:
            raise OAuthError.authentication_failure()
        access = self._tokens.issue_access(user.user_id, app.client_id, app.scope)
        return self._respond(GRANT_PASSWORD, access, client_secret)

    def refresh(self, client_id: str | None, client_secret: str | None, refresh_token: str | None) -> TokenResponse:
        """The secret is optional (§4.1 ``[client_secret]``) but must match when sent; the refresh token must
        belong to the same app. No new refresh token (no rotation)."""
        app = self._apps.get(client_id or "")
        if app is None:
            raise OAuthError.unknown_client()
        if client_secret:
            self._apps.authenticate(client_id, client_secret)
        record = self._tokens.find(refresh_token or "", REFRESH)
        if record is None or record.client_id != app.client_id or self._active_user_id(record.user_id) is None:
            raise OAuthError.expired_token()
        access = self._tokens.issue_access(record.user_id, app.client_id, record.scope, record.digest)
        return self._respond(GRANT_REFRESH_TOKEN, access, client_secret)

    def jwt_bearer(self, assertion: str | None) -> TokenResponse:
        claims = unverified_claims(assertion or "")
        app = self._apps.get(claims["iss"])
        if app is None:
            raise OAuthError.unknown_client()
        if not app.certificate_pem:
            raise OAuthError.invalid_assertion()
        audiences = (self._settings.effective_login_url, self._settings.instance_url, *SALESFORCE_AUDIENCES)
        checked = verify_assertion(assertion or "", app.certificate_pem, audiences, self._clock_ms() / 1000)
        user = self._users.by_username(checked.username)
        if user is None or self._active_user_id(user.user_id) is None:
            raise OAuthError.not_approved()  # UNCONFIRMED: the description for an unknown or inactive ``sub``
        access = self._tokens.issue_access(user.user_id, app.client_id, app.scope)
        return self._respond(GRANT_JWT_BEARER, access, None)

    def authorization_code(self, user_id: str, client_id: str, scope: str, client_secret: str | None,
                           with_refresh: bool) -> TokenResponse:
        """The reply to a redeemed authorization code; the access token hangs off the refresh token, so revoking
        the refresh token ends both (§4.3)."""
        refresh = self._tokens.issue_refresh(user_id, client_id, scope) if with_refresh else None
        access = self._tokens.issue_access(user_id, client_id, scope, refresh.digest if refresh else None)
        return self._respond(GRANT_AUTHORIZATION_CODE, access, client_secret, refresh.token if refresh else None)

    def issue_refresh_token(self, client_id: str, username: str) -> str:
        """A refresh token for *username* through the app (for ``force://`` URLs and jsforce refresh delegates;
        flowforce has no authorization-code flow, the only grant Salesforce issues them from)."""
        app: App | None = self._apps.get(client_id)
        if app is None:
            raise OAuthError.unknown_client()
        user = self._users.require(username)
        record = self._tokens.issue_refresh(user.user_id, app.client_id, app.scope)
        assert record.token is not None
        return record.token

    def soap_login(self, username: str, password_plus_token: str, api_version: str = "59.0") -> SoapLoginResult:
        if not SOAP_VERSION_RE.match(api_version) or float(api_version) < OLDEST_SOAP_VERSION:
            raise LoginFault.unsupported_version(api_version)
        user = self._users.verify_login(username, password_plus_token)
        if user is None:
            raise LoginFault.invalid_login()
        if API_ENABLED not in self._users.grants(user).permissions:
            raise LoginFault.api_disabled()
        record = self._users.user_record(user.user_id)
        assert record is not None  # verify_login checked the user is active
        access = self._tokens.issue_access(user.user_id, None, "api")
        assert access.token is not None
        org = self._org()
        base = self._settings.instance_url
        info = SoapUserInfo(
            organization_id=org.org_id, organization_name=org.name,
            profile_id=self._catalog.profile_record_id(user.profile_name),
            session_seconds_valid=self._settings.session_seconds, user_email=str(record.get("Email") or ""),
            user_full_name=str(record.get("Name") or user.username), user_id=user.user_id,
            user_language=str(record.get("LanguageLocaleKey") or "en_US"),
            user_locale=str(record.get("LocaleSidKey") or "en_US"), user_name=user.username,
            user_time_zone=str(record.get("TimeZoneSidKey") or "GMT"),
        )  # fmt: skip
        # §4.7: serverUrl = {instance}/services/Soap/u/{version}/{orgId15}; clients keep only its host.
        return SoapLoginResult(
            metadata_server_url=f"{base}/services/Soap/m/{api_version}/{org.org_id15}",
            server_url=f"{base}/services/Soap/u/{api_version}/{org.org_id15}",
            session_id=access.token, user_id=user.user_id, org_id=org.org_id, user_info=info,
        )  # fmt: skip

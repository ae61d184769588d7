"""The OAuth 2.0 web server flow (authorization code, with PKCE): what `sf org login web` and seed 003's app use.

An app lists its callback URLs; `/services/oauth2/authorize` may only send a browser back to one of them
(exact match). After the user logs in, a one-time code (15 minutes, like Salesforce) is bound to the app, the
user, the redirect URI, the granted scope and the PKCE challenge; the token endpoint trades it for an access
token, and a refresh token when the granted scope includes ``refresh_token`` / ``offline_access``
(reference/api-surface.md §4.1). Codes are stored as SHA-256 digests, like every issued token.

The web-flow settings of an app live in their own table so apps created before it existed keep working: an app
without a row has no callback URL, so the flow is refused for it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from flowforce.auth.apps import App, AppRegistry
from flowforce.auth.errors import AuthAdminError, OAuthError
from flowforce.auth.hashing import OPAQUE_ALPHABET, random_string, token_digest
from flowforce.auth.users import Credentials, UserDirectory
from flowforce.records.migration import schema_lock
from flowforce.records.store import RecordStore

CODE_LIFETIME_MS = 15 * 60 * 1000
REFRESH_SCOPES = frozenset({"refresh_token", "offline_access"})
# Scopes every app may be asked for whatever it lists (identity data about the user who logs in).
IDENTITY_SCOPES = frozenset({"id", "openid", "profile", "email", "address", "phone"})
PKCE_METHODS = ("S256", "plain")

#: The Salesforce CLI's global connected app: `sf org login web` sends this client id, no secret, PKCE.
CLI_CLIENT_ID = "PlatformCLI"
CLI_CALLBACK_URL = "http://localhost:1717/OauthRedirect"
CLI_SCOPE = "api web refresh_token"


class AuthorizeError(Exception):
    """The authorize request is refused. ``redirect`` says whether the browser may be sent back to the client
    with ``error``/``error_description`` (only once the client and its redirect URI are trusted, RFC 6749
    §4.1.2.1); otherwise the error is shown on the page."""

    def __init__(self, error: str, description: str, *, redirect: bool) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.redirect = redirect


@dataclass(frozen=True)
class WebFlowSettings:
    client_id: str
    callback_urls: tuple[str, ...]
    require_secret: bool
    require_pkce: bool


@dataclass(frozen=True)
class AuthorizeRequest:
    """A checked `/services/oauth2/authorize` request; the login form carries it back verbatim."""

    app: App
    redirect_uri: str
    scope: str
    state: str | None
    code_challenge: str | None
    code_challenge_method: str


@dataclass(frozen=True)
class GrantedCode:
    user_id: str
    client_id: str
    scope: str


def build_web_flow_tables(metadata: sa.MetaData | None = None) -> tuple[sa.Table, sa.Table]:
    metadata = metadata or sa.MetaData()
    settings = sa.Table(
        "ff_auth_app_web_flow", metadata,
        sa.Column("client_id", sa.String(255), primary_key=True),
        sa.Column("callback_urls", sa.Text, nullable=False),  # one per line
        sa.Column("require_secret", sa.Boolean, nullable=False),
        sa.Column("require_pkce", sa.Boolean, nullable=False),
    )  # fmt: skip
    codes = sa.Table(
        "ff_auth_codes", metadata,
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(18), nullable=False),
        sa.Column("redirect_uri", sa.Text, nullable=False),
        sa.Column("scope", sa.String(255), nullable=False),
        sa.Column("code_challenge", sa.Text),
        sa.Column("challenge_method", sa.String(8), nullable=False),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
    )  # fmt: skip
    return settings, codes


def _scope_words(scope: str) -> list[str]:
    words = scope.replace(",", " ").split()
    return list(dict.fromkeys("refresh_token" if word == "offline_access" else word for word in words))


def grant_scope(requested: str | None, app_scope: str) -> str:
    """The scope to grant: the app's when none is asked for; refused when one asked for is not the app's."""
    allowed = set(_scope_words(app_scope))
    if not requested or not requested.strip():
        return " ".join(_scope_words(app_scope))
    words = _scope_words(requested)
    if "full" not in allowed and any(word not in allowed and word not in IDENTITY_SCOPES for word in words):
        raise AuthorizeError("invalid_scope", "the requested scope is not allowed", redirect=True)
    return " ".join(words)


def includes_refresh(scope: str) -> bool:
    words = set(_scope_words(scope))
    return bool(words & REFRESH_SCOPES) or "full" in words


def pkce_matches(verifier: str, challenge: str, method: str) -> bool:
    """RFC 7636 §4.6."""
    if method == "plain":
        computed = verifier
    else:
        digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
        computed = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
    return hmac.compare_digest(computed, challenge)


class WebServerFlow:
    def __init__(self, store: RecordStore, apps: AppRegistry, users: UserDirectory, *,
                 clock_ms: Callable[[], int]) -> None:
        self._store = store
        self._apps = apps
        self._users = users
        self._clock_ms = clock_ms
        self.settings_table, self.codes_table = build_web_flow_tables()

    def ensure_schema(self) -> None:
        with self._store.engine.begin() as conn:
            schema_lock(conn, "flowforce.auth.schema")
            self.settings_table.metadata.create_all(conn, checkfirst=True)

    # --- app settings --------------------------------------------------------------------------------------
    def configure(self, client_id: str, *, callback_urls: Sequence[str], require_secret: bool = True,
                  require_pkce: bool = False) -> None:
        """Set an app's callback URLs and web-flow policies (seed 003: "Require secret for Web Server Flow",
        "Require Proof Key for Code Exchange")."""
        if self._apps.get(client_id) is None:
            raise AuthAdminError(f"no app with client id {client_id!r}")
        urls = [url.strip() for url in callback_urls if url.strip()]
        for url in urls:
            if "://" not in url or "\n" in url:
                raise AuthAdminError(f"callback URL {url!r} is not an absolute URL")
        table = self.settings_table
        values = {"callback_urls": "\n".join(urls), "require_secret": require_secret, "require_pkce": require_pkce}
        with self._store.engine.begin() as conn:
            updated = conn.execute(table.update().where(table.c.client_id == client_id).values(**values))
            if not updated.rowcount:
                conn.execute(table.insert().values(client_id=client_id, **values))

    def settings_for(self, client_id: str) -> WebFlowSettings | None:
        table = self.settings_table
        with self._store.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.client_id == client_id)).first()
        if row is None:
            return None
        return WebFlowSettings(row.client_id, tuple(row.callback_urls.split("\n")) if row.callback_urls else (),
                               bool(row.require_secret), bool(row.require_pkce))

    def ensure_cli_app(self, run_as_username: str | None = None) -> None:
        """The `PlatformCLI` app Salesforce orgs have built in, so `sf org login web --instance-url` works
        unchanged against a development server (public client: no secret, PKCE required)."""
        if self._apps.get(CLI_CLIENT_ID) is None:
            name = "Salesforce CLI" if self._apps.by_name("Salesforce CLI") is None else CLI_CLIENT_ID
            self._apps.add_app(name, client_id=CLI_CLIENT_ID, run_as_username=run_as_username, scope=CLI_SCOPE)
        if self.settings_for(CLI_CLIENT_ID) is None:
            self.configure(CLI_CLIENT_ID, callback_urls=[CLI_CALLBACK_URL], require_secret=False, require_pkce=True)

    # --- the flow ------------------------------------------------------------------------------------------
    def check_authorize(self, client_id: str | None, redirect_uri: str | None, response_type: str | None,
                        scope: str | None, state: str | None, code_challenge: str | None,
                        code_challenge_method: str | None) -> AuthorizeRequest:
        app = self._apps.get(client_id or "")
        if app is None:
            raise AuthorizeError("invalid_client_id", "client identifier invalid", redirect=False)
        web = self.settings_for(app.client_id)
        if web is None or not redirect_uri or redirect_uri not in web.callback_urls:
            raise AuthorizeError("redirect_uri_mismatch", "redirect_uri must match configuration", redirect=False)
        if response_type != "code":
            raise AuthorizeError("unsupported_response_type", "response type not supported", redirect=True)
        method = code_challenge_method or ("S256" if code_challenge else "plain")
        if code_challenge and method not in PKCE_METHODS:
            raise AuthorizeError("invalid_request", "invalid code challenge method", redirect=True)
        if web.require_pkce and not code_challenge:
            raise AuthorizeError("invalid_request", "missing required code challenge", redirect=True)
        return AuthorizeRequest(app, redirect_uri, grant_scope(scope, app.scope), state or None,
                                code_challenge or None, method)

    def verify_user(self, username: str, password: str) -> Credentials | None:
        """A browser login checks the password alone: Salesforce asks for the security token only where no
        person can be challenged (API logins)."""
        return self._users.verify_login(username, password, with_token=False)

    def issue_code(self, request: AuthorizeRequest, user_id: str) -> str:
        code = "aPrx" + random_string(60, OPAQUE_ALPHABET)
        with self._store.engine.begin() as conn:
            conn.execute(self.codes_table.insert().values(
                digest=token_digest(code), client_id=request.app.client_id, user_id=user_id,
                redirect_uri=request.redirect_uri, scope=request.scope, code_challenge=request.code_challenge,
                challenge_method=request.code_challenge_method, expires_ms=self._clock_ms() + CODE_LIFETIME_MS,
            ))  # fmt: skip
        return code

    def redeem(self, code: str | None, client_id: str | None, client_secret: str | None, redirect_uri: str | None,
               code_verifier: str | None) -> GrantedCode:
        """Check the token request against the stored code and spend the code (once, even when the check
        fails: a code that leaked is dead after one try)."""
        app = self._apps.get(client_id or "")
        if app is None:
            raise OAuthError.unknown_client()
        web = self.settings_for(app.client_id)
        if client_secret:
            self._apps.authenticate(client_id, client_secret)
        elif web is None or web.require_secret:
            raise OAuthError.bad_client_secret()
        table = self.codes_table
        digest = token_digest(code or "")
        with self._store.engine.begin() as conn:
            row = conn.execute(sa.select(table).where(table.c.digest == digest)).first()
            if row is not None:
                conn.execute(table.delete().where(table.c.digest == digest))
        if row is None or row.expires_ms <= self._clock_ms() or row.client_id != app.client_id:
            raise OAuthError("invalid_grant", "invalid authorization code")
        if redirect_uri != row.redirect_uri:
            raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
        if row.code_challenge and not (code_verifier and pkce_matches(code_verifier, row.code_challenge,
                                                                      row.challenge_method)):
            raise OAuthError("invalid_grant", "invalid code verifier")
        if not self._users.is_active(row.user_id):
            raise OAuthError.authentication_failure()
        return GrantedCode(row.user_id, app.client_id, row.scope)

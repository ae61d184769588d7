"""``AuthService``: the one object the HTTP layer and the CLI talk to about identity and access.

It owns the ``ff_auth_*`` tables on the record store's engine and delegates to one module per concern (users,
apps, tokens, grants, identity bodies); this module only wires them and keeps the session cache coherent with
changes made through it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from flowforce.auth.apps import DEFAULT_SCOPE, AppInfo, AppRegistry
from flowforce.auth.authenticator import Authenticator
from flowforce.auth.catalog import Catalog
from flowforce.auth.config import ConfigResult, apply_config
from flowforce.auth.errors import AuthAdminError, OAuthError
from flowforce.auth.grants import OAuthGrants, OrgContext, identity_url
from flowforce.auth.hashing import hmac_signature, random_string, token_digest, verify_secret
from flowforce.auth.org import OrgState
from flowforce.auth.permissions import PermissionSetDefinition
from flowforce.auth.responses import SoapLoginResult, TokenResponse
from flowforce.auth.session import FlowAccess, Session, decide_flow_access, needs_share_lookup, object_access
from flowforce.auth.settings import AuthSettings
from flowforce.auth.tables import build_auth_tables
from flowforce.auth.throttle import LoginThrottle
from flowforce.auth.tokens import TokenRecord, TokenStore
from flowforce.auth.users import UserDirectory, UserInfo
from flowforce.auth.web_server_flow import CLI_CLIENT_ID, AuthorizeRequest, WebServerFlow, includes_refresh
from flowforce.records.ids import is_id, normalize_id
from flowforce.records.migration import schema_locked
from flowforce.records.store import RecordStore

DEV_ADMIN_USERNAME = "admin@flowforce.local"
DEV_APP_NAME = "flowforce-dev"


@dataclass(frozen=True)
class DevOrg:
    """What to print after :meth:`AuthService.ensure_dev_org`. Secrets are None when they already existed and
    were not given again (only their hashes are kept)."""

    org_id: str
    instance_url: str
    admin_username: str
    admin_password: str | None
    security_token: str | None
    client_id: str
    client_secret: str | None
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()

    def lines(self) -> list[tuple[str, str]]:
        hidden = "(not shown: as configured, or stored hashed)"
        return [
            ("instance URL", self.instance_url), ("org id", self.org_id), ("admin username", self.admin_username),
            ("admin password", self.admin_password or hidden), ("security token", self.security_token or hidden),
            ("client id", self.client_id), ("client secret", self.client_secret or hidden),
        ]  # fmt: skip


class AuthService:
    def __init__(self, store: RecordStore, settings: AuthSettings | None = None, *,
                 clock: Callable[[], float] | None = None) -> None:
        """*clock* returns epoch seconds (tests pass a fake one to expire tokens)."""
        self.store = store
        self.settings = settings or AuthSettings()
        self._clock = clock or time.time
        self.tables = build_auth_tables()
        self._org_state = OrgState(store, self.tables)
        self._org: OrgContext | None = None
        cost = self.settings.password_hash_cost
        self.catalog = Catalog(store, self.tables)
        self.throttle = LoginThrottle(self.settings.throttle_limits, clock=self._clock)
        self.users = UserDirectory(store, self.tables, self.catalog, hash_cost=cost, clock_ms=self._now_ms,
                                   throttle=self.throttle)
        self.apps = AppRegistry(store, self.tables, self.users, hash_cost=cost, clock_ms=self._now_ms)
        self.tokens = TokenStore(store, self.tables, org_id15=lambda: self._context().org_id15,
                                 session_ms=self.settings.session_seconds * 1000, clock_ms=self._now_ms)
        self.grants = OAuthGrants(self.settings, self.users, self.apps, self.tokens, self.catalog, self._context,
                                  self._now_ms)
        self.authenticator = Authenticator(self.users, self.tokens, lambda: self.org_id, clock_ms=self._now_ms)
        self.web_flow = WebServerFlow(store, self.apps, self.users, clock_ms=self._now_ms)

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # --- schema and org ------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the ``ff_auth_*`` tables, the org row and the built-in profiles/permission sets (idempotent)."""
        self.tables.create_all(self.store.engine)
        self.web_flow.ensure_schema()
        row = self._org_state.load(self.settings.org_id)
        self._org = OrgState.context(row, self.settings.org_name, self.settings.secret_key)
        with schema_locked(self.store.engine, "flowforce.auth.builtins"):  # servers starting together
            self.catalog.ensure_builtins()

    def _context(self) -> OrgContext:
        if self._org is None:
            self.ensure_schema()
        assert self._org is not None
        return self._org

    @property
    def org_id(self) -> str:
        return self._context().org_id

    def is_configured(self, *, beyond_dev_org: bool = False) -> bool:
        """At least one user and one app exist. With *beyond_dev_org*, ones other than the development org's
        admin and apps: a non-loopback server must not start on the dev org an earlier local run created and
        printed the password of (issue 9 item 9)."""
        users, apps = self.tables.users, self.tables.apps
        user_filter, app_filter = [], []
        if beyond_dev_org:
            row = self._org_state.load(self.settings.org_id)
            user_filter = [users.c.user_id != (row.dev_admin_user_id or "")]
            app_filter = [apps.c.client_id.notin_([row.dev_client_id or "", CLI_CLIENT_ID])]
        with self.store.engine.connect() as conn:
            user_count = conn.execute(sa.select(sa.func.count()).select_from(users).where(*user_filter)).scalar_one()
            app_count = conn.execute(sa.select(sa.func.count()).select_from(apps).where(*app_filter)).scalar_one()
        return bool(user_count and app_count)

    # --- administration ------------------------------------------------------------------------------------
    def add_user(self, username: str, password: str, *, email: str | None = None, first_name: str | None = None,
                 last_name: str | None = None, profile: str = "System Administrator",
                 permission_sets: Sequence[str] = (), flow_user: bool = True, trusted: bool = False) -> UserInfo:
        self._context()
        return self.users.add_user(username, password, email=email, first_name=first_name, last_name=last_name,
                                   profile=profile, permission_sets=permission_sets, flow_user=flow_user,
                                   trusted=trusted)

    def list_users(self) -> list[UserInfo]:
        return self.users.list_users()

    def set_password(self, username: str, password: str) -> None:
        self.users.set_password(username, password)

    def reset_security_token(self, username: str) -> str:
        return self.users.reset_security_token(username)

    def update_user(self, username: str, *, profile: str | None = None, permission_sets: Sequence[str] | None = None,
                    flow_user: bool | None = None, trusted: bool | None = None) -> None:
        self.users.update_user(username, profile=profile, permission_sets=permission_sets, flow_user=flow_user,
                               trusted=trusted)
        self.authenticator.forget()

    def define_permission_set(self, definition: PermissionSetDefinition) -> None:
        self._context()
        self.catalog.define_permission_set(definition)
        self.authenticator.forget()

    def add_app(self, name: str, *, client_id: str | None = None, client_secret: str | None = None,
                run_as_username: str | None = None, certificate_pem: str | None = None,
                scope: str | None = None) -> AppInfo:
        self._context()
        return self.apps.add_app(name, client_id=client_id, client_secret=client_secret,
                                 run_as_username=run_as_username, certificate_pem=certificate_pem,
                                 scope=scope or DEFAULT_SCOPE)

    def list_apps(self) -> list[AppInfo]:
        return self.apps.list_apps()

    def share_flow(self, flow_api_name: str, username: str) -> None:
        """Share a flow with a user (idempotent)."""
        user = self.users.require(username)
        table = self.tables.flow_shares
        key = flow_api_name.strip().lower()
        if not key:
            raise AuthAdminError("a flow API name is required")
        with self.store.engine.begin() as conn:
            exists = conn.execute(sa.select(table.c.user_id).where((table.c.flow_key == key)
                                                                   & (table.c.user_id == user.user_id))).first()
            if exists is None:
                conn.execute(table.insert().values(flow_key=key, user_id=user.user_id,
                                                   flow_api_name=flow_api_name.strip()))

    def unshare_flow(self, flow_api_name: str, username: str) -> bool:
        user = self.users.require(username)
        table = self.tables.flow_shares
        with self.store.engine.begin() as conn:
            deleted = conn.execute(table.delete().where((table.c.flow_key == flow_api_name.strip().lower())
                                                        & (table.c.user_id == user.user_id)))
        return bool(deleted.rowcount)

    def flow_shares(self, flow_api_name: str) -> list[str]:
        """Usernames the flow is shared with."""
        shares, users = self.tables.flow_shares, self.tables.users
        query = (sa.select(users.c.username).select_from(shares.join(users, users.c.user_id == shares.c.user_id))
                 .where(shares.c.flow_key == flow_api_name.strip().lower()).order_by(users.c.username_key))
        with self.store.engine.connect() as conn:
            return [str(name) for name in conn.execute(query).scalars()]

    def issue_refresh_token(self, client_id: str, username: str) -> str:
        return self.grants.issue_refresh_token(client_id, username)

    def configure_from(self, config: Mapping[str, Any], *, base_dir: Path | None = None,
                       env: Mapping[str, str] | None = None) -> ConfigResult:
        """Apply a ``flowforce.toml`` ``[auth]`` section (or the whole file); see :mod:`flowforce.auth.config`."""
        self._context()
        result = apply_config(self, config, base_dir=base_dir, env=env)
        self.authenticator.forget()
        return result

    def ensure_dev_org(self, admin_username: str | None = None, admin_password: str | None = None,
                       client_id: str | None = None, client_secret: str | None = None) -> DevOrg:
        """The loopback development org: one trusted System Administrator and one app running as them.

        Idempotent: what exists is reused; given credentials that differ from the stored ones replace them;
        missing ones are generated (and returned, to be printed once).
        """
        row = self._org_state.load(self.settings.org_id)
        self._context()
        created: list[str] = []
        updated: list[str] = []
        admin = self.users.by_username(admin_username) if admin_username else (
            self.users.by_id(row.dev_admin_user_id) if row.dev_admin_user_id else None)
        token = None
        if admin is None:
            admin_username = admin_username or DEV_ADMIN_USERNAME
            admin_password = admin_password or random_string(16)
            info = self.users.add_user(admin_username, admin_password, first_name="Dev", last_name="Admin",
                                       trusted=True)
            token, admin = info.security_token, self.users.require(admin_username)
            created.append("admin user")
        elif admin_password is not None and not verify_secret(admin_password, admin.password_hash):
            self.users.set_password(admin.username, admin_password)
            updated.append("admin password")
        app = self.apps.get(client_id or row.dev_client_id or "")
        if app is None:
            name = DEV_APP_NAME if self.apps.by_name(DEV_APP_NAME) is None else f"{DEV_APP_NAME}-{random_string(6)}"
            info_app = self.apps.add_app(name, client_id=client_id, client_secret=client_secret,
                                         run_as_username=admin.username)
            client_id, client_secret = info_app.client_id, info_app.client_secret
            created.append("client app")
        else:
            client_id = app.client_id
            if client_secret is not None and not verify_secret(client_secret, app.secret_hash):
                self.apps.update_app(app.name, client_secret=client_secret)
                updated.append("client secret")
            if app.run_as_user_id is None:
                self.apps.update_app(app.name, run_as_username=admin.username)
        self.web_flow.ensure_cli_app()
        self._org_state.update(dev_admin_user_id=admin.user_id, dev_client_id=client_id)
        return DevOrg(self.org_id, self.settings.instance_url, admin.username, admin_password, token, client_id,
                      client_secret, tuple(created), tuple(updated))

    # --- grants --------------------------------------------------------------------------------------------
    def token_client_credentials(self, client_id: str | None, client_secret: str | None) -> TokenResponse:
        return self.grants.client_credentials(client_id, client_secret)

    def token_password(self, client_id: str | None, client_secret: str | None, username: str | None,
                       password_plus_token: str | None) -> TokenResponse:
        return self.grants.password(client_id, client_secret, username, password_plus_token)

    def token_refresh(self, client_id: str | None, client_secret: str | None,
                      refresh_token: str | None) -> TokenResponse:
        return self.grants.refresh(client_id, client_secret, refresh_token)

    def token_jwt_bearer(self, assertion: str | None) -> TokenResponse:
        return self.grants.jwt_bearer(assertion)

    def authorize_request(self, params: Mapping[str, str]) -> AuthorizeRequest:
        """Check `/services/oauth2/authorize` parameters; raises ``AuthorizeError``."""
        return self.web_flow.check_authorize(
            params.get("client_id"), params.get("redirect_uri"), params.get("response_type"), params.get("scope"),
            params.get("state"), params.get("code_challenge"), params.get("code_challenge_method"))

    def form_signature(self, nonce: str) -> str:
        """The CSRF token a login form must send back with the cookie holding *nonce* (keyed by the org's
        signing key, so a page on another site can neither read nor forge it)."""
        return hmac_signature(self._context().signing_key, "authorize-form:" + nonce)

    def web_login(self, request: AuthorizeRequest, username: str, password: str) -> str | None:
        """The authorization code for a user who logged in on the authorize page, or None (wrong credentials)."""
        user = self.web_flow.verify_user(username, password)
        return self.web_flow.issue_code(request, user.user_id) if user is not None else None

    def token_authorization_code(self, code: str | None, client_id: str | None, client_secret: str | None,
                                 redirect_uri: str | None, code_verifier: str | None) -> TokenResponse:
        granted = self.web_flow.redeem(code, client_id, client_secret, redirect_uri, code_verifier)
        return self.grants.authorization_code(granted.user_id, granted.client_id, granted.scope, client_secret,
                                              includes_refresh(granted.scope))

    def soap_login(self, username: str, password_plus_token: str, api_version: str = "59.0") -> SoapLoginResult:
        return self.grants.soap_login(username, password_plus_token, api_version)

    def revoke(self, token: str | None) -> None:
        """Revoke an access or refresh token (a refresh token takes its access tokens along); raises
        ``OAuthError`` for an unknown or dead token (§4.3)."""
        digests = self.tokens.revoke(token or "")
        if not digests:
            raise OAuthError.unsupported_token()
        self.authenticator.forget(digests)

    def introspect(self, token: str | None, client_id: str | None, client_secret: str | None
                   ) -> tuple[TokenRecord, str, str] | None:
        """A live token's record, its user's username and identity URL (the app must authenticate), or None."""
        self.apps.authenticate(client_id, client_secret)
        record = self.tokens.find(token or "")
        user = self.users.by_id(record.user_id) if record is not None else None
        if record is None or user is None:
            return None
        return record, user.username, identity_url(self.settings.effective_login_url, self.org_id, user.user_id)

    # --- requests ------------------------------------------------------------------------------------------
    def authenticate(self, bearer_value: str) -> Session | None:
        """The session of a bearer token / session id, or None (answer 401 INVALID_SESSION_ID)."""
        return self.authenticator.authenticate(bearer_value)

    def may_read_identity(self, org_id: str, user_id: str, session: Session) -> bool:
        """Whether an identity URL names the session's own org and user (UNCONFIRMED: Salesforce lets an org's
        admin read others' identity; flowforce does not)."""
        if not (is_id(org_id) and is_id(user_id)):
            return False
        return normalize_id(org_id) == session.org_id and normalize_id(user_id) == session.user_id

    def can_run_flow(self, session: Session, flow_api_name: str) -> FlowAccess:
        if not needs_share_lookup(session):  # admins and users who can't run flows at all: no query (hot path)
            return decide_flow_access(session, False)
        table = self.tables.flow_shares
        with self.store.engine.connect() as conn:
            shared = conn.execute(sa.select(table.c.user_id).where(
                (table.c.flow_key == flow_api_name.strip().lower()) & (table.c.user_id == session.user_id))).first()
        return decide_flow_access(session, shared is not None)

    def can_access_object(self, session: Session, object_name: str, op: str) -> bool:
        return object_access(session, object_name, op)

    def token_digest(self, token: str) -> str:
        return token_digest(token)

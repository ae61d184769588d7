"""External client apps (Salesforce's connected apps): a consumer key, a hashed consumer secret, the run-as user
of the client-credentials flow and the certificate that signs JWT bearer assertions."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from flowforce.auth.errors import AuthAdminError, OAuthError
from flowforce.auth.hashing import hash_secret, random_string, verify_secret
from flowforce.auth.jwt_bearer import load_verification_key
from flowforce.auth.tables import AuthTables
from flowforce.auth.users import UserDirectory
from flowforce.records.store import RecordStore

DEFAULT_SCOPE = "api refresh_token"
_CLIENT_ID_PREFIX = "3MVG9"  # what Salesforce consumer keys start with; clients treat the key as opaque


@dataclass(frozen=True)
class AppInfo:
    """An app as the admin commands show it; ``client_secret`` is plain only right after it was set."""

    name: str
    client_id: str
    run_as_username: str | None = None
    has_certificate: bool = False
    scope: str = DEFAULT_SCOPE
    client_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class App:
    """A row of ``ff_auth_apps``."""

    client_id: str
    name: str
    secret_hash: str
    run_as_user_id: str | None
    certificate_pem: str | None
    scope: str


def new_client_id() -> str:
    return _CLIENT_ID_PREFIX + random_string(80, string.ascii_letters + string.digits + "._")


def new_client_secret() -> str:
    return random_string(64, "0123456789ABCDEF")


class AppRegistry:
    def __init__(self, store: RecordStore, tables: AuthTables, users: UserDirectory, *, hash_cost: int,
                 clock_ms: Callable[[], int]) -> None:
        self._store = store
        self._tables = tables
        self._users = users
        self._cost = hash_cost
        self._clock_ms = clock_ms

    def _find(self, where: sa.ColumnElement[bool]) -> App | None:
        table = self._tables.apps
        with self._store.engine.connect() as conn:
            row = conn.execute(sa.select(table.c.client_id, table.c.name, table.c.secret_hash, table.c.run_as_user_id,
                                         table.c.certificate_pem, table.c.scope).where(where)).first()
        return App(**row._mapping) if row is not None else None

    def get(self, client_id: str) -> App | None:
        return self._find(self._tables.apps.c.client_id == client_id) if client_id else None

    def by_name(self, name: str) -> App | None:
        return self._find(self._tables.apps.c.name == name)

    def _run_as_id(self, username: str | None) -> str | None:
        return self._users.require(username).user_id if username else None

    @staticmethod
    def _check_certificate(pem: str | None) -> None:
        if pem is not None:
            try:
                load_verification_key(pem)
            except ValueError as error:
                raise AuthAdminError(f"the certificate is not a PEM X.509 certificate or RSA public key: {error}"
                                     ) from None

    def add_app(self, name: str, *, client_id: str | None = None, client_secret: str | None = None,
                run_as_username: str | None = None, certificate_pem: str | None = None,
                scope: str = DEFAULT_SCOPE) -> AppInfo:
        if not name.strip():
            raise AuthAdminError("an app name is required")
        if self.by_name(name) is not None:
            raise AuthAdminError(f"an app named {name!r} already exists")
        client_id = client_id or new_client_id()
        if self.get(client_id) is not None:
            raise AuthAdminError("another app already uses that client id")
        client_secret = client_secret or new_client_secret()
        self._check_certificate(certificate_pem)
        run_as_user_id = self._run_as_id(run_as_username)  # before begin(): one connection at a time (SQLite)
        with self._store.engine.begin() as conn:
            conn.execute(self._tables.apps.insert().values(
                client_id=client_id, name=name, secret_hash=hash_secret(client_secret, self._cost),
                run_as_user_id=run_as_user_id, certificate_pem=certificate_pem, scope=scope,
                created_ms=self._clock_ms(),
            ))  # fmt: skip
        return AppInfo(name, client_id, run_as_username, certificate_pem is not None, scope, client_secret)

    def update_app(self, name: str, *, client_secret: str | None = None, run_as_username: str | None = None,
                   certificate_pem: str | None = None, scope: str | None = None) -> None:
        """Change what is given (None leaves a setting as it is)."""
        app = self.by_name(name)
        if app is None:
            raise AuthAdminError(f"no app named {name!r}")
        self._check_certificate(certificate_pem)
        values: dict[str, object] = {}
        if client_secret is not None:
            values["secret_hash"] = hash_secret(client_secret, self._cost)
        if run_as_username is not None:
            values["run_as_user_id"] = self._run_as_id(run_as_username)
        if certificate_pem is not None:
            values["certificate_pem"] = certificate_pem
        if scope is not None:
            values["scope"] = scope
        if values:
            table = self._tables.apps
            with self._store.engine.begin() as conn:
                conn.execute(table.update().where(table.c.client_id == app.client_id).values(**values))

    def list_apps(self) -> list[AppInfo]:
        apps, users = self._tables.apps, self._tables.users
        query = (sa.select(apps.c.name, apps.c.client_id, users.c.username, apps.c.certificate_pem, apps.c.scope)
                 .select_from(apps.outerjoin(users, users.c.user_id == apps.c.run_as_user_id)).order_by(apps.c.name))
        with self._store.engine.connect() as conn:
            return [AppInfo(row.name, row.client_id, row.username, row.certificate_pem is not None, row.scope)
                    for row in conn.execute(query)]

    def authenticate(self, client_id: str | None, client_secret: str | None) -> App:
        """The app when the consumer key exists and the secret matches (§4.2: unknown key and wrong secret are
        two different errors)."""
        app = self.get(client_id or "")
        if app is None:
            raise OAuthError.unknown_client()
        key, throttle = "client:" + app.client_id, self._users.throttle
        if throttle.locked(key):  # a locked consumer key: the usual answer, the right secret included
            raise OAuthError.bad_client_secret()
        ok = bool(client_secret) and verify_secret(client_secret or "", app.secret_hash)
        throttle.record(key, ok)
        if not ok:
            raise OAuthError.bad_client_secret()
        return app

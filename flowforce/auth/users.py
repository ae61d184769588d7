"""Users: a ``User`` record in the store plus credentials and flow-related settings in ``ff_auth_users``.

Salesforce logins take ``password + security token`` concatenated (reference/api-surface.md §4.1, §4.7) unless
the login comes from a trusted network. flowforce has no IP ranges, so ``trusted`` is a per-user flag: a trusted
user may log in with or without the token. Tokens have a fixed length, which is how the two are told apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.auth.catalog import Catalog
from flowforce.auth.errors import AuthAdminError
from flowforce.auth.hashing import hash_secret, random_string, verify_secret
from flowforce.auth.permissions import Grants, resolve_grants
from flowforce.auth.tables import AuthTables
from flowforce.auth.throttle import LoginThrottle
from flowforce.records.record import Record
from flowforce.records.store import RecordStore

SECURITY_TOKEN_LENGTH = 24
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class UserInfo:
    """A user as the admin commands show it; ``security_token`` is the plain token, only right after it was
    generated (it is stored hashed)."""

    user_id: str
    username: str
    email: str | None
    profile: str
    permission_sets: tuple[str, ...] = ()
    flow_user: bool = True
    trusted: bool = False
    active: bool = True
    security_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Credentials:
    """A row of ``ff_auth_users``."""

    user_id: str
    username: str
    password_hash: str
    token_hash: str
    profile_name: str
    flow_user: bool
    trusted: bool


def _alias(username: str) -> str:
    letters = re.sub(r"[^A-Za-z0-9]", "", username.split("@")[0]) or "user"
    return letters[:8]


class UserDirectory:
    def __init__(self, store: RecordStore, tables: AuthTables, catalog: Catalog, *, hash_cost: int,
                 clock_ms: Callable[[], int], throttle: LoginThrottle | None = None) -> None:
        self._store = store
        self._tables = tables
        self._catalog = catalog
        self._cost = hash_cost
        self._clock_ms = clock_ms
        self.throttle = throttle or LoginThrottle()
        self._decoy: str | None = None

    # --- reads ---------------------------------------------------------------------------------------------
    def _select(self, where: sa.ColumnElement[bool], conn: Connection | None = None) -> Credentials | None:
        table = self._tables.users
        query = sa.select(table.c.user_id, table.c.username, table.c.password_hash, table.c.token_hash,
                          table.c.profile_name, table.c.flow_user, table.c.trusted).where(where)
        if conn is None:
            with self._store.engine.connect() as own:
                row = own.execute(query).first()
        else:
            row = conn.execute(query).first()
        return Credentials(**row._mapping) if row is not None else None

    def by_username(self, username: str) -> Credentials | None:
        return self._select(self._tables.users.c.username_key == username.strip().lower())

    def by_id(self, user_id: str) -> Credentials | None:
        return self._select(self._tables.users.c.user_id == user_id)

    def require(self, username: str) -> Credentials:
        found = self.by_username(username)
        if found is None:
            raise AuthAdminError(f"no user named {username!r}")
        return found

    def permission_set_names(self, user_id: str, conn: Connection | None = None) -> tuple[str, ...]:
        table = self._tables.user_permission_sets
        query = sa.select(table.c.permission_set).where(table.c.user_id == user_id).order_by(table.c.permission_set)
        if conn is None:
            with self._store.engine.connect() as own:
                return tuple(own.execute(query).scalars())
        return tuple(conn.execute(query).scalars())

    def permission_holders(self, user_id: str) -> tuple[str, ...]:
        """The names of the user's profile and permission sets (what ``$Permission`` looks custom permissions
        up in); none for an unknown user."""
        credentials = self.by_id(user_id)
        if credentials is None:
            return ()
        return (credentials.profile_name, *self.permission_set_names(user_id))

    def user_record(self, user_id: str) -> Record | None:
        with self._store.transaction() as txn:
            return txn.fetch_record("User", user_id)

    def grants(self, credentials: Credentials) -> Grants:
        definitions = [self._catalog.profile(credentials.profile_name)]
        definitions += [self._catalog.permission_set(name) for name in self.permission_set_names(credentials.user_id)]
        return resolve_grants(definitions, credentials.flow_user, self._store.registry)

    def list_users(self) -> list[UserInfo]:
        table = self._tables.users
        with self._store.engine.connect() as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.username_key)).all()
            assignments = self._tables.user_permission_sets
            sets: dict[str, list[str]] = {}
            for row in conn.execute(sa.select(assignments).order_by(assignments.c.permission_set)):
                sets.setdefault(row.user_id, []).append(row.permission_set)
        with self._store.transaction() as txn:
            records = txn.retrieve("User", [row.user_id for row in rows], ["Email", "IsActive"])
        return [
            UserInfo(row.user_id, row.username, record.get("Email") if record else None, row.profile_name,
                     tuple(sets.get(row.user_id, ())), row.flow_user, row.trusted,
                     bool(record.get("IsActive")) if record else False)
            for row, record in zip(rows, records)
        ]

    # --- writes --------------------------------------------------------------------------------------------
    def add_user(self, username: str, password: str, *, email: str | None = None, first_name: str | None = None,
                 last_name: str | None = None, profile: str = "System Administrator",
                 permission_sets: Sequence[str] = (), flow_user: bool = True, trusted: bool = False) -> UserInfo:
        username = username.strip()
        if not username:
            raise AuthAdminError("a username is required")
        if not password:
            raise AuthAdminError("a password is required")
        if self.by_username(username) is not None:
            raise AuthAdminError(f"a user named {username!r} already exists")
        profile_def = self._catalog.profile(profile)
        set_names = [self._catalog.permission_set(name).name for name in permission_sets]
        email = email or (username if _EMAIL_RE.match(username) else None)
        if email is None:
            raise AuthAdminError(f"{username!r} is not an email address; give --email")
        profile_id = self._catalog.profile_record_id(profile_def.name)
        token = random_string(SECURITY_TOKEN_LENGTH)
        with self._store.transaction() as txn:
            result = txn.insert("User", [{
                "Username": username, "Email": email, "FirstName": first_name,
                "LastName": last_name or username.split("@")[0], "Alias": _alias(username),
                "CommunityNickname": username.split("@")[0][:40], "ProfileId": profile_id,
            }])[0]  # fmt: skip
            user_id = str(result.id)
            txn.connection.execute(self._tables.users.insert().values(
                user_id=user_id, username=username, username_key=username.lower(),
                password_hash=hash_secret(password, self._cost), token_hash=hash_secret(token, self._cost),
                profile_name=profile_def.name, flow_user=flow_user, trusted=trusted, created_ms=self._clock_ms(),
            ))  # fmt: skip
            self._assign(txn.connection, user_id, set_names)
        return UserInfo(user_id, username, email, profile_def.name, tuple(sorted(set_names)), flow_user, trusted,
                        True, token)

    def _assign(self, conn: Connection, user_id: str, names: Sequence[str]) -> None:
        table = self._tables.user_permission_sets
        conn.execute(table.delete().where(table.c.user_id == user_id))
        for name in sorted(set(names)):
            conn.execute(table.insert().values(user_id=user_id, permission_set=name))

    def update_user(self, username: str, *, profile: str | None = None, permission_sets: Sequence[str] | None = None,
                    flow_user: bool | None = None, trusted: bool | None = None) -> None:
        """Change access settings; None leaves a setting as it is."""
        user = self.require(username)
        values: dict[str, object] = {}
        if profile is not None:
            values["profile_name"] = self._catalog.profile(profile).name
            profile_id = self._catalog.profile_record_id(profile)
        if flow_user is not None:
            values["flow_user"] = flow_user
        if trusted is not None:
            values["trusted"] = trusted
        set_names = None
        if permission_sets is not None:
            set_names = [self._catalog.permission_set(name).name for name in permission_sets]
        with self._store.transaction() as txn:
            if profile is not None:
                txn.update("User", [{"Id": user.user_id, "ProfileId": profile_id}])
            if values:
                table = self._tables.users
                txn.connection.execute(table.update().where(table.c.user_id == user.user_id).values(**values))
            if set_names is not None:
                self._assign(txn.connection, user.user_id, set_names)

    def _set_hash(self, user_id: str, column: str, plain: str) -> None:
        table = self._tables.users
        with self._store.engine.begin() as conn:
            conn.execute(table.update().where(table.c.user_id == user_id)
                         .values({column: hash_secret(plain, self._cost)}))

    def set_password(self, username: str, password: str) -> None:
        if not password:
            raise AuthAdminError("a password is required")
        self._set_hash(self.require(username).user_id, "password_hash", password)

    def reset_security_token(self, username: str) -> str:
        token = random_string(SECURITY_TOKEN_LENGTH)
        self._set_hash(self.require(username).user_id, "token_hash", token)
        return token

    # --- login ---------------------------------------------------------------------------------------------
    def verify_login(self, username: str, password_plus_token: str, *, with_token: bool = True
                     ) -> Credentials | None:
        """The user when the password (followed by the security token unless the user is trusted, or unless
        *with_token* is False: a browser login) matches and the user is active; None otherwise (callers answer one
        undistinguished failure, like Salesforce).

        A locked-out username fails whatever the password (auth/throttle.py). Unknown and locked names cost the
        same hashing as a wrong password, so timing does not tell which usernames exist."""
        key = "user:" + username.lower()
        user = self.by_username(username) if username else None
        if user is None or not password_plus_token or self.throttle.locked(key):
            verify_secret(password_plus_token, self._decoy_hash())
            return None
        ok = False
        if not with_token:
            ok = verify_secret(password_plus_token, user.password_hash)
        elif len(password_plus_token) > SECURITY_TOKEN_LENGTH:
            password, token = password_plus_token[:-SECURITY_TOKEN_LENGTH], password_plus_token[-SECURITY_TOKEN_LENGTH:]
            ok = verify_secret(token, user.token_hash) and verify_secret(password, user.password_hash)
        else:
            verify_secret(password_plus_token, self._decoy_hash())
        if not ok and with_token and user.trusted:
            ok = verify_secret(password_plus_token, user.password_hash)
        self.throttle.record(key, ok)
        if not ok:
            return None
        return user if self.is_active(user.user_id) else None

    def _decoy_hash(self) -> str:
        """A hash at this directory's cost that no password matches (the stand-in for a missing user's)."""
        if self._decoy is None:
            self._decoy = hash_secret(random_string(32), self._cost)
        return self._decoy

    def is_active(self, user_id: str) -> bool:
        record = self.user_record(user_id)
        return bool(record is not None and record.get("IsActive"))

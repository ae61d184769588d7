"""The identity layer's own tables (``ff_auth_*``), kept beside the record store's sObject tables.

The standard ``User``/``Profile``/``PermissionSet`` objects hold what Salesforce exposes through the API; what it
keeps out of reach (password and security-token hashes, client secrets, issued tokens) or what the store's User
object lacks (the Flow User checkbox, ``UserPermissionsInteractionUser``; permission-set assignments; flow
sharing) lives here. Times are epoch milliseconds in BIGINT columns: no time-zone handling differs between
SQLite and PostgreSQL that way.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from flowforce.records.migration import schema_lock


@dataclass(frozen=True)
class AuthTables:
    org: sa.Table
    users: sa.Table
    user_permission_sets: sa.Table
    profiles: sa.Table
    permission_sets: sa.Table
    apps: sa.Table
    tokens: sa.Table
    flow_shares: sa.Table

    def create_all(self, engine: Engine) -> None:
        """Create missing tables (idempotent: ``checkfirst``; one process at a time on PostgreSQL)."""
        with engine.begin() as conn:
            schema_lock(conn, "flowforce.auth.schema")
            self.org.metadata.create_all(conn, checkfirst=True)


def build_auth_tables() -> AuthTables:
    metadata = sa.MetaData()
    org = sa.Table(
        "ff_auth_org", metadata,
        sa.Column("singleton", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("org_id", sa.String(18), nullable=False),
        sa.Column("signing_key", sa.String(64), nullable=False),
        sa.Column("dev_admin_user_id", sa.String(18)),
        sa.Column("dev_client_id", sa.String(255)),
    )  # fmt: skip
    users = sa.Table(
        "ff_auth_users", metadata,
        sa.Column("user_id", sa.String(18), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("username_key", sa.String(80), nullable=False, unique=True),  # lower-cased: logins ignore case
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("token_hash", sa.String(255), nullable=False),
        sa.Column("profile_name", sa.String(255), nullable=False),
        sa.Column("flow_user", sa.Boolean, nullable=False),
        sa.Column("trusted", sa.Boolean, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )  # fmt: skip
    user_permission_sets = sa.Table(
        "ff_auth_user_permission_sets", metadata,
        sa.Column("user_id", sa.String(18), primary_key=True),
        sa.Column("permission_set", sa.String(80), primary_key=True),
    )  # fmt: skip
    profiles = sa.Table(
        "ff_auth_profiles", metadata,
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("record_id", sa.String(18), nullable=False),
    )  # fmt: skip
    permission_sets = sa.Table(
        "ff_auth_permission_sets", metadata,
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("record_id", sa.String(18)),
        sa.Column("definition", sa.Text, nullable=False),  # JSON of a PermissionSetDefinition
    )  # fmt: skip
    apps = sa.Table(
        "ff_auth_apps", metadata,
        sa.Column("client_id", sa.String(255), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(255), nullable=False),
        sa.Column("run_as_user_id", sa.String(18)),
        sa.Column("certificate_pem", sa.Text),
        sa.Column("scope", sa.String(255), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )  # fmt: skip
    tokens = sa.Table(
        "ff_auth_tokens", metadata,
        sa.Column("digest", sa.String(64), primary_key=True),  # SHA-256 of the token; the token is never stored
        sa.Column("kind", sa.String(8), nullable=False),  # "access" | "refresh"
        sa.Column("user_id", sa.String(18), nullable=False, index=True),
        sa.Column("client_id", sa.String(255)),
        sa.Column("scope", sa.String(255), nullable=False),
        sa.Column("issued_ms", sa.BigInteger, nullable=False),
        sa.Column("expires_ms", sa.BigInteger),  # None: until revoked (refresh tokens)
        sa.Column("revoked", sa.Boolean, nullable=False, default=False),
        sa.Column("refresh_digest", sa.String(64), index=True),  # the refresh token an access token came from
    )  # fmt: skip
    flow_shares = sa.Table(
        "ff_auth_flow_shares", metadata,
        sa.Column("flow_key", sa.String(255), primary_key=True),  # lower-cased flow API name
        sa.Column("user_id", sa.String(18), primary_key=True),
        sa.Column("flow_api_name", sa.String(255), nullable=False),
    )  # fmt: skip
    return AuthTables(org, users, user_permission_sets, profiles, permission_sets, apps, tokens, flow_shares)

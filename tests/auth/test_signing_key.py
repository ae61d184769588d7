"""The signing key is derived from a secret kept outside the database (issue 9 item 8: it was stored in plaintext,
so a copy of the database could forge the authorize form's signatures)."""

from __future__ import annotations

import sqlalchemy as sa

from flowforce.auth.hashing import hmac_signature
from flowforce.auth.service import AuthService
from flowforce.records.store import RecordStore

from .conftest import settings


def stored_key(store: RecordStore, auth: AuthService) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(sa.select(auth.tables.org.c.signing_key)).scalar_one())


def test_the_stored_key_alone_does_not_sign(store: RecordStore) -> None:
    auth = AuthService(store, settings(secret_key="outside-the-database"))
    auth.ensure_schema()
    signature = auth.form_signature("nonce-1")
    assert signature != hmac_signature(stored_key(store, auth), "authorize-form:nonce-1")
    other = AuthService(store, settings(secret_key="another-secret"))
    other.ensure_schema()
    assert other.form_signature("nonce-1") != signature  # same database, another secret: another key
    again = AuthService(store, settings(secret_key="outside-the-database"))
    again.ensure_schema()
    assert again.form_signature("nonce-1") == signature  # stable across restarts with the same secret

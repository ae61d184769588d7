"""Issued access and refresh tokens: only their SHA-256 is stored.

An access token looks like Salesforce's, ``<org id, 15 chars>!<opaque>`` (the sf CLI refuses any other shape,
reference/clients.md §1.10). It lives for the session timeout and slides: each use past half the timeout pushes
the expiry to a full timeout again (Salesforce extends sessions the same way, and it bounds the writes to one per
half timeout). Refresh tokens live until revoked, which is Salesforce's default refresh-token policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from flowforce.auth.hashing import OPAQUE_ALPHABET, random_string, token_digest
from flowforce.auth.tables import AuthTables
from flowforce.records.store import RecordStore

ACCESS = "access"
REFRESH = "refresh"


@dataclass(frozen=True)
class TokenRecord:
    """A row of ``ff_auth_tokens`` (``token`` is set only when the token was just issued)."""

    digest: str
    kind: str
    user_id: str
    client_id: str | None
    scope: str
    issued_ms: int
    expires_ms: int | None
    refresh_digest: str | None = None
    token: str | None = None


class TokenStore:
    def __init__(self, store: RecordStore, tables: AuthTables, *, org_id15: Callable[[], str], session_ms: int,
                 clock_ms: Callable[[], int]) -> None:
        self._store = store
        self._table = tables.tokens
        self._org_id15 = org_id15
        self._session_ms = session_ms
        self._clock_ms = clock_ms

    def _insert(self, record: TokenRecord) -> TokenRecord:
        with self._store.engine.begin() as conn:
            conn.execute(self._table.insert().values(
                digest=record.digest, kind=record.kind, user_id=record.user_id, client_id=record.client_id,
                scope=record.scope, issued_ms=record.issued_ms, expires_ms=record.expires_ms, revoked=False,
                refresh_digest=record.refresh_digest,
            ))  # fmt: skip
        return record

    def issue_access(self, user_id: str, client_id: str | None, scope: str,
                     refresh_digest: str | None = None) -> TokenRecord:
        token = f"{self._org_id15()}!AQ{random_string(94, OPAQUE_ALPHABET)}"
        now = self._clock_ms()
        return self._insert(TokenRecord(token_digest(token), ACCESS, user_id, client_id, scope, now,
                                        now + self._session_ms, refresh_digest, token))

    def issue_refresh(self, user_id: str, client_id: str | None, scope: str) -> TokenRecord:
        token = "5Aep861" + random_string(80, OPAQUE_ALPHABET)
        return self._insert(TokenRecord(token_digest(token), REFRESH, user_id, client_id, scope, self._clock_ms(),
                                        None, None, token))

    def find(self, token: str, kind: str | None = None) -> TokenRecord | None:
        """The live (not revoked, not expired) token record; one primary-key lookup."""
        if not token:
            return None
        t = self._table
        with self._store.engine.connect() as conn:
            row = conn.execute(sa.select(t.c.digest, t.c.kind, t.c.user_id, t.c.client_id, t.c.scope, t.c.issued_ms,
                                         t.c.expires_ms, t.c.refresh_digest, t.c.revoked)
                               .where(t.c.digest == token_digest(token))).first()
        if row is None or row.revoked or (kind is not None and row.kind != kind):
            return None
        if row.expires_ms is not None and row.expires_ms <= self._clock_ms():
            return None
        return TokenRecord(row.digest, row.kind, row.user_id, row.client_id, row.scope, row.issued_ms,
                           row.expires_ms, row.refresh_digest)

    def slide(self, record: TokenRecord) -> int | None:
        """Extend an access token used past half its lifetime; returns the (possibly new) expiry."""
        if record.expires_ms is None:
            return None
        now = self._clock_ms()
        if record.expires_ms - now >= self._session_ms // 2:
            return record.expires_ms
        expires = now + self._session_ms
        with self._store.engine.begin() as conn:
            conn.execute(self._table.update().where(self._table.c.digest == record.digest).values(expires_ms=expires))
        return expires

    def revoke(self, token: str) -> list[str]:
        """Revoke *token*; a refresh token takes the access tokens issued from it along. Returns the digests
        revoked (empty when the token was unknown or already dead)."""
        record = self.find(token)
        if record is None:
            return []
        t = self._table
        condition = t.c.digest == record.digest
        if record.kind == REFRESH:
            condition = condition | (t.c.refresh_digest == record.digest)
        with self._store.engine.begin() as conn:
            digests = [str(d) for d in conn.execute(sa.select(t.c.digest).where(condition)).scalars()]
            conn.execute(t.update().where(condition).values(revoked=True))
        return digests

"""The org itself: its stable id, a signing key, and which user and app make up the development org."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from flowforce.auth.errors import AuthAdminError
from flowforce.auth.grants import OrgContext
from flowforce.auth.hashing import hmac_signature, random_string
from flowforce.auth.tables import AuthTables
from flowforce.records.ids import is_id, new_id, normalize_id
from flowforce.records.store import RecordStore


@dataclass(frozen=True)
class OrgRow:
    org_id: str
    signing_key: str
    dev_admin_user_id: str | None
    dev_client_id: str | None


class OrgState:
    def __init__(self, store: RecordStore, tables: AuthTables) -> None:
        self._store = store
        self._table = tables.org

    def _read(self) -> OrgRow | None:
        t = self._table
        with self._store.engine.connect() as conn:
            row = conn.execute(sa.select(t.c.org_id, t.c.signing_key, t.c.dev_admin_user_id, t.c.dev_client_id)
                               .where(t.c.singleton == 1)).first()
        return OrgRow(**row._mapping) if row is not None else None

    def load(self, configured_org_id: str | None) -> OrgRow:
        """The org row, created on first start; a configured org id replaces the stored one."""
        wanted = None
        if configured_org_id:
            if not is_id(configured_org_id) or not configured_org_id.startswith("00D"):
                raise AuthAdminError(f"org_id {configured_org_id!r} is not a 15- or 18-char 00D… id")
            wanted = normalize_id(configured_org_id)
        row = self._read()
        if row is None:
            try:
                with self._store.engine.begin() as conn:
                    conn.execute(self._table.insert().values(singleton=1, org_id=wanted or new_id("00D"),
                                                             signing_key=random_string(64)))
            except IntegrityError:
                pass  # another process created it first
            row = self._read()
            assert row is not None
        if wanted and row.org_id != wanted:
            self.update(org_id=wanted)
            row = OrgRow(wanted, row.signing_key, row.dev_admin_user_id, row.dev_client_id)
        return row

    def update(self, **values: object) -> None:
        with self._store.engine.begin() as conn:
            conn.execute(self._table.update().where(self._table.c.singleton == 1).values(**values))

    @staticmethod
    def context(row: OrgRow, name: str, secret_key: str | None = None) -> OrgContext:
        """The org as the grants see it. The key that signs is derived from the stored one and *secret_key*,
        which lives outside the database (issue 9 item 8: a copy of the database alone once held the key)."""
        key = hmac_signature(secret_key, "flowforce-signing:" + row.signing_key) if secret_key else row.signing_key
        return OrgContext(row.org_id, name, key)

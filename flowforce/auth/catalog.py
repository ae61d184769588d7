"""The profiles and permission sets of the org: built-in definitions plus the ones configured, each mirrored
as a ``Profile`` / ``PermissionSet`` record so SOQL (``SELECT Profile.Name FROM User``) sees them."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.auth.errors import AuthAdminError
from flowforce.auth.permissions import (
    BUILTIN_PERMISSION_SETS,
    BUILTIN_PROFILES,
    PermissionSetDefinition,
)
from flowforce.auth.tables import AuthTables
from flowforce.records.store import RecordStore


class Catalog:
    def __init__(self, store: RecordStore, tables: AuthTables) -> None:
        self._store = store
        self._tables = tables

    def ensure_builtins(self) -> None:
        """Create the built-in Profile/PermissionSet records once (idempotent)."""
        for profile in BUILTIN_PROFILES.values():
            self.profile_record_id(profile.name)
        for permission_set in BUILTIN_PERMISSION_SETS.values():
            self.define_permission_set(permission_set, replace=False)

    # --- profiles ------------------------------------------------------------------------------------------
    def profile(self, name: str) -> PermissionSetDefinition:
        try:
            return BUILTIN_PROFILES[name.lower()]
        except KeyError:
            known = ", ".join(p.name for p in BUILTIN_PROFILES.values())
            raise AuthAdminError(f"unknown profile {name!r}; known profiles: {known}") from None

    def profile_record_id(self, name: str) -> str:
        """The Profile record of a built-in profile, created on first use."""
        profile = self.profile(name)
        table = self._tables.profiles
        with self._store.engine.connect() as conn:
            found = conn.execute(sa.select(table.c.record_id).where(table.c.name == profile.name)).scalar()
        if found:
            return str(found)
        with self._store.transaction() as txn:
            result = txn.insert("Profile", [{"Name": profile.name, "UserType": "Standard"}])[0]
            txn.connection.execute(table.insert().values(name=profile.name, record_id=result.id))
        return str(result.id)

    # --- permission sets -----------------------------------------------------------------------------------
    def define_permission_set(self, definition: PermissionSetDefinition, *, replace: bool = True) -> None:
        """Store *definition* (and its PermissionSet record); *replace* updates an existing one."""
        table = self._tables.permission_sets
        with self._store.engine.connect() as conn:
            existing = conn.execute(sa.select(table.c.record_id).where(table.c.name == definition.name)).first()
        if existing is not None and not replace:
            return
        with self._store.transaction() as txn:
            fields = {"Name": definition.name, "Label": definition.label, "Description": definition.description}
            if existing is None:
                record_id = txn.insert("PermissionSet", [fields])[0].id
                txn.connection.execute(table.insert().values(name=definition.name, record_id=record_id,
                                                             definition=definition.to_json()))
            else:
                txn.update("PermissionSet", [{"Id": existing.record_id, **fields}])
                txn.connection.execute(table.update().where(table.c.name == definition.name)
                                       .values(definition=definition.to_json()))

    def permission_set(self, name: str, conn: Connection | None = None) -> PermissionSetDefinition:
        table = self._tables.permission_sets
        query = sa.select(table.c.name, table.c.definition).where(sa.func.lower(table.c.name) == name.lower())
        if conn is None:
            with self._store.engine.connect() as own:
                row = own.execute(query).first()
        else:
            row = conn.execute(query).first()
        if row is None:
            builtin = BUILTIN_PERMISSION_SETS.get(name.lower())
            if builtin is not None:
                return builtin
            raise AuthAdminError(f"unknown permission set {name!r}")
        return PermissionSetDefinition.from_mapping(row.name, json.loads(row.definition))

    def permission_set_names(self) -> list[str]:
        table = self._tables.permission_sets
        with self._store.engine.connect() as conn:
            return sorted(str(n) for n in conn.execute(sa.select(table.c.name)).scalars())

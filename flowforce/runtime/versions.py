"""Flow versions as an org keeps them: every version's XML and the status the org gave it, in the database.

Project files are one source of versions (`Name.flow-meta.xml` is version 1, `Name-2…` version 2): at start-up
and on a live reload their content is reconciled into the table — a changed file replaces its version and takes
the status its file says, a deleted file's version goes. Deploys are the other source: a deployed flow becomes
the next version and lives only here. Activation over the API sets a version's status here, so it survives
restarts; every process serving the org notices a change through the generation number (`generation`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.metadata.project import INVALID_DRAFT, FlowLibrary, FlowSource, LoadedFlow
from flowforce.records.column_types import UtcDateTime
from flowforce.records.errors import InvalidOrNullForRestrictedPicklist, RecordError
from flowforce.records.store import RecordStore

FILE, DEPLOY = "file", "deploy"
ACTIVE, OBSOLETE, DRAFT = "Active", "Obsolete", "Draft"


class FieldIntegrityException(RecordError):
    """UNCONFIRMED wording: what Salesforce answers activating a version that has errors."""

    status_code = "FIELD_INTEGRITY_EXCEPTION"


def version_statuses(library: FlowLibrary, loaded: LoadedFlow, status: str) -> dict[tuple[str, int], str]:
    """The statuses to store for setting *loaded* to *status*: activating one version retires the active one
    (Salesforce keeps one active version); deactivating leaves none active."""
    name, version = loaded.flow.api_name, loaded.flow.version
    if status not in (ACTIVE, OBSOLETE, DRAFT):
        raise InvalidOrNullForRestrictedPicklist(f"Status: bad value for restricted picklist field: {status}",
                                                 ["Status"])
    if status == ACTIVE and loaded.effective_status == INVALID_DRAFT:
        reason = loaded.errors[0].message if loaded.errors else "it has errors"
        raise FieldIntegrityException(f"Version {version} of {name} can't be activated: {reason}", ["Status"])
    statuses = {(name.lower(), version): status}
    if status == ACTIVE:
        for other in library.versions(name):
            if other.flow.version != version and other.effective_status == ACTIVE:
                statuses[(name.lower(), other.flow.version)] = OBSOLETE
    return statuses


def version_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    versions = sa.Table(
        "ff_flow_versions", metadata,
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("api_name", sa.String(255), nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        #: The status the org gave the version (activation); None: what its XML says.
        sa.Column("status", sa.String(40)),
        #: The description the org gave the version; None: its XML's.
        sa.Column("description", sa.Text),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    generation = sa.Table(
        "ff_flow_generation", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("generation", sa.Integer, nullable=False),
    )
    return versions, generation


class FlowVersionStore:
    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.versions, self.generations = version_tables(sa.MetaData())
        with store.engine.begin() as conn:
            self._lock(conn)
            self.versions.create(conn, checkfirst=True)
            self.generations.create(conn, checkfirst=True)
            if conn.execute(sa.select(self.generations.c.id)).first() is None:
                conn.execute(self.generations.insert().values(id=1, generation=0))

    def _lock(self, conn: Connection) -> None:
        """Processes starting together on one PostgreSQL database reconcile one at a time."""
        if self.store.dialect_name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('flowforce.flow_versions'))")

    # --- writing -------------------------------------------------------------------------------------------
    def reconcile(self, files: Sequence[FlowSource]) -> bool:
        """Make the file versions match the project's files; True when anything changed."""
        table, now = self.versions, self.store.now()
        changed = False
        with self.store.engine.begin() as conn:
            self._lock(conn)
            stored = {(row.key, row.version): row for row in conn.execute(
                sa.select(table.c.key, table.c.version, table.c.origin, table.c.digest))}
            seen: set[tuple[str, int]] = set()
            for source in files:
                key = (source.api_name.lower(), source.version)
                seen.add(key)
                row = stored.get(key)
                values = {"api_name": source.api_name, "origin": FILE, "source": source.source,
                          "data": source.data, "digest": source.digest, "updated_at": now}
                if row is None:
                    conn.execute(table.insert().values(key=key[0], version=key[1], status=None, description=None,
                                                       **values))
                elif row.digest != source.digest or row.origin != FILE:
                    # The file changed (or now claims a deployed version's number): its content and its
                    # own status win over what the org had.
                    conn.execute(table.update().where(table.c.key == key[0], table.c.version == key[1])
                                 .values(status=None, description=None, **values))
                else:
                    continue
                changed = True
            gone = [key for key, row in stored.items() if row.origin == FILE and key not in seen]
            for name, version in gone:
                conn.execute(table.delete().where(table.c.key == name, table.c.version == version))
            changed = changed or bool(gone)
            if changed:
                self._bump(conn)
        return changed

    def deploy(self, conn: Connection, api_name: str, data: bytes, source: str) -> int:
        """Keep a deployed flow as the next version of its name; returns the version number (processes deploying
        together on one PostgreSQL database take numbers one at a time)."""
        self._lock(conn)
        table = self.versions
        key = api_name.lower()
        latest = conn.execute(sa.select(sa.func.max(table.c.version)).where(table.c.key == key)).scalar() or 0
        version = int(latest) + 1
        conn.execute(table.insert().values(
            key=key, version=version, api_name=api_name, origin=DEPLOY, source=source, data=data,
            digest=FlowSource(api_name, version, data, source).digest, status=None, description=None,
            updated_at=self.store.now()))
        self._bump(conn)
        return version

    def set_statuses(self, conn: Connection, statuses: dict[tuple[str, int], str]) -> None:
        table = self.versions
        for (key, version), status in statuses.items():
            conn.execute(table.update().where(table.c.key == key.lower(), table.c.version == version)
                         .values(status=status, updated_at=self.store.now()))
        self._bump(conn)

    def set_description(self, conn: Connection, api_name: str, version: int, description: str) -> None:
        table = self.versions
        conn.execute(table.update().where(table.c.key == api_name.lower(), table.c.version == version)
                     .values(description=description, updated_at=self.store.now()))
        self._bump(conn)

    def _bump(self, conn: Connection) -> None:
        conn.execute(self.generations.update().where(self.generations.c.id == 1)
                     .values(generation=self.generations.c.generation + 1))

    # --- reading -------------------------------------------------------------------------------------------
    def sources(self) -> list[FlowSource]:
        table = self.versions
        with self.store.reading() as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.key, table.c.version)).all()
        return [FlowSource(row.api_name, row.version, bytes(row.data), row.source, status=row.status,
                           description=row.description) for row in rows]

    def statuses(self) -> dict[tuple[str, int], str | None]:
        table = self.versions
        with self.store.reading() as conn:
            rows = conn.execute(sa.select(table.c.key, table.c.version, table.c.status)).all()
        return {(row.key, row.version): row.status for row in rows}

    def generation(self) -> int:
        with self.store.reading() as conn:
            return int(conn.execute(sa.select(self.generations.c.generation)).scalar() or 0)

    def data(self, api_name: str, version: int) -> bytes | None:
        table = self.versions
        with self.store.reading() as conn:
            value = conn.execute(sa.select(table.c.data).where(
                table.c.key == api_name.lower(), table.c.version == version)).scalar()
        return bytes(value) if value is not None else None

"""Throw-away databases for tests: a SQLite file per test, or a PostgreSQL schema of its own (dropped after)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_database(base: str | None, folder: Path) -> Iterator[str]:
    """*base* None or a SQLite URL: a new SQLite file in *folder*; a PostgreSQL URL: a new schema there."""
    if not base or base.startswith("sqlite"):
        yield f"sqlite:///{folder / 'flowforce-test.db'}"
        return
    import sqlalchemy as sa

    schema = f"ff_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

"""Throw-away databases for tests and benches: a SQLite file per test, or a PostgreSQL schema of its own
(dropped after), so runs never meet."""

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
    with postgres_scratch_schema(base, prefix="ff_test") as url:
        yield url


@contextmanager
def postgres_scratch_schema(base: str, *, prefix: str) -> Iterator[str]:
    """Yield a URL of *base* whose search_path is a new schema, dropped afterwards."""
    import sqlalchemy as sa

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

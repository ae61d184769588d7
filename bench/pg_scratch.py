"""A throw-away PostgreSQL schema for a benchmark run (dropped afterwards, so runs never meet)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flowforce.testing.databases import postgres_scratch_schema as scratch_schema


@contextmanager
def postgres_scratch_schema(base: str) -> Iterator[str]:
    """Yield a URL of *base* whose search_path is a new `ff_bench_…` schema."""
    with scratch_schema(base, prefix="ff_bench") as url:
        yield url

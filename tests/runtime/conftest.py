"""An org over a scratch store (standard objects) on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from scratch_db import scratch_database

from flowforce.actions.registry import ActionRegistry
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.runtime import Org, build_auth_service

CHEAP_AUTH = functools.partial(build_auth_service, password_hash_cost=4)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, f"sqlite:///{tmp_path / 'store.db'}", "ff_runtime") as url:
        yield url


@pytest.fixture
def actions() -> ActionRegistry:
    return ActionRegistry()


@pytest.fixture
def org(db_url: str, actions: ActionRegistry) -> Iterator[Org]:
    store = RecordStore(db_url, SchemaRegistry.standard())
    with Org.on_store(store, auth_factory=CHEAP_AUTH, actions=actions) as opened:
        yield opened

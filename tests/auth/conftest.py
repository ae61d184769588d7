"""Fixtures: an AuthService on every configured database (SQLite always; PostgreSQL in a schema of its own when
FLOWFORCE_TEST_DATABASE_URL is set), a fake clock, and an ASGI app assembled from the auth routes only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scratch_db import scratch_database
from starlette.applications import Starlette
from starlette.testclient import TestClient

from flowforce.api.oauth import oauth_routes
from flowforce.api.soap import soap_routes
from flowforce.auth.service import AuthService, DevOrg
from flowforce.auth.settings import AuthSettings
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore

INSTANCE_URL = "https://ff.test:8443"
ADMIN = "admin@example.com"
ADMIN_PASSWORD = "Adm1n-Passw0rd"
CLIENT_ID = "3MVG9testclientid"
CLIENT_SECRET = "S3CRET-S3CRET"


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    return SchemaRegistry.standard()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, f"sqlite:///{tmp_path / 'auth.db'}", "ff_auth") as url:
        yield url


@pytest.fixture
def store(db_url: str, registry: SchemaRegistry) -> Iterator[RecordStore]:
    opened = RecordStore.open(db_url, registry)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def settings(**overrides: object) -> AuthSettings:
    values: dict[str, object] = {"instance_url": INSTANCE_URL, "password_hash_cost": 4, "session_timeout_minutes": 60}
    values.update(overrides)
    return AuthSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def auth(store: RecordStore, clock: FakeClock) -> AuthService:
    service = AuthService(store, settings(), clock=clock)
    service.ensure_schema()
    return service


@pytest.fixture
def dev(auth: AuthService) -> DevOrg:
    """A dev org with known credentials (the admin is trusted, the app runs as the admin)."""
    return auth.ensure_dev_org(ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET)


@pytest.fixture
def client(auth: AuthService) -> Iterator[TestClient]:
    app = Starlette(routes=[*oauth_routes(auth), *soap_routes(auth)])
    with TestClient(app, base_url=INSTANCE_URL) as test_client:
        yield test_client


@dataclass
class Person:
    username: str
    password: str
    token: str

    @property
    def password_plus_token(self) -> str:
        return self.password + self.token


def make_user(auth: AuthService, username: str, **options: object) -> Person:
    password = "Pw-" + username.split("@")[0]
    info = auth.add_user(username, password, **options)  # type: ignore[arg-type]
    assert info.security_token is not None
    return Person(username, password, info.security_token)

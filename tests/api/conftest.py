"""An app on a test project (the API test flows plus the bundled Escalate_to_Case), the real auth service with a
cheap password hash, an admin token obtained through the token route, and an `api` client for one API version.

Tests that commit or roll back records use `dml_api`, which also runs on PostgreSQL (a schema per test) when
FLOWFORCE_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import functools
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scratch_db import scratch_database

from flowforce.api.app import create_app
from flowforce.api.server import Server
from flowforce.runtime import Org, build_auth_service
from flowforce.settings import BUNDLED_EXAMPLE, Settings, load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

VERSION = "66.0"
CLIENT_ID, CLIENT_SECRET = "test-client", "test-secret"
ADMIN, ADMIN_PASSWORD = "admin@flowforce.test", "admin-password-1"
TEST_PROJECT = Path(__file__).parent / "project"
EXAMPLE_FLOW = BUNDLED_EXAMPLE / "force-app" / "main" / "default" / "flows" / "Escalate_to_Case.flow-meta.xml"


class Api:
    """A TestClient bound to `/services/data/v66.0/` with a bearer token."""

    def __init__(self, client: TestClient, token: str, org: Org) -> None:
        self.client = client
        self.token = token
        self.org = org
        self.headers = {"Authorization": f"Bearer {token}"}

    @property
    def server(self) -> Server:
        """The HTTP side's state beside the org (cursors, usage)."""
        server: Server = self.client.app.state.server  # type: ignore[attr-defined]
        return server

    def url(self, path: str) -> str:
        return path if path.startswith(("/", "http")) else f"/services/data/v{VERSION}/{path}"

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, self.url(path), headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def create(self, sobject: str, **fields: Any) -> str:
        response = self.post(f"sobjects/{sobject}", json=fields)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def soql(self, text: str) -> list[dict[str, Any]]:
        response = self.get("query", params={"q": text})
        assert response.status_code == 200, response.text
        return list(response.json()["records"])


@pytest.fixture(scope="session")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("api") / "project"
    shutil.copytree(TEST_PROJECT, target)
    shutil.copy(EXAMPLE_FLOW, target / "force-app" / "main" / "default" / "flows")
    return target


@pytest.fixture
def sqlite_url() -> str:
    return "sqlite://"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with scratch_database(request.param, "sqlite://", "ff_api") as url:
        yield url


def make_settings(project_dir: Path, database_url: str, **extra: Any) -> Settings:
    return load_settings(project_dir=project_dir, database_url=database_url, **extra)


CHEAP_AUTH = functools.partial(build_auth_service, password_hash_cost=4)


def open_org(settings: Settings) -> Org:
    org = Org.open(settings, auth_factory=CHEAP_AUTH)
    org.auth.ensure_dev_org(ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET)
    return org


def token_for(client: TestClient, **form: str) -> str:
    body = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form}
    response = client.post("/services/oauth2/token", data=body)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def open_api(settings: Settings) -> Iterator[Api]:
    org = open_org(settings)
    client = TestClient(create_app(settings, org=org), raise_server_exceptions=False)
    try:
        yield Api(client, token_for(client), org)
    finally:
        org.close()


@pytest.fixture
def settings(project_dir: Path, sqlite_url: str) -> Settings:
    return make_settings(project_dir, sqlite_url)


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    yield from open_api(settings)


@pytest.fixture
def dml_api(project_dir: Path, db_url: str) -> Iterator[Api]:
    yield from open_api(make_settings(project_dir, db_url))


@pytest.fixture
def user_api(api: Api) -> Api:
    """A Standard User (Run Flows, no flows shared) logged in by the password grant."""
    auth = api.org.auth
    info = auth.add_user("user@flowforce.test", "user-password-1", profile="Standard User")
    token = token_for(api.client, grant_type="password", username="user@flowforce.test",
                      password="user-password-1" + info.security_token)
    return Api(api.client, token, api.org)

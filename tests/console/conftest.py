"""An org on the console test project (Console_Demo: a decision, an assignment, a record create that fails for big
amounts) plus, when the shared corpus is present, a real corpus flow; an admin and a Standard User; a TestClient
that logs in through the console's own login form."""

from __future__ import annotations

import functools
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scratch_db import scratch_database

from flowforce.api.app import create_app
from flowforce.runtime import Org, build_auth_service
from flowforce.settings import Settings, load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
CORPUS = ROOT.parent / "shared" / "flow-corpus"
WAIT_FLOW = ROOT / "examples" / "force-app" / "main" / "default" / "flows" / "Order_Follow_Up.flow-meta.xml"
CORPUS_FLOW = CORPUS / "Flow-Scanner__lightning-flow-scanner-core" / "Cyclomatic_Complexity.flow-meta.xml"
ADMIN, ADMIN_PASSWORD = "admin@console.test", "admin-password-1"
USER, USER_PASSWORD = "user@console.test", "user-password-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(HERE / "project", target)
    shutil.copy(WAIT_FLOW, target / "force-app" / "main" / "default" / "flows")
    if CORPUS_FLOW.exists():
        shutil.copy(CORPUS_FLOW, target / "force-app" / "main" / "default" / "flows")
    return target


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLite unless a test asks for `postgresql` (indirect parametrization): a schema of its own there."""
    with scratch_database(getattr(request, "param", "sqlite"), "sqlite://", "ff_console") as url:
        yield url


@pytest.fixture
def settings(project_dir: Path, database_url: str) -> Settings:
    return load_settings(project_dir=project_dir, database_url=database_url)


@pytest.fixture
def org(settings: Settings) -> Iterator[Org]:
    org = Org.open(settings, auth_factory=functools.partial(build_auth_service, password_hash_cost=4))
    org.auth.ensure_dev_org(ADMIN, ADMIN_PASSWORD, "console-client", "console-secret")
    org.auth.add_user(USER, USER_PASSWORD, profile="Standard User")
    try:
        yield org
    finally:
        org.close()


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match is not None, html
    return match.group(1)


class Browser:
    """A TestClient with the console's cookies; `post_form` sends the page's CSRF token along."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def log_in(self, username: str, password: str) -> Any:
        form = self.client.get("/console/login")
        return self.client.post("/console/login", data={"csrf_token": csrf_of(form.text), "username": username,
                                                        "password": password, "next": "/console/flows"})

    def post_form(self, page: str, action: str, data: dict[str, str]) -> Any:
        token = csrf_of(self.client.get(page).text)
        return self.client.post(action, data={"csrf_token": token, **data})


def browser(settings: Settings, org: Org) -> Browser:
    return Browser(TestClient(create_app(settings, org=org), raise_server_exceptions=True))


@pytest.fixture
def admin(settings: Settings, org: Org) -> Browser:
    client = browser(settings, org)
    assert client.log_in(ADMIN, ADMIN_PASSWORD).status_code == 200
    return client


@pytest.fixture
def user(settings: Settings, org: Org) -> Browser:
    client = browser(settings, org)
    assert client.log_in(USER, USER_PASSWORD).status_code == 200
    return client

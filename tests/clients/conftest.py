"""Real clients against a real server: `flowforce serve --tls` runs as a subprocess on a free port (with its
generated CA; tests/live_server.py) on a copy of the bundled example project; each client script runs as a
subprocess; tests assert the script's output and the records it left in the project's store.

The Node clients (jsforce, the sf CLI, newman) come from `package-lock.json` in this folder (`npm ci`, which
`.ci/run` does); the npm package `node` provides Node 22 for the sf CLI (the machine's Node may be older). Those
tests skip, saying why, when node/npm or the installed packages are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from live_server import ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, ca_file, live_server

from flowforce.api.wire_values import to_wire
from flowforce.runtime.org import open_project
from flowforce.settings import BUNDLED_EXAMPLE
from flowforce.soql import run_soql

HERE = Path(__file__).resolve().parent
NODE_BIN = HERE / "node_modules" / ".bin"
VERSION = "62.0"


@dataclass
class Server:
    """A running `flowforce serve --tls` (tests/live_server.py) and what a client needs to reach it."""

    project: Path
    base_url: str
    database_url: str

    @property
    def ca_file(self) -> Path:
        return ca_file(self.project)

    @property
    def verify(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def token_response(self) -> dict[str, Any]:
        response = httpx.post(f"{self.base_url}/services/oauth2/token", verify=self.verify,
                              data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                    "client_secret": CLIENT_SECRET})
        response.raise_for_status()
        return dict(response.json())

    def token(self) -> str:
        return str(self.token_response()["access_token"])

    @property
    def org_id(self) -> str:
        return str(self.token_response()["id"]).split("/")[-2]

    def client_env(self, **extra: str) -> dict[str, str]:
        """The environment a client script gets: credentials, the instance URL and the CA to trust. The dev admin
        is trusted, so logins need no security token (FF_SECURITY_TOKEN is empty)."""
        env = {**os.environ, "FF_INSTANCE_URL": self.base_url, "FF_USERNAME": ADMIN, "FF_PASSWORD": ADMIN_PASSWORD,
               "FF_SECURITY_TOKEN": "", "FF_CLIENT_ID": CLIENT_ID, "FF_CLIENT_SECRET": CLIENT_SECRET,
               "FF_API_VERSION": VERSION, **extra}
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.pop(proxy, None)  # clients.md §3.1: jsforce would send loopback traffic through a proxy
        env["REQUESTS_CA_BUNDLE"] = env["NODE_EXTRA_CA_CERTS"] = env["SSL_CERT_FILE"] = str(self.ca_file)
        env.pop("CURL_CA_BUNDLE", None)
        return env

    def rows(self, soql: str) -> list[dict[str, Any]]:
        """Records in the store as REST renders them (read straight from the project's database)."""
        with open_project(self.project, self.database_url) as org, org.transaction() as tx:
            records = run_soql(soql, tx).records
        return [{key: value for key, value in to_wire(record, VERSION).items() if key != "attributes"}
                for record in records]

    def auth_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of flowforce's own auth tables (issued tokens are not sObjects)."""
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(sa.text(sql))]
        finally:
            engine.dispose()


def copy_example(target: Path) -> Path:
    """The bundled example plus `project/` here (an external id field on Account, an app for the web flow)."""
    shutil.copytree(BUNDLED_EXAMPLE, target, ignore=shutil.ignore_patterns(".flowforce"))
    shutil.copytree(HERE / "project", target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("clients")
    project = copy_example(folder / "project")
    database_url = f"sqlite:///{folder / 'store.db'}"
    with live_server(project, database_url, tls=True) as base:
        yield Server(project, base, database_url)


def node_tools() -> Path:
    """The folder holding node, sf, newman; skips the test (with the reason) when they are not installed."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the jsforce, sf CLI and newman tests need them")
    if not (NODE_BIN / "node").exists():
        pytest.skip(f"the Node client packages are not installed: run `npm ci` in {HERE}")
    return NODE_BIN


def node_env(server: Server, **extra: str) -> dict[str, str]:
    """The npm-provided Node 22 first on PATH; the CLI isolated in its own HOME with updates and telemetry off."""
    env = server.client_env(**extra)
    env["PATH"] = f"{NODE_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_script(command: list[str], env: Mapping[str, str], timeout: float = 300, cwd: Path = HERE
               ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command[:3])} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def json_lines(output: str) -> dict[str, Any]:
    """Scripts print one `{"step": ..., "result": ...}` line per call; later steps with the same name win."""
    steps: dict[str, Any] = {}
    for line in output.splitlines():
        if line.startswith("{") and '"step"' in line:
            entry = json.loads(line)
            steps[entry["step"]] = entry.get("result")
    return steps

"""Real clients against a real server: `flowforce serve` runs as a subprocess on a free port (HTTPS with its
generated CA where the client needs it) on a copy of the bundled example project; each client script runs as a
subprocess; tests assert the script's output and the records it left in the project's store.

The Node clients (jsforce, the sf CLI, newman) come from `package-lock.json` in this folder (`npm ci`, which
`.ci/run` does); the npm package `node` provides Node 22 for the sf CLI (the machine's Node may be older). Those
tests skip, saying why, when node/npm or the installed packages are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from flowforce.api.wire_values import to_wire
from flowforce.records.project_store import open_project_store
from flowforce.settings import BUNDLED_EXAMPLE
from flowforce.soql import run_soql

HERE = Path(__file__).resolve().parent
NODE_BIN = HERE / "node_modules" / ".bin"
VERSION = "62.0"
ADMIN, ADMIN_PASSWORD = "admin@clients.test", "Adm1n-Clients-Pw"
CLIENT_ID, CLIENT_SECRET = "3MVG9ClientsTestConsumerKey", "C1ients-Test-Secret"
SERVER_START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running `flowforce serve` and what a client needs to reach it."""

    project: Path
    base_url: str
    ca_file: Path | None
    process: subprocess.Popen[str]
    banner: dict[str, str] = field(default_factory=dict)

    @property
    def security_token(self) -> str:
        return self.banner["security token"]

    @property
    def org_id(self) -> str:
        return self.banner["org id"]

    def client_env(self, **extra: str) -> dict[str, str]:
        """The environment a client script gets: credentials, the instance URL and the CA to trust."""
        env = {**os.environ, "FF_INSTANCE_URL": self.base_url, "FF_USERNAME": ADMIN, "FF_PASSWORD": ADMIN_PASSWORD,
               "FF_SECURITY_TOKEN": self.security_token, "FF_CLIENT_ID": CLIENT_ID, "FF_CLIENT_SECRET": CLIENT_SECRET,
               "FF_API_VERSION": VERSION, **extra}
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.pop(proxy, None)  # clients.md §3.1: jsforce would send loopback traffic through a proxy
        if self.ca_file is not None:
            env["REQUESTS_CA_BUNDLE"] = env["NODE_EXTRA_CA_CERTS"] = env["SSL_CERT_FILE"] = str(self.ca_file)
            env.pop("CURL_CA_BUNDLE", None)
        return env

    def rows(self, soql: str) -> list[dict[str, Any]]:
        """Records in the store as REST renders them (read straight from the project's SQLite file)."""
        store = open_project_store(self.project)
        try:
            with store.transaction() as tx:
                records = run_soql(soql, tx).records
            return [{key: value for key, value in to_wire(record, VERSION).items() if key != "attributes"}
                    for record in records]
        finally:
            store.close()

    def auth_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of flowforce's own auth tables (issued tokens are not sObjects)."""
        store = open_project_store(self.project)
        try:
            with store.engine.connect() as conn:
                return [tuple(row) for row in conn.execute(sa.text(sql))]
        finally:
            store.close()

    def token(self) -> str:
        response = httpx.post(f"{self.base_url}/services/oauth2/token", verify=self.verify,
                              data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                    "client_secret": CLIENT_SECRET})
        response.raise_for_status()
        return str(response.json()["access_token"])

    @property
    def verify(self) -> ssl.SSLContext | bool:
        return ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file is not None else True

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


def parse_banner(lines: list[str]) -> dict[str, str]:
    """`  admin username  admin@…` lines of `flowforce serve`'s banner, plus the CA line."""
    values: dict[str, str] = {}
    for line in lines:
        if line.startswith("TLS: trust the CA "):
            values["ca"] = line.removeprefix("TLS: trust the CA ").strip()
        elif line.startswith("  ") and "  " in line.strip():
            label, _, value = line.strip().partition("  ")
            values[label.strip()] = value.strip()
    return values


def drain(process: subprocess.Popen[str]) -> None:
    """Read the server's log so a full pipe never blocks it."""
    for _ in process.stdout or ():
        pass


def start_server(project: Path, *, tls: bool) -> Server:
    port = free_port()
    env = {**os.environ, "FLOWFORCE_ADMIN_USERNAME": ADMIN, "FLOWFORCE_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "FLOWFORCE_CLIENT_ID": CLIENT_ID, "FLOWFORCE_CLIENT_SECRET": CLIENT_SECRET}
    command = [sys.executable, "-m", "flowforce.cli", "serve", str(project), "--port", str(port), "--no-access-log"]
    process = subprocess.Popen([*command, *(["--tls"] if tls else [])], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "Uvicorn running on" in line or "Application startup complete" in line:
            break
    banner = parse_banner(lines)
    if process.poll() is not None or "instance URL" not in banner:
        process.kill()
        raise RuntimeError("flowforce serve did not start:\n" + "\n".join(lines))
    ca = Path(banner["ca"]) if "ca" in banner else None
    server = Server(project, banner["instance URL"], ca, process, banner)
    threading.Thread(target=drain, args=(process,), daemon=True).start()
    for _ in range(100):
        try:
            if httpx.get(f"{server.base_url}/services/data", verify=server.verify).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"flowforce serve is not answering on {server.base_url}")


def copy_example(target: Path) -> Path:
    """The bundled example plus `project/` here (an external id field on Account, for upserts)."""
    shutil.copytree(BUNDLED_EXAMPLE, target, ignore=shutil.ignore_patterns(".flowforce"))
    shutil.copytree(HERE / "project", target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(copy_example(tmp_path_factory.mktemp("clients") / "project"), tls=True)
    yield server
    server.stop()


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

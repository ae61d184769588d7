"""`flowforce serve` as a real process on a free port, for tests that need real HTTP (concurrency, clients)."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID, CLIENT_SECRET = "live-client", "live-secret"
ADMIN, ADMIN_PASSWORD = "live@flowforce.test", "live-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ca_file(project: Path) -> Path:
    """The CA `flowforce serve --tls` generates for *project* (what clients must trust)."""
    return project / ".flowforce" / "tls" / "ca.pem"


def start_server(project: Path | None, database_url: str, *, env: Mapping[str, str] | None = None,
                 args: tuple[str, ...] = (), port: int | None = None, tls: bool = False,
                 access_log: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server (the bundled example when *project* is None); returns the process and its base URL
    once it answers. With *tls*, HTTPS with the project's generated CA (`ca_file`)."""
    port = port or free_port()
    environment = {**os.environ, "FLOWFORCE_CLIENT_ID": CLIENT_ID, "FLOWFORCE_CLIENT_SECRET": CLIENT_SECRET,
                   "FLOWFORCE_ADMIN_USERNAME": ADMIN, "FLOWFORCE_ADMIN_PASSWORD": ADMIN_PASSWORD, **(env or {})}
    command = [sys.executable, "-m", "flowforce.cli", "serve", *([str(project)] if project else []),
               "--port", str(port), "--db", database_url, *([] if access_log else ["--no-access-log"]),
               *(["--tls"] if tls else []), *args]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {process.stdout.read().decode() if process.stdout else ''}")
        try:
            verify = ssl.create_default_context(cafile=ca_file(project)) if tls and project else True
            if httpx.get(f"{base}/services/data", timeout=1, verify=verify).status_code == 200:
                return process, base
        except (httpx.TransportError, FileNotFoundError):  # the CA is written just before the server listens
            time.sleep(0.2)
    process.kill()
    pytest.fail("server did not start")


@contextmanager
def live_server(project: Path | None, database_url: str, *, env: Mapping[str, str] | None = None,
                args: tuple[str, ...] = (), tls: bool = False) -> Iterator[str]:
    """The server for the duration of a `with`: yields its base URL."""
    process, base = start_server(project, database_url, env=env, args=args, tls=tls)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def admin_client(base: str, version: str = "66.0") -> httpx.Client:
    """An httpx client with a client-credentials bearer token, based at `/services/data/vNN.0/`."""
    token = httpx.post(f"{base}/services/oauth2/token", auth=(CLIENT_ID, CLIENT_SECRET),
                       data={"grant_type": "client_credentials"}, timeout=30)
    assert token.status_code == 200, token.text
    return httpx.Client(base_url=f"{base}/services/data/v{version}/", timeout=60,
                        headers={"Authorization": f"Bearer {token.json()['access_token']}"})

"""Credentials never reach the server's output (issue 9 item 8): a token passed as `?oauth_token=` was written to
the access log, and the start-up banner echoed the admin password and client secret from the environment."""

from __future__ import annotations

from pathlib import Path

import httpx
from live_server import ADMIN_PASSWORD, CLIENT_SECRET, start_server

from flowforce.api.access_log import redact


def test_query_string_secrets_are_redacted() -> None:
    line = "/services/data/v66.0/limits?oauth_token=00Dabc!xyz&x=1&access_token=t0k3n;sid=s1d"
    assert redact(line) == "/services/data/v66.0/limits?oauth_token=REDACTED&x=1&access_token=REDACTED;sid=REDACTED"
    assert redact("/services/oauth2/token?grant_type=password&PASSWORD=pw") == \
        "/services/oauth2/token?grant_type=password&PASSWORD=REDACTED"
    assert redact("/services/data/v66.0/query?q=SELECT+Id+FROM+Account") == \
        "/services/data/v66.0/query?q=SELECT+Id+FROM+Account"


def test_a_live_server_logs_no_token_or_configured_secret(tmp_path: Path) -> None:
    process, base = start_server(None, f"sqlite:///{tmp_path / 'store.db'}", access_log=True)
    try:
        token = "00D000000000001!AQ0AQHiddenTokenValue"
        assert httpx.get(f"{base}/services/data/v66.0/limits?oauth_token={token}", timeout=10).status_code == 401
        assert httpx.get(f"{base}/services/data?access_token=another-secret-token", timeout=10).status_code == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "GET /services/data/v66.0/limits?oauth_token=REDACTED" in output, output
    for secret in (token, "another-secret-token", ADMIN_PASSWORD, CLIENT_SECRET):
        assert secret not in output, secret

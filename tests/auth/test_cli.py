"""`flowforce users …` / `flowforce apps …` through typer's CliRunner, on the project's default SQLite file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowforce.auth.web_server_flow import WebFlowSettings
from flowforce.commands.access import apps_app, open_service, users_app

runner = CliRunner()


def test_users_add_and_list(tmp_path: Path) -> None:
    added = runner.invoke(users_app, ["add", "ops@example.com", "--profile", "Standard User", "--permission-set",
                                      "Flow_Runner", "--no-flow-user", "--project", str(tmp_path)])
    assert added.exit_code == 0, added.output
    assert re.search(r"security token: \w{24}", added.output)
    assert re.search(r"password:\s+\w{16}", added.output)  # generated and printed once
    assert (tmp_path / ".flowforce" / "flowforce.db").exists()
    listed = runner.invoke(users_app, ["list", "--project", str(tmp_path)])
    assert listed.exit_code == 0
    assert "ops@example.com" in listed.output and "Standard User" in listed.output and "Flow_Runner" in listed.output


def test_users_add_duplicate_fails(tmp_path: Path) -> None:
    args = ["add", "ops@example.com", "--password", "Ops-password-1", "--project", str(tmp_path)]
    assert runner.invoke(users_app, args).exit_code == 0
    again = runner.invoke(users_app, args)
    assert again.exit_code == 1


def test_share_flow(tmp_path: Path) -> None:
    runner.invoke(users_app, ["add", "ops@example.com", "--password", "Ops-password-1", "--project", str(tmp_path)])
    shared = runner.invoke(users_app, ["share-flow", "Create_Order", "ops@example.com", "--project", str(tmp_path)])
    assert shared.exit_code == 0
    unknown = runner.invoke(users_app, ["share-flow", "X", "nobody@example.com", "--project", str(tmp_path)])
    assert unknown.exit_code == 1


def test_apps_add_and_list(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'other.db'}"
    runner.invoke(users_app, ["add", "ops@example.com", "--password", "Ops-password-1", "--db", db])
    added = runner.invoke(apps_app, ["add", "Integration", "--run-as", "ops@example.com", "--db", db])
    assert added.exit_code == 0, added.output
    client_id = re.search(r"client id:\s+(3MVG9[.\w]+)", added.output).group(1)
    assert re.search(r"client secret:\s+[0-9A-F]{64}", added.output)
    listed = runner.invoke(apps_app, ["list", "--db", db])
    assert listed.exit_code == 0
    assert "Integration" in listed.output and "ops@example.com" in listed.output
    assert client_id[:20] in listed.output.replace("\n", "").replace("│", "").replace(" ", "")


def test_apps_add_with_callback_urls_for_the_web_server_flow(tmp_path: Path) -> None:
    added = runner.invoke(apps_app, ["add", "Desktop", "--scope", "api refresh_token", "--callback-url",
                                     "http://localhost:3000/cb", "--callback-url", "myapp://done", "--public",
                                     "--project", str(tmp_path)])
    assert added.exit_code == 0, added.output
    client_id = re.search(r"client id:\s+(3MVG9[.\w]+)", added.output).group(1)
    with open_service(tmp_path, None) as service:
        assert service.web_flow.settings_for(client_id) == WebFlowSettings(
            client_id, ("http://localhost:3000/cb", "myapp://done"), require_secret=False, require_pkce=True)
        assert service.apps.get(client_id).scope == "api refresh_token"


@pytest.mark.parametrize("password, lacks", [
    ("1", "at least 8 characters and both letters and numbers"),
    ("password", "both letters and numbers"),
    ("12345678", "both letters and numbers"),
    ("ops1@example.com", "something other than the username"),
])
def test_users_add_refuses_a_weak_password(tmp_path: Path, password: str, lacks: str) -> None:
    """Issue 9 item 8: `flowforce users add --password 1` was accepted."""
    result = runner.invoke(users_app, ["add", "ops1@example.com", "--password", password, "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert f"the password must have {lacks}" in " ".join(result.output.split())
    listed = runner.invoke(users_app, ["list", "--project", str(tmp_path)])
    assert "ops1@example.com" not in listed.output

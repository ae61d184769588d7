"""Settings precedence and the serve command's start-up rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowforce.api.serve import ServeError, banner, ensure_login
from flowforce.runtime import Org
from flowforce.settings import load_settings

from .conftest import CHEAP_AUTH, open_org


def test_explicit_beats_environment_beats_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "flowforce.toml").write_text('[server]\nport = 7000\nhost = "0.0.0.0"\n[auth]\norg_name = "x"\n')
    assert load_settings(project_dir=tmp_path).port == 7000
    monkeypatch.setenv("FLOWFORCE_PORT", "7100")
    settings = load_settings(project_dir=tmp_path)
    assert (settings.port, settings.host, settings.auth) == (7100, "0.0.0.0", {"org_name": "x"})
    assert load_settings(project_dir=tmp_path, port=7200).port == 7200
    assert settings.base_url == "http://127.0.0.1:7100"


def test_default_database_lives_in_the_project(tmp_path: Path) -> None:
    settings = load_settings(project_dir=tmp_path)
    assert settings.database == f"sqlite:///{(tmp_path / '.flowforce' / 'flowforce.db').resolve()}"


def test_non_loopback_without_credentials_refuses_to_start(project_dir: Path) -> None:
    settings = load_settings(project_dir=project_dir, database_url="sqlite://", host="0.0.0.0")
    org = Org.open(settings, auth_factory=CHEAP_AUTH)
    try:
        with pytest.raises(ServeError, match=r"refusing to start on 0\.0\.0\.0"):
            ensure_login(org, settings)
    finally:
        org.close()


def test_loopback_creates_the_dev_org_from_environment(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWFORCE_ADMIN_USERNAME", "boss@example.com")
    monkeypatch.setenv("FLOWFORCE_CLIENT_ID", "my-client")
    settings = load_settings(project_dir=project_dir, database_url="sqlite://")
    org = open_org(settings)
    try:
        dev_org = ensure_login(org, settings)
        assert (dev_org.admin_username, dev_org.client_id) == ("boss@example.com", "my-client")
        text = "\n".join(banner(settings, org, dev_org))
        assert "client_id=my-client" in text and "/services/data/v66.0/actions/custom/flow" in text
        assert f"console: {settings.base_url}/console" in text.splitlines()
    finally:
        org.close()


def test_a_non_loopback_start_needs_more_than_an_old_dev_org(project_dir: Path, tmp_path: Path) -> None:
    """Issue 9 item 9: a local run creates the dev org and prints its password; a later public start must not
    open on it."""
    database = f"sqlite:///{tmp_path / 'store.db'}"
    local = load_settings(project_dir=project_dir, database_url=database)
    public = load_settings(project_dir=project_dir, database_url=database, host="0.0.0.0")
    with Org.open(local, auth_factory=CHEAP_AUTH) as org:
        dev_org = ensure_login(org, local)
        assert dev_org.admin_password and dev_org.client_secret  # generated, printed once
    with Org.open(public, auth_factory=CHEAP_AUTH) as org:
        with pytest.raises(ServeError, match=r"refusing to start on 0\.0\.0\.0"):
            ensure_login(org, public)
        org.auth.add_user("ops@example.com", "ops-password-1")
        org.auth.add_app("Integration", run_as_username="ops@example.com")
        assert ensure_login(org, public) is None


def test_the_banner_never_prints_secrets_from_the_environment(project_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9 item 8: the admin password and client secret from FLOWFORCE_* were echoed at every start."""
    monkeypatch.setenv("FLOWFORCE_ADMIN_USERNAME", "boss@example.com")
    monkeypatch.setenv("FLOWFORCE_ADMIN_PASSWORD", "env-password-77")
    monkeypatch.setenv("FLOWFORCE_CLIENT_ID", "env-client")
    monkeypatch.setenv("FLOWFORCE_CLIENT_SECRET", "env-secret-77")
    settings = load_settings(project_dir=project_dir, database_url="sqlite://")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
        text = "\n".join(banner(settings, org, ensure_login(org, settings)))
    assert "env-password-77" not in text and "env-secret-77" not in text
    assert "boss@example.com" in text and "client_id=env-client" in text
    assert "admin password  (not shown: as configured, or stored hashed)" in text


def test_the_banner_prints_generated_secrets_once(project_dir: Path) -> None:
    settings = load_settings(project_dir=project_dir, database_url="sqlite://")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
        dev_org = ensure_login(org, settings)
        text = "\n".join(banner(settings, org, dev_org))
        assert dev_org.admin_password in text and dev_org.client_secret in text
        again = "\n".join(banner(settings, org, ensure_login(org, settings)))
    assert dev_org.admin_password not in again and dev_org.client_secret not in again


def test_the_secret_key_file_is_made_once_and_private(project_dir: Path, tmp_path: Path) -> None:
    from flowforce.runtime.org import secret_key

    settings = load_settings(project_dir=tmp_path, database_url="sqlite://")
    first = secret_key(settings)
    path = tmp_path / ".flowforce" / "secret.key"
    assert path.read_text() == first and len(first) >= 48 and path.stat().st_mode & 0o777 == 0o600
    assert secret_key(settings) == first
    assert secret_key(load_settings(project_dir=tmp_path, database_url="sqlite://", secret_key="given")) == "given"

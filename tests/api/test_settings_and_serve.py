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
    finally:
        org.close()

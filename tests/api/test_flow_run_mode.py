"""A REST-invoked flow runs in the caller's user context unless its `runInMode` says system (issue 9 item 13).

Salesforce's "Flow Run Context" table: REST API launches run in user context by default (DefaultMode) — the
running user's object permissions bound Get/Create/Update/Delete Records; SystemModeWithSharing and
SystemModeWithoutSharing ignore object permissions. Flows once ignored them in every mode.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import TEST_PROJECT, Api, make_settings, open_api, token_for

FLOWS = Path("force-app") / "main" / "default" / "flows"


def with_mode(source: Path, target: Path, mode: str) -> None:
    text = source.read_text().replace("<processType>", f"<runInMode>{mode}</runInMode>\n<processType>", 1)
    target.write_text(text.replace("<label>Contact For Account</label>", f"<label>{mode}</label>"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(TEST_PROJECT, project)
    source = project / FLOWS / "Contact_For_Account.flow-meta.xml"
    with_mode(source, project / FLOWS / "Contact_System.flow-meta.xml", "SystemModeWithoutSharing")
    with_mode(source, project / FLOWS / "Contact_System_Sharing.flow-meta.xml", "SystemModeWithSharing")
    with_mode(source, project / FLOWS / "Contact_Default.flow-meta.xml", "DefaultMode")
    return project


@pytest.fixture
def admin(project: Path) -> Iterator[Api]:
    yield from open_api(make_settings(project, "sqlite://"))


def user_with(admin: Api, name: str, objects: dict[str, str]) -> Api:
    auth = admin.org.auth
    auth.configure_from({"permission_sets": {name: {"permissions": ["RunFlow"], "objects": objects}}})
    username = f"{name.lower()}@flowforce.test"
    info = auth.add_user(username, "user-password-1", profile="Minimum Access - API Only", permission_sets=[name])
    for flow in ("Contact_For_Account", "Contact_Default", "Contact_System", "Contact_System_Sharing"):
        auth.share_flow(flow, username)
    token = token_for(admin.client, grant_type="password", username=username,
                      password="user-password-1" + info.security_token)
    return Api(admin.client, token, admin.org)


def invoke(api: Api, flow: str, account: str) -> Any:
    return api.post(f"actions/custom/flow/{flow}", json={"inputs": [{"AccountId": account}]})


def contacts(admin: Api) -> int:
    return len(admin.soql("SELECT Id FROM Contact"))


@pytest.mark.parametrize("flow", ["Contact_For_Account", "Contact_Default"])
def test_user_context_needs_read_on_every_object_the_flow_reads(admin: Api, flow: str) -> None:
    account = admin.create("Account", Name="Hidden Co")
    contact_only = user_with(admin, "Contact_Desk", {"Contact": "read,create"})
    response = invoke(contact_only, flow, account)
    assert response.status_code == 400
    [result] = response.json()
    assert result["isSuccess"] is False
    message = result["errors"][0]["message"]
    assert "Error element Start_Here (FlowRecordLookup)" in message
    assert "sObject type 'Account' is not supported" in message
    assert contacts(admin) == 0


def test_user_context_needs_create_for_create_records(admin: Api) -> None:
    account = admin.create("Account", Name="Readable Co")
    reader = user_with(admin, "Reader", {"Account": "read", "Contact": "read"})
    [result] = invoke(reader, "Contact_For_Account", account).json()
    message = result["errors"][0]["message"]
    assert "Error element Create_Contact (FlowRecordCreate)" in message
    assert "INSUFFICIENT_ACCESS_OR_READONLY" in message and "insufficient access rights on object: Contact" in message
    assert contacts(admin) == 0


def test_the_users_own_permissions_suffice(admin: Api) -> None:
    account = admin.create("Account", Name="Open Co")
    clerk = user_with(admin, "Clerk", {"Account": "read", "Contact": "read,create"})
    [result] = invoke(clerk, "Contact_For_Account", account).json()
    assert result["isSuccess"] is True and contacts(admin) == 1


@pytest.mark.parametrize("flow", ["Contact_System", "Contact_System_Sharing"])
def test_system_modes_ignore_object_permissions(admin: Api, flow: str) -> None:
    account = admin.create("Account", Name="System Co")
    nothing = user_with(admin, "Nothing", {})
    [result] = invoke(nothing, flow, account).json()
    assert result["isSuccess"] is True, result
    [contact] = admin.soql("SELECT LastName, CreatedById FROM Contact")
    assert contact["LastName"] == "System Co"

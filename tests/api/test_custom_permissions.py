"""`$Permission.Name` in a flow reads the running user's custom permissions: enabled by the project's permission
sets (`permissionsets/`) or profiles (`profiles/`) the user holds, false otherwise (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.auth.permissions import PermissionSetDefinition

from .conftest import ADMIN, TEST_PROJECT, Api, make_settings, open_api

FLOW = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>60.0</apiVersion>
    <label>Permission Check</label>
    <processType>AutoLaunchedFlow</processType>
    <status>Active</status>
    <start><locationX>0</locationX><locationY>0</locationY><connector><targetReference>Set</targetReference></connector></start>
    <assignments>
        <name>Set</name><label>Set</label><locationX>0</locationX><locationY>0</locationY>
        <assignmentItems>
            <assignToReference>hasBeta</assignToReference><operator>Assign</operator>
            <value><elementReference>$Permission.Beta_Features</elementReference></value>
        </assignmentItems>
        <assignmentItems>
            <assignToReference>greeting</assignToReference><operator>Assign</operator>
            <value><elementReference>greetingFormula</elementReference></value>
        </assignmentItems>
    </assignments>
    <formulas>
        <name>greetingFormula</name><dataType>String</dataType>
        <expression>IF({!$Permission.Beta_Features}, "beta",
            IF({!$Permission.Support_Console}, "support", "none"))</expression>
    </formulas>
    <variables><name>hasBeta</name><dataType>Boolean</dataType><isCollection>false</isCollection>
        <isInput>false</isInput><isOutput>true</isOutput></variables>
    <variables><name>greeting</name><dataType>String</dataType><isCollection>false</isCollection>
        <isInput>false</isInput><isOutput>true</isOutput></variables>
</Flow>
"""

PERMISSION_SET = """<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <customPermissions><enabled>true</enabled><name>Beta_Features</name></customPermissions>
    <customPermissions><enabled>false</enabled><name>Support_Console</name></customPermissions>
    <label>Beta Testers</label>
</PermissionSet>
"""

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>false</custom>
    <customPermissions><enabled>true</enabled><name>Support_Console</name></customPermissions>
</Profile>
"""

CUSTOM_PERMISSION = """<?xml version="1.0" encoding="UTF-8"?>
<CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata">
    <isLicensed>false</isLicensed><label>{name}</label>
</CustomPermission>
"""


@pytest.fixture
def permission_api(tmp_path: Path, db_url: str) -> Iterator[Api]:
    project = tmp_path / "project"
    shutil.copytree(TEST_PROJECT, project)
    default = project / "force-app" / "main" / "default"
    (default / "flows" / "Permission_Check.flow-meta.xml").write_text(FLOW)
    for folder, name, text in (("permissionsets", "Beta_Testers.permissionset-meta.xml", PERMISSION_SET),
                               ("profiles", "Standard.profile-meta.xml", PROFILE),
                               ("customPermissions", "Beta_Features.customPermission-meta.xml",
                                CUSTOM_PERMISSION.format(name="Beta Features")),
                               ("customPermissions", "Support_Console.customPermission-meta.xml",
                                CUSTOM_PERMISSION.format(name="Support Console"))):
        (default / folder).mkdir(exist_ok=True)
        (default / folder / name).write_text(text)
    yield from open_api(make_settings(project, db_url))


def run_check(api: Api) -> dict[str, object]:
    response = api.post("actions/custom/flow/Permission_Check", json={"inputs": [{}]})
    assert response.status_code == 200, response.text
    [result] = response.json()
    assert result["isSuccess"] is True, result
    return dict(result["outputValues"])


def test_permission_is_false_until_a_permission_set_enabling_it_is_assigned(permission_api: Api) -> None:
    auth = permission_api.org.auth
    auth.define_permission_set(PermissionSetDefinition("Beta_Testers", "Beta Testers"))

    before = run_check(permission_api)
    assert (before["hasBeta"], before["greeting"]) == (False, "none")

    auth.update_user(ADMIN, permission_sets=["Beta_Testers"])
    after = run_check(permission_api)
    assert (after["hasBeta"], after["greeting"]) == (True, "beta")


def test_a_profile_enables_a_custom_permission(permission_api: Api) -> None:
    auth = permission_api.org.auth
    auth.update_user(ADMIN, profile="Standard User")
    auth.share_flow("Permission_Check", ADMIN)  # a Standard User runs only the flows shared with them
    result = run_check(permission_api)
    assert (result["hasBeta"], result["greeting"]) == (False, "support")

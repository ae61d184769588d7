"""Flow XML for the runtime tests: a counter loop that burns CPU, and flows written as a user would."""

from __future__ import annotations

from pathlib import Path

LOC = "<locationX>0</locationX><locationY>0</locationY>"


def counter_loop(label: str = "Counter Loop") -> str:
    """Count to `Times` with an Assignment and a Decision per pass: pure logic, two elements per pass."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>{label}</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>{LOC}<connector><targetReference>Step</targetReference></connector></start>
  <variables><name>Times</name><dataType>Number</dataType><isCollection>false</isCollection><isInput>true</isInput>
    <isOutput>false</isOutput><scale>0</scale></variables>
  <variables><name>Count</name><dataType>Number</dataType><isCollection>false</isCollection><isInput>false</isInput>
    <isOutput>true</isOutput><scale>0</scale><value><numberValue>0</numberValue></value></variables>
  <assignments><name>Step</name><label>Step</label>{LOC}
    <assignmentItems><assignToReference>Count</assignToReference><operator>Add</operator>
      <value><numberValue>1</numberValue></value></assignmentItems>
    <connector><targetReference>More</targetReference></connector></assignments>
  <decisions><name>More</name><label>More</label>{LOC}<defaultConnectorLabel>Done</defaultConnectorLabel>
    <rules><name>Again</name><conditionLogic>and</conditionLogic>
      <conditions><leftValueReference>Count</leftValueReference><operator>LessThan</operator>
        <rightValue><elementReference>Times</elementReference></rightValue></conditions>
      <connector><targetReference>Step</targetReference></connector><label>Again</label></rules></decisions>
</Flow>
"""


def write_project(root: Path, flows: dict[str, str]) -> Path:
    """An SFDX project folder holding *flows* (API name → XML)."""
    folder = root / "force-app" / "main" / "default" / "flows"
    folder.mkdir(parents=True)
    (root / "sfdx-project.json").write_text('{"packageDirectories":[{"path":"force-app","default":true}],'
                                            '"sourceApiVersion":"62.0"}')
    for name, xml in flows.items():
        (folder / f"{name}.flow-meta.xml").write_text(xml)
    return root


def who_am_i() -> str:
    """Outputs the running user's globals: `$User`, `$Profile`, `$UserRole`, `$Organization`."""
    outputs = {"UserName": "$User.Username", "ProfileName": "$Profile.Name", "RoleName": "$UserRole.Name",
               "OrgName": "$Organization.Name"}
    variables = "".join(
        f"<variables><name>{name}</name><dataType>String</dataType><isCollection>false</isCollection>"
        f"<isInput>false</isInput><isOutput>true</isOutput></variables>" for name in outputs)
    items = "".join(
        f"<assignmentItems><assignToReference>{name}</assignToReference><operator>Assign</operator>"
        f"<value><elementReference>{source}</elementReference></value></assignmentItems>"
        for name, source in outputs.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Who Am I</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>{LOC}<connector><targetReference>Read</targetReference></connector></start>
  {variables}
  <assignments><name>Read</name><label>Read</label>{LOC}{items}</assignments>
</Flow>
"""

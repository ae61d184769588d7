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


def _var(name: str, data_type: str = "String", *, input: bool = False, output: bool = False) -> str:
    return (f"<variables><name>{name}</name><dataType>{data_type}</dataType><isCollection>false</isCollection>"
            f"<isInput>{str(input).lower()}</isInput><isOutput>{str(output).lower()}</isOutput></variables>")


def _flow(label: str, start: str, body: str, *, process: str = "AutoLaunchedFlow", start_extra: str = "",
          status: str = "Active") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>{label}</label><processType>{process}</processType><status>{status}</status>
  <start>{LOC}<connector><targetReference>{start}</targetReference></connector>{start_extra}</start>
  {body}
</Flow>
"""


def wait_then_greet(hours: int = 1) -> str:
    """Pause `hours` after the interview starts, then greet `Name`."""
    return _flow("Greet Later", "Pause", _var("Name", input=True) + _var("Greeting", output=True) + f"""
  <waits><name>Pause</name><label>Pause</label>{LOC}<defaultConnectorLabel>Never</defaultConnectorLabel>
    <waitEvents><name>Later</name><label>Later</label><eventType>AlarmEvent</eventType>
      <conditionLogic>and</conditionLogic><connector><targetReference>Greet</targetReference></connector>
      <inputParameters><name>AlarmTime</name><value><elementReference>$Flow.InterviewStartTime</elementReference>
        </value></inputParameters>
      <inputParameters><name>TimeOffset</name><value><numberValue>{hours}</numberValue></value></inputParameters>
      <inputParameters><name>TimeOffsetUnit</name><value><stringValue>Hours</stringValue></value></inputParameters>
    </waitEvents></waits>
  <assignments><name>Greet</name><label>Greet</label>{LOC}
    <assignmentItems><assignToReference>Greeting</assignToReference><operator>Assign</operator>
      <value><stringValue>Hello {{!Name}}</stringValue></value></assignmentItems></assignments>""")


def parent_of(child: str) -> str:
    """Runs *child* as a subflow and reports its greeting, loudly."""
    return _flow("Parent", "Child", _var("Name", input=True) + _var("Said", output=True) + _var("Loud", output=True)
                 + f"""
  <subflows><name>Child</name><label>Child</label>{LOC}<flowName>{child}</flowName>
    <connector><targetReference>Shout</targetReference></connector>
    <inputAssignments><name>Name</name><value><elementReference>Name</elementReference></value></inputAssignments>
    <outputAssignments><assignToReference>Said</assignToReference><name>Greeting</name></outputAssignments>
  </subflows>
  <assignments><name>Shout</name><label>Shout</label>{LOC}
    <assignmentItems><assignToReference>Loud</assignToReference><operator>Assign</operator>
      <value><elementReference>Said</elementReference></value></assignmentItems>
    <assignmentItems><assignToReference>Loud</assignToReference><operator>Add</operator>
      <value><stringValue>!</stringValue></value></assignmentItems></assignments>""")


def create_account(label: str = "Make Account", *, start_extra: str = "") -> str:
    """Creates an Account named by the input `AccountName` and outputs its id."""
    return _flow(label, "Make", _var("AccountName", input=True) + _var("AccountId", output=True) + f"""
  <recordCreates><name>Make</name><label>Make</label>{LOC}<assignRecordIdToReference>AccountId</assignRecordIdToReference>
    <inputAssignments><field>Name</field><value><elementReference>AccountName</elementReference></value>
    </inputAssignments><object>Account</object><storeOutputAutomatically>false</storeOutputAutomatically>
  </recordCreates>""", start_extra=start_extra)


def on_demand_greeting() -> str:
    """An on-demand flow (seed 004): uses the implicit `EmailAddress` input without declaring others."""
    return _flow("On Demand", "Make", _var("EmailAddress", input=True) + f"""
  <recordCreates><name>Make</name><label>Make</label>{LOC}
    <inputAssignments><field>LastName</field><value><stringValue>Demand</stringValue></value></inputAssignments>
    <inputAssignments><field>Email</field><value><elementReference>EmailAddress</elementReference></value>
    </inputAssignments><object>Contact</object><storeOutputAutomatically>true</storeOutputAutomatically>
  </recordCreates>""", start_extra="<triggerType>OnDemandNoTrigger</triggerType>")


def failing() -> str:
    """Creates a Contact without its required LastName: the interview fails at `Make`."""
    return _flow("Failing", "Make", f"""
  <recordCreates><name>Make</name><label>Make</label>{LOC}
    <inputAssignments><field>FirstName</field><value><stringValue>No</stringValue></value></inputAssignments>
    <object>Contact</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>""")


def answer(text: str, *, status: str = "Active", label: str = "Versioned") -> str:
    """Outputs `Answer` = *text*: versions that tell which one ran."""
    return _flow(label, "Say", _var("Answer", output=True) + f"""
  <assignments><name>Say</name><label>Say</label>{LOC}
    <assignmentItems><assignToReference>Answer</assignToReference><operator>Assign</operator>
      <value><stringValue>{text}</stringValue></value></assignmentItems></assignments>""", status=status)


def slow_account(passes: int) -> str:
    """Counts to *passes* (CPU work), then creates an Account named by `AccountName`: a long-running interview."""
    return _flow("Slow Account", "Step", _var("AccountName", input=True) + f"""
  <variables><name>Count</name><dataType>Number</dataType><isCollection>false</isCollection><isInput>false</isInput>
    <isOutput>false</isOutput><scale>0</scale><value><numberValue>0</numberValue></value></variables>
  <assignments><name>Step</name><label>Step</label>{LOC}
    <assignmentItems><assignToReference>Count</assignToReference><operator>Add</operator>
      <value><numberValue>1</numberValue></value></assignmentItems>
    <connector><targetReference>More</targetReference></connector></assignments>
  <decisions><name>More</name><label>More</label>{LOC}
    <defaultConnector><targetReference>Make</targetReference></defaultConnector><defaultConnectorLabel>Done</defaultConnectorLabel>
    <rules><name>Again</name><conditionLogic>and</conditionLogic>
      <conditions><leftValueReference>Count</leftValueReference><operator>LessThan</operator>
        <rightValue><numberValue>{passes}</numberValue></rightValue></conditions>
      <connector><targetReference>Step</targetReference></connector><label>Again</label></rules></decisions>
  <recordCreates><name>Make</name><label>Make</label>{LOC}
    <inputAssignments><field>Name</field><value><elementReference>AccountName</elementReference></value>
    </inputAssignments><object>Account</object><storeOutputAutomatically>true</storeOutputAutomatically>
  </recordCreates>""")

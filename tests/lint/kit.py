"""Minimal flow files for lint tests: element snippets, a flow around them, and a lint run over the file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flowforce.lint.command import CheckOptions, lint_paths
from flowforce.lint.config import build_config
from flowforce.lint.scan import Finding, LintReport


def _connector(tag: str, target: str | None) -> str:
    return f"<{tag}><targetReference>{target}</targetReference></{tag}>" if target else ""


def assignment(name: str, target: str = "Counter", value: str = "<numberValue>1</numberValue>",
               next: str | None = None, description: str = "") -> str:
    return (f"<assignments><name>{name}</name>{description and f'<description>{description}</description>'}"
            f"<label>{name}</label><locationX>0</locationX><locationY>0</locationY>"
            f"<assignmentItems><assignToReference>{target}</assignToReference><operator>Assign</operator>"
            f"<value>{value}</value></assignmentItems>{_connector('connector', next)}</assignments>")


def get_records(name: str, object: str = "Account", next: str | None = None, fault: str | None = None,
                queried: tuple[str, ...] = (), first: bool = True) -> str:
    fields = "".join(f"<queriedFields>{field}</queriedFields>" for field in queried)
    return (f"<recordLookups><name>{name}</name><label>{name}</label><locationX>0</locationX>"
            f"<locationY>0</locationY><assignNullValuesIfNoRecordsFound>false</assignNullValuesIfNoRecordsFound>"
            f"{_connector('connector', next)}{_connector('faultConnector', fault)}"
            f"<filterLogic>and</filterLogic><filters><field>Name</field><operator>EqualTo</operator>"
            f"<value><stringValue>Acme</stringValue></value></filters>"
            f"<getFirstRecordOnly>{str(first).lower()}</getFirstRecordOnly><object>{object}</object>{fields}"
            f"<storeOutputAutomatically>true</storeOutputAutomatically></recordLookups>")


def create_task(name: str, next: str | None = None, fault: str | None = None) -> str:
    return (f"<recordCreates><name>{name}</name><label>{name}</label><locationX>0</locationX>"
            f"<locationY>0</locationY>{_connector('connector', next)}{_connector('faultConnector', fault)}"
            f"<inputAssignments><field>Subject</field><value><stringValue>Call</stringValue></value>"
            f"</inputAssignments><object>Task</object><storeOutputAutomatically>true</storeOutputAutomatically>"
            f"</recordCreates>")


def update_records(name: str, input_reference: str, next: str | None = None, fault: str | None = None) -> str:
    return (f"<recordUpdates><name>{name}</name><label>{name}</label><locationX>0</locationX>"
            f"<locationY>0</locationY>{_connector('connector', next)}{_connector('faultConnector', fault)}"
            f"<inputReference>{input_reference}</inputReference></recordUpdates>")


def loop(name: str, collection: str, next_value: str | None, no_more: str | None = None) -> str:
    return (f"<loops><name>{name}</name><label>{name}</label><locationX>0</locationX><locationY>0</locationY>"
            f"<collectionReference>{collection}</collectionReference><iterationOrder>Asc</iterationOrder>"
            f"{_connector('nextValueConnector', next_value)}{_connector('noMoreValuesConnector', no_more)}"
            f"</loops>")


def decision(name: str, outcomes: list[tuple[str, str, str, str, str | None]], default: str | None = None) -> str:
    """*outcomes*: (name, left reference, operator, right value XML, target)."""
    rules = "".join(
        f"<rules><name>{rule}</name><conditionLogic>and</conditionLogic><conditions>"
        f"<leftValueReference>{left}</leftValueReference><operator>{operator}</operator>"
        f"<rightValue>{right}</rightValue></conditions>{_connector('connector', target)}<label>{rule}</label></rules>"
        for rule, left, operator, right, target in outcomes
    )
    return (f"<decisions><name>{name}</name><label>{name}</label><locationX>0</locationX><locationY>0</locationY>"
            f"{_connector('defaultConnector', default)}<defaultConnectorLabel>Other</defaultConnectorLabel>{rules}"
            f"</decisions>")


def action(name: str, next: str | None = None, fault: str | None = None) -> str:
    return (f"<actionCalls><name>{name}</name><label>{name}</label><locationX>0</locationX>"
            f"<locationY>0</locationY><actionName>chatterPost</actionName><actionType>chatterPost</actionType>"
            f"{_connector('connector', next)}{_connector('faultConnector', fault)}"
            f"<inputParameters><name>text</name><value><stringValue>Hi</stringValue></value></inputParameters>"
            f"</actionCalls>")


def screen(name: str, next: str | None = None, allow_back: bool = True) -> str:
    return (f"<screens><name>{name}</name><label>{name}</label><locationX>0</locationX><locationY>0</locationY>"
            f"<allowBack>{str(allow_back).lower()}</allowBack><allowFinish>true</allowFinish>"
            f"<allowPause>false</allowPause>{_connector('connector', next)}<showFooter>true</showFooter>"
            f"<showHeader>true</showHeader></screens>")


def variable(name: str, data_type: str = "Number", *, collection: bool = False, is_input: bool = False,
             object_type: str | None = None, description: str = "A value the flow keeps.") -> str:
    scale = "<scale>0</scale>" if data_type == "Number" else ""
    return (f"<variables><name>{name}</name><description>{description}</description><dataType>{data_type}</dataType>"
            f"<isCollection>{str(collection).lower()}</isCollection><isInput>{str(is_input).lower()}</isInput>"
            f"<isOutput>false</isOutput>{(object_type and f'<objectType>{object_type}</objectType>') or ''}{scale}"
            f"</variables>")


def record_start(first: str | None, trigger: str = "RecordAfterSave", record_trigger: str = "Update",
                 object: str = "Account", filters: bool = False) -> str:
    entry = ("<filterLogic>and</filterLogic><filters><field>Name</field><operator>IsChanged</operator>"
             "<value><booleanValue>true</booleanValue></value></filters>") if filters else ""
    return (f"<start><locationX>0</locationX><locationY>0</locationY>{_connector('connector', first)}{entry}"
            f"<object>{object}</object><recordTriggerType>{record_trigger}</recordTriggerType>"
            f"<triggerType>{trigger}</triggerType></start>")


def canvas(mode: str) -> str:
    return (f"<processMetadataValues><name>CanvasMode</name><value><stringValue>{mode}</stringValue></value>"
            f"</processMetadataValues>")


def flow_xml(body: str, *, first: str | None = None, start: str | None = None, process_type: str = "AutoLaunchedFlow",
             status: str = "Active", description: str | None = "Reminds account owners.", api_version: str = "62.0",
             header: str = "") -> str:
    """A flow around *body*: autolaunched, Active, described, auto-layout, starting at *first* (or *start*)."""
    start_xml = start if start is not None else (
        f"<start><locationX>0</locationX><locationY>0</locationY>{_connector('connector', first)}</start>"
    )
    described = f"<description>{description}</description>" if description is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Flow xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        f"<apiVersion>{api_version}</apiVersion>{described}<label>Reminders</label>\n"
        f"{canvas('AUTO_LAYOUT_CANVAS') if 'CanvasMode' not in body else ''}"
        f"<processType>{process_type}</processType>\n{header}{body}\n{start_xml}\n<status>{status}</status>\n"
        "</Flow>\n"
    )


def write_flow(folder: Path, xml: str, name: str = "Send_Reminders") -> Path:
    path = folder / f"{name}.flow-meta.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def lint(folder: Path, xml: str, name: str = "Send_Reminders", settings: Mapping[str, Any] | None = None,
         beta: bool = True) -> LintReport:
    path = write_flow(folder, xml, name)
    config = build_config([(folder / ".flow-scanner.yml", settings or {})])
    return lint_paths([path], CheckOptions(beta=beta), config)


def findings_of(report: LintReport, rule: str) -> list[Finding]:
    return [finding for finding in report.findings if finding.rule.id == rule]


ACCOUNTS_VARIABLE = variable("Accounts", "SObject", collection=True, is_input=True, object_type="Account")

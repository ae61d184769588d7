"""The org's flows as records, queryable with SOQL (REST and Tooling): FlowDefinition (300, one per flow) and
Flow (301, one per version), with their views FlowDefinitionView and FlowVersionView whose `DurableId`s are
those ids (reference/api-surface.md §8), and FlowInterview.

They are objects of the schema, so the ordinary store, the SOQL engine and the sobjects routes serve them; the
org rewrites the rows from its flow versions whenever they change (upserted by name, so ids stay stable across
restarts). Clients and flows cannot write them: the store enforces it for every transaction but the platform's
own (system) ones; versions change through activation and deploys (runtime/versions.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flowforce.metadata.project import FlowLibrary, LoadedFlow
from flowforce.records.errors import DmlException
from flowforce.records.field_builders import boolean, number, picklist, reference, system_fields, text, textarea
from flowforce.records.limits import GovernorLimits
from flowforce.records.registry_builder import ObjectDraft, RegistryBuilder
from flowforce.records.results import SaveResult
from flowforce.records.schema import FieldSchema, SchemaRegistry
from flowforce.records.sfdx_loader import load_project
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction
from flowforce.soql import run_soql

FLOW_DEFINITION = "FlowDefinition"
FLOW_DEFINITION_VIEW = "FlowDefinitionView"
FLOW = "Flow"
FLOW_VERSION_VIEW = "FlowVersionView"
VERSION_STATUSES = ("Active", "Draft", "Obsolete", "InvalidDraft")
FLOW_INTERVIEW = "FlowInterview"
INTERVIEW_STATUSES = ("Running", "Paused", "Completed", "Error")
BUILDER = "Flow Builder"


DESCRIPTION_LENGTH = 4000


def clip(text: str | None, length: int) -> str | None:
    """Flow files carry descriptions longer than the records' field (NebulaLogger's do): keep the start."""
    return text[:length] if text is not None else None


def platform_object(name: str, label: str, key_prefix: str, fields: list[FieldSchema], *, owner: bool = False,
                    deletable: bool = False) -> ObjectDraft:
    """An object the platform writes and clients only read (and, where *deletable*, delete)."""
    draft = ObjectDraft(name=name, label=label, label_plural=f"{label}s", custom=False, key_prefix=key_prefix,
                        createable=False, updateable=False, deletable=deletable)
    for schema in system_fields(label, owner=owner) + fields:
        draft.add_field(schema)
    return draft


def flow_definition_draft() -> ObjectDraft:
    """Tooling FlowDefinition (prefix 300, api-surface.md §8): one per flow; `ActiveVersion` and
    `LatestVersion` are relationships to Flow, activation PATCHes `Metadata.activeVersionNumber`."""
    return platform_object(FLOW_DEFINITION, "Flow Definition", "300", [
        text("DeveloperName", 80, label="API Name", external_id=True, unique=True, nillable=False, name_field=True),
        text("MasterLabel", 255, label="Label"), textarea("Description", DESCRIPTION_LENGTH),
        text("FullName", 255, label="Full Name"),
        reference("ActiveVersionId", (FLOW,), "ActiveVersion", label="Active Version ID"),
        reference("LatestVersionId", (FLOW,), "LatestVersion", label="Latest Version ID"),
        text("ManageableState", 40, label="Manageable State"), text("NamespacePrefix", 15, label="Namespace Prefix"),
    ])  # fmt: skip


def flow_definition_view_draft() -> ObjectDraft:
    """One row per flow; `DurableId` is its FlowDefinition's 300 id (the view's own Id: prefix 0Fd, a flowforce
    choice — Salesforce's view rows carry placeholder ids)."""
    return platform_object(FLOW_DEFINITION_VIEW, "Flow Definition View", "0Fd", [
        text("ApiName", 80, label="API Name", external_id=True, unique=True, nillable=False, name_field=True),
        text("Label", 255), textarea("Description", DESCRIPTION_LENGTH),
        text("DurableId", 18, label="Durable ID", external_id=True),
        text("ActiveVersionId", 18, label="Active Version ID"), text("LatestVersionId", 18, label="Latest Version ID"),
        boolean("IsActive", label="Is Active"), boolean("IsOutOfDate", label="Is Out of Date"),
        boolean("IsTemplate", label="Is Template"), boolean("IsSwingFlow", label="Is Swing Flow"),
        text("ProcessType", 40, label="Process Type"), text("TriggerType", 40, label="Trigger Type"),
        text("RecordTriggerType", 40, label="Record Trigger Type"),
        text("TriggerObjectOrEventLabel", 255, label="Trigger Object or Event Label"),
        text("Builder", 80), text("ManageableState", 40, label="Manageable State"),
        text("NamespacePrefix", 15, label="Namespace Prefix"),
        text("InstalledPackageName", 255, label="Installed Package Name"),
    ])  # fmt: skip


def flow_draft() -> ObjectDraft:
    """One row per version (prefix 301): Salesforce's own fields (Definition, MasterLabel, FullName,
    VersionNumber, Status) next to seed 002's (ApiName, Label)."""
    return platform_object(FLOW, "Flow", "301", [
        text("FullName", 255, label="Full Name", external_id=True, unique=True, nillable=False),
        reference("DefinitionId", (FLOW_DEFINITION,), "Definition", label="Flow Definition ID"),
        text("ApiName", 80, label="API Name"), text("Label", 255), text("MasterLabel", 255, label="Label"),
        number("VersionNumber", 9, 0, label="Version Number"),
        picklist("Status", VERSION_STATUSES), textarea("Description", DESCRIPTION_LENGTH),
        text("ProcessType", 40, label="Process Type"), number("ApiVersion", 18, 1, label="API Version"),
        text("RunInMode", 40, label="Run In Mode"), boolean("IsTemplate", label="Is Template"),
        text("ManageableState", 40, label="Manageable State"),
    ])  # fmt: skip


def flow_version_view_draft() -> ObjectDraft:
    """One row per version; `DurableId` is the version's Flow (301) id (prefix 0Fv: a flowforce choice)."""
    return platform_object(FLOW_VERSION_VIEW, "Flow Version View", "0Fv", [
        text("DurableId", 18, label="Durable ID", external_id=True, unique=True, nillable=False),
        reference("FlowDefinitionViewId", (FLOW_DEFINITION_VIEW,), "FlowDefinitionView",
                  label="Flow Definition View ID"),
        text("Label", 255), textarea("Description", DESCRIPTION_LENGTH),
        text("ProcessType", 40, label="Process Type"), picklist("Status", VERSION_STATUSES),
        number("VersionNumber", 9, 0, label="Version Number"), number("ApiVersion", 18, 1, label="API Version"),
        number("ApiVersionRuntime", 18, 1, label="API Version Runtime"), text("RunInMode", 40, label="Run In Mode"),
        boolean("IsTemplate", label="Is Template"),
    ])  # fmt: skip


def flow_interview_draft() -> ObjectDraft:
    """reference/api-surface.md §8 FlowInterview (prefix 0Fo, confirmations.md §9a: UNCONFIRMED); `HasFinished`
    is seed 002's; `InterviewStatus` takes Salesforce's values (Running, Paused, Completed, Error)."""
    return platform_object("FlowInterview", "Flow Interview", "0Fo", [
        text("Name", 255, name_field=True), text("Guid", 80, label="Interview GUID", external_id=True),
        text("InterviewLabel", 255, label="Interview Label"),
        picklist("InterviewStatus", INTERVIEW_STATUSES, label="Interview Status"),
        text("CurrentElement", 255, label="Current Element"), text("PauseLabel", 255, label="Pause Label"),
        textarea("Error", 32000), text("FlowVersionViewId", 18, label="Flow Version View ID"),
        boolean("HasFinished", label="Has Finished"), boolean("WasPausedFromScreen", label="Was Paused From Screen"),
    ], owner=True, deletable=True)  # fmt: skip


def build_registry(project_dir: Path, deployed: Path | None = None) -> SchemaRegistry:
    """The project's schema (SchemaRegistry.load), then what deploys added (a folder of the same layout,
    runtime/deploy_schema.py), plus the flow objects."""
    builder = RegistryBuilder()
    load_project(project_dir, builder)
    if deployed is not None:
        load_project(deployed, builder)
    for draft in (flow_definition_draft(), flow_definition_view_draft(), flow_draft(), flow_version_view_draft(),
                  flow_interview_draft()):
        builder.add_object(draft)
    return builder.build()


def _version_row(item: LoadedFlow) -> dict[str, Any]:
    flow = item.flow
    return {
        "FullName": f"{flow.api_name}-{flow.version}", "ApiName": flow.api_name, "Label": flow.label,
        "MasterLabel": flow.label, "VersionNumber": flow.version, "Status": item.effective_status,
        "Description": clip(flow.description, DESCRIPTION_LENGTH), "ProcessType": flow.process_type,
        "ApiVersion": flow.api_version, "RunInMode": flow.run_in_mode or "DefaultMode", "IsTemplate": False,
        "ManageableState": "unmanaged",
    }  # fmt: skip


def _definition_view_row(name: str, latest: LoadedFlow, active: LoadedFlow | None) -> dict[str, Any]:
    flow = latest.flow
    start = flow.start
    return {
        "ApiName": name, "Label": flow.label, "Description": clip(flow.description, DESCRIPTION_LENGTH),
        "IsActive": active is not None, "IsOutOfDate": active is not None and active is not latest,
        "IsTemplate": False, "IsSwingFlow": False, "ProcessType": flow.process_type,
        "TriggerType": flow.trigger_type, "RecordTriggerType": start.record_trigger_type if start else None,
        "TriggerObjectOrEventLabel": start.object if start else None, "Builder": BUILDER,
        "ManageableState": "unmanaged",
    }  # fmt: skip


def sync_flow_records(store: RecordStore, library: FlowLibrary) -> None:
    """Make the FlowDefinition / FlowDefinitionView / Flow / FlowVersionView rows match the library.

    One system transaction, a fixed number of DML statements whatever the number of flows, and no governor
    limits: this is the platform's bookkeeping, not a user's Apex transaction (a 500-flow project must start).
    """
    names = library.names()
    with store.transaction(limits=GovernorLimits.unlimited(), system=True) as tx:
        definitions = _saved_ids(tx.upsert(FLOW_DEFINITION, "DeveloperName", [{
            "DeveloperName": name, "FullName": name, "MasterLabel": library.versions(name)[-1].flow.label,
            "Description": clip(library.versions(name)[-1].flow.description, DESCRIPTION_LENGTH),
            "ManageableState": "unmanaged"} for name in names]))
        rows, owners = [], []
        for name, definition_id in zip(names, definitions):
            for item in library.versions(name):
                rows.append({**_version_row(item), "DefinitionId": definition_id})
                owners.append((name, item.flow.version))
        version_ids = dict(zip(owners, _saved_ids(tx.upsert(FLOW, "FullName", rows))))
        pointers, views = [], []
        for name, definition_id in zip(names, definitions):
            latest, active = library.versions(name)[-1], library.active(name)
            ids = {"LatestVersionId": version_ids[(name, latest.flow.version)],
                   "ActiveVersionId": version_ids[(name, active.flow.version)] if active is not None else None}
            pointers.append({"Id": definition_id, **ids})
            views.append({**_definition_view_row(name, latest, active), "DurableId": definition_id, **ids})
        if pointers:
            _saved_ids(tx.update(FLOW_DEFINITION, pointers))
        view_ids = dict(zip(names, _saved_ids(tx.upsert(FLOW_DEFINITION_VIEW, "ApiName", views))))
        _saved_ids(tx.upsert(FLOW_VERSION_VIEW, "DurableId", [{
            "DurableId": version_ids[(name, version)], "FlowDefinitionViewId": view_ids[name],
            **_version_view_row(library.get(name, version))} for name, version in owners]))
        _delete_stale(tx, set(definitions), set(version_ids.values()))


def _version_view_row(item: LoadedFlow | None) -> dict[str, Any]:
    assert item is not None
    flow = item.flow
    return {"Label": flow.label, "Description": clip(flow.description, DESCRIPTION_LENGTH),
            "ProcessType": flow.process_type, "Status": item.effective_status, "VersionNumber": flow.version,
            "ApiVersion": flow.api_version, "ApiVersionRuntime": flow.api_version,
            "RunInMode": flow.run_in_mode or "DefaultMode", "IsTemplate": False}


def _saved_ids(results: list[SaveResult]) -> list[str]:
    """Ids of a system write, which cannot fail unless the project itself is inconsistent."""
    failed = next((result for result in results if not result.success), None)
    if failed is not None:
        raise DmlException(failed.errors[0])
    return [str(result.id) for result in results]


def _delete_stale(tx: Transaction, definitions: set[str], versions: set[str]) -> None:
    """Rows of flows and versions the library no longer has (the views follow their durable ids)."""
    def stale(soql: str, keep: set[str], key: str = "Id") -> list[str]:
        return [str(record.id) for record in run_soql(soql, tx).records if str(record[key]) not in keep]

    for name, ids in ((FLOW_VERSION_VIEW, stale(f"SELECT Id, DurableId FROM {FLOW_VERSION_VIEW}", versions,
                                                 "DurableId")),
                      (FLOW_DEFINITION_VIEW, stale(f"SELECT Id, DurableId FROM {FLOW_DEFINITION_VIEW}", definitions,
                                                   "DurableId")),
                      (FLOW, stale(f"SELECT Id FROM {FLOW}", versions)),
                      (FLOW_DEFINITION, stale(f"SELECT Id FROM {FLOW_DEFINITION}", definitions))):
        if ids:
            tx.delete(name, ids)

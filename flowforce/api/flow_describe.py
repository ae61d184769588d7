"""Which flows are invocable actions, and the describe body of one (`GET actions/custom/flow/NAME`).

reference/api-surface.md §1.2–1.3 with confirmations.md §1 and §4: only autolaunched flows without a trigger
are actions (screen flows, record-, schedule- and event-triggered flows are not); the list shows active ones,
while describe and invoke use the active version or, without one, the latest (§4a). Parameter types follow
confirmations.md §1a (an emulation choice), collections have `maxOccurs` 2000, flow inputs are never required,
Apex-defined variables describe as `"type": null` plus `apexClass` (§1c).
"""

from __future__ import annotations

from typing import Any

from flowforce.api.errors import NotFound
from flowforce.metadata.model import Flow, Variable
from flowforce.metadata.project import FlowLibrary, LoadedFlow

INVOCABLE_PROCESS_TYPES = frozenset({"AutoLaunchedFlow", "InvocableProcess"})
COLLECTION_MAX_OCCURS = 2000
PARAMETER_TYPES = {
    "String": "STRING", "Boolean": "BOOLEAN", "Number": "DOUBLE", "Currency": "CURRENCY", "Date": "DATE",
    "DateTime": "DATETIME", "Time": "TIME", "Picklist": "PICKLIST", "Multipicklist": "MULTIPICKLIST",
    "SObject": "SOBJECT", "Apex": None,
}  # fmt: skip
# reference/api-surface.md §1.3: Flow__InterviewStatus is a picklist of these values.
INTERVIEW_STATUSES = ("Created", "Started", "Finished", "Error", "Waiting")


def is_invocable(flow: Flow) -> bool:
    """Autolaunched flows without a trigger, and on-demand flows (whose purpose is to be started over REST)."""
    if flow.on_demand:
        return not flow.non_runnable_nodes
    return flow.process_type in INVOCABLE_PROCESS_TYPES and flow.trigger_type is None and flow.runnable_headless


def invocable_version(library: FlowLibrary, name: str) -> LoadedFlow:
    """The version an invocation runs; NOT_FOUND for unknown names and for flows that are not actions."""
    loaded = library.runnable_version(name)
    if loaded is None or not is_invocable(loaded.flow):
        raise NotFound()
    return loaded


def listed_flows(library: FlowLibrary) -> list[Flow]:
    """The active invocable flows, by name."""
    active = (library.active(name) for name in library.names())
    return [item.flow for item in active if item is not None and is_invocable(item.flow)]


def action_url(version: str, name: str) -> str:
    return f"/services/data/v{version}/actions/custom/flow/{name}"


def list_entry(flow: Flow, version: str) -> dict[str, Any]:
    return {"label": flow.label, "name": flow.api_name, "type": "FLOW", "url": action_url(version, flow.api_name)}


def _parameter(variable: Variable) -> dict[str, Any]:
    return {
        "apexClass": variable.apex_class if variable.data_type == "Apex" else None,
        "description": variable.description,
        "label": variable.name,
        "maxOccurs": COLLECTION_MAX_OCCURS if variable.is_collection else 1,
        "name": variable.name,
        "picklistValues": None,
        "sobjectType": variable.object_type if variable.data_type == "SObject" else None,
        "type": PARAMETER_TYPES.get(variable.data_type, "STRING"),
    }


def input_parameter(variable: Variable) -> dict[str, Any]:
    entry = _parameter(variable)
    entry["byteLength"] = 0
    entry["required"] = False
    return dict(sorted(entry.items()))


#: Seed 004's descriptions of the inputs every on-demand flow accepts; "Required? Yes" for IndividualId (the
#: describe says so; as for every flow input, flowforce does not refuse a call without it).
ON_DEMAND_DESCRIPTIONS = {
    "EmailAddress": ("The contact point email address for the individual.", False),
    "IndividualId": ("The ID for the individual DMO.", True),
    "TelephoneNumber": ("The contact point phone number for the individual.", False),
}


def implicit_inputs(flow: Flow) -> list[dict[str, Any]]:
    declared = {variable.name.lower() for variable in flow.inputs}
    entries = []
    for name in flow.implicit_inputs:
        if name.lower() in declared:
            continue
        description, required = ON_DEMAND_DESCRIPTIONS.get(name, (None, False))
        entries.append(dict(sorted({
            "apexClass": None, "byteLength": 0, "description": description, "label": name, "maxOccurs": 1,
            "name": name, "picklistValues": None, "required": required, "sobjectType": None, "type": "STRING",
        }.items())))
    return entries


def system_outputs() -> list[dict[str, Any]]:
    """The two outputs every flow action has (labels and descriptions UNCONFIRMED)."""
    statuses = [{"active": True, "defaultValue": False, "label": value, "validFor": None, "value": value}
                for value in INTERVIEW_STATUSES]
    common = {"apexClass": None, "maxOccurs": 1, "sobjectType": None}
    return [
        {**common, "description": "The GUID of the flow interview", "label": "Flow__InterviewGuid",
         "name": "Flow__InterviewGuid", "picklistValues": None, "type": "STRING"},
        {**common, "description": "The status of the flow interview", "label": "Flow__InterviewStatus",
         "name": "Flow__InterviewStatus", "picklistValues": statuses, "type": "PICKLIST"},
    ]


def describe(flow: Flow) -> dict[str, Any]:
    """Keys in alphabetical order, as Salesforce's pretty JSON prints them (api-surface.md §1.3)."""
    return {
        "allowsTransactionControl": False,
        "apexClass": None,
        "category": None,
        "configurationEditor": None,
        "description": flow.description,
        "durableId": flow.api_name,
        "iconName": None,
        "iconUrl": None,
        "inputs": [input_parameter(variable) for variable in flow.inputs] + implicit_inputs(flow),
        "isStandard": False,
        "label": flow.label,
        "name": flow.api_name,
        "outputs": [_parameter(variable) for variable in flow.outputs] + system_outputs(),
        "standard": False,
        "targetEntityName": None,
        "type": "FLOW",
    }

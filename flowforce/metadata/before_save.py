"""What a before-save flow may contain: Salesforce's "fast field updates" flows run before the record is saved,
so they can only read and change `$Record` — Assignment, Decision, Get Records, Loop, Update Records of
`$Record`, Custom Error and the collection/formula elements. No other DML, actions, subflows, waits or
rollbacks (Flow Builder refuses to save one). Checked at load (validation) and refused at run (triggers).
UNCONFIRMED: that Transform is allowed there (it only computes values).
"""

from __future__ import annotations

from flowforce.metadata import model

BEFORE_SAVE = "RecordBeforeSave"
ALLOWED: tuple[type[model.Node], ...] = (
    model.Assignment, model.Decision, model.Loop, model.RecordLookup, model.CustomError,
    model.CollectionProcessor, model.Transform,
)


def allowed_before_save(node: model.Node) -> bool:
    if isinstance(node, model.RecordUpdate):
        return (node.input_reference or "").strip().lower() == "$record"
    return isinstance(node, ALLOWED)


def forbidden_before_save(flow: model.Flow) -> list[model.Node]:
    """The elements of a before-save flow Salesforce does not allow there (none for other flows)."""
    if flow.start is None or flow.start.trigger_type != BEFORE_SAVE:
        return []
    return [node for node in flow.nodes.values() if not allowed_before_save(node)]


def before_save_message(node: model.Node) -> str:
    what = "Update Records of a record other than $Record" if isinstance(node, model.RecordUpdate) \
        else f"a {node.TAG} element"
    return (f"a before-save flow cannot contain {what}; Salesforce allows only Assignment, Decision, "
            "Get Records, Loop, Update Records of $Record, Custom Error and collection elements there — "
            "use an after-save flow")

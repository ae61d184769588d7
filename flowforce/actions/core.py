"""Salesforce's core actions that write records or notify: chatterPost (a FeedItem), quick actions that create
or update a record or log a call, custom notifications (kept in the outbox), session permission sets,
verification codes.

They write through the flow's transaction (`context.records`), so their DML counts against its limits, rolls
back with it, and — the call having used the records — is redone rather than replayed on a bulk retry.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any

from flowforce.actions.base import Action, ActionError, each_request, parameter, text_input, text_list
from flowforce.actions.messages import post
from flowforce.actions.registry import ActionRegistry, ActionResult
from flowforce.engine.action_context import ActionContext
from flowforce.records.ids import is_id, key_prefix_of
from flowforce.records.results import first_error
from flowforce.records.schema import ObjectSchema
from flowforce.soql.parser import parse_soql

CONTEXT_ID = "contextId"


def object_of(context: ActionContext, name: str, action: str) -> ObjectSchema:
    registry = context.records.registry
    if not registry.has(name):
        raise ActionError(f"The quick action {action} works on {name}, which this project does not define.")
    return registry.get(name)


def object_of_id(context: ActionContext, record_id: str) -> ObjectSchema | None:
    return context.records.registry.by_key_prefix(key_prefix_of(record_id)) if is_id(record_id) else None


def save(context: ActionContext, verb: str, object_name: str, values: Mapping[str, Any]) -> str:
    """One record created or updated through the flow's transaction; its id, or the DML error as the fault."""
    write = context.records.insert if verb == "create" else context.records.update
    results = write(object_name, [dict(values)], ignore_readonly=True)
    failed = first_error(results)
    if failed is not None:
        raise ActionError(f"This error occurred when the flow tried to {verb} records: {failed.status_code}: "
                          f"{failed.message}.")
    return str(results[0].id)


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def first_id(context: ActionContext, soql: str) -> str | None:
    rows, _ = context.records.query(parse_soql(soql))
    return str(rows[0]["Id"]) if rows else None


# -------------------------------------------------------------------------------------------- chatterPost


def feed_parent(context: ActionContext, subject: str, kind: str) -> str:
    """`subjectNameOrId`: a record id, or a user's username (`type` User) or a group's name (`type` Group)."""
    if is_id(subject):
        return subject
    registry = context.records.registry
    found = None
    if kind.lower() != "group":
        found = first_id(context, f"SELECT Id FROM User WHERE Username = '{escape(subject)}'")
    if found is None and kind.lower() != "user" and registry.has("Group"):
        found = first_id(context, f"SELECT Id FROM Group WHERE Name = '{escape(subject)}'")
    if found is None:
        raise ActionError(f"subjectNameOrId {subject!r} is not a record id, a username or a group name.")
    return found


def post_to_chatter(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
    parent = feed_parent(context, text_input(request, "subjectNameOrId"), text_input(request, "type"))
    body = str(request.get("text") or "")
    feed_id = save(context, "create", "FeedItem", {"ParentId": parent, "Body": body, "Type": "TextPost",
                                                   "Visibility": text_input(request, "visibility") or "AllUsers"})
    return {"feedItemId": feed_id}


CHATTER_POST = Action(
    "chatterPost", "chatterPost", "Post to Chatter", each_request(post_to_chatter),
    inputs=(parameter("text", required=True), parameter("subjectNameOrId", required=True), parameter("type"),
            parameter("visibility")),
    outputs=(parameter("feedItemId", "Reference"),),
    description="Post a message to a record's, user's or group's feed (a FeedItem record).",
)


# ------------------------------------------------------------------------------------------- quickAction

LOG_A_CALL = re.compile(r"^(?:.*\.)?LogA?Call$", re.IGNORECASE)
CREATE = re.compile(r"^(?:New|Create)(?P<target>[A-Za-z0-9_]+?)(?:From[A-Za-z0-9_]+)?$")
UPDATE = re.compile(r"^(?:Edit|Update)", re.IGNORECASE)


def linked(context: ActionContext, target: ObjectSchema, context_id: str) -> dict[str, Any]:
    """The context record as the new record's parent: WhoId/WhatId on activities, else the first reference
    field of *target* that points at the context record's object."""
    if not context_id:
        return {}
    parent = object_of_id(context, context_id)
    if parent is None:
        return {}
    if target.name in ("Task", "Event") and parent.name == "User":
        return {"OwnerId": context_id}
    field = next((f for f in target.fields.values() if parent.name in f.reference_to and f.createable
                  and f.name != "OwnerId"), None)
    return {field.name: context_id} if field is not None else {}


def quick_action(name: str) -> Action | None:
    """`NewCase`, `LogACall`, `Account.NewContact`, `FeedItem.NewTaskFromFeedItem`, `Task.EditDescription`…"""
    owner, _, short = name.rpartition(".")
    if LOG_A_CALL.match(name):
        verb, target = "log", "Task"
    elif (created := CREATE.match(short)) is not None:
        verb, target = "create", created["target"]
    elif owner and UPDATE.match(short):
        verb, target = "update", owner
    else:
        return None

    def run(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
        obj = object_of(context, target, name)
        context_id = text_input(request, CONTEXT_ID)
        fields = {key: value for key, value in request.items() if key != CONTEXT_ID}
        if verb == "update":
            if not context_id:
                raise ActionError(f"Missing required input parameter: {CONTEXT_ID}")
            save(context, "update", obj.name, {**fields, "Id": context_id})
            return {"contextId": context_id}
        if verb == "log":
            fields = {"Subject": "Call", "Status": "Completed", "TaskSubtype": "Call", **fields}
        record_id = save(context, "create", obj.name, {**linked(context, obj, context_id), **fields})
        return {"contextId": context_id or None, "recordId": record_id}

    return Action("quickAction", name, name, each_request(run), inputs=(parameter(CONTEXT_ID, "Reference"),),
                  outputs=(parameter("recordId", "Reference"), parameter(CONTEXT_ID, "Reference")),
                  description=f"Quick action {name}: {verb} a {target} record with the given field values.")


# ------------------------------------------------------------------------------- customNotificationAction


def notify(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
    recipients = text_list(request.get("recipientIds"))
    if not recipients:
        raise ActionError("Missing required input parameter: recipientIds")
    context.effect(position, post("notification", {
        "to": recipients, "subject": text_input(request, "title"), "body": str(request.get("body") or ""),
        "type": text_input(request, "customNotifTypeId") or text_input(request, "customNotifTypeName"),
        "target": text_input(request, "targetId") or text_input(request, "targetPageRef") or None,
        "sender": text_input(request, "senderId") or str(context.user.get("Id") or ""),
        "source": "customNotificationAction"}))
    return {}


CUSTOM_NOTIFICATION = Action(
    "customNotificationAction", "customNotificationAction", "Send Custom Notification", each_request(notify),
    inputs=(parameter("customNotifTypeId", required=True), parameter("recipientIds", required=True,
                                                                     collection=True),
            parameter("title", required=True), parameter("body", required=True), parameter("targetId"),
            parameter("targetPageRef"), parameter("senderId")),
    description="A custom notification, kept in the outbox (channel notification) after the transaction commits.",
)


# --------------------------------------------------------------------------------- activateSessionPermSet


def activate_session_permission_set(position: int, request: Mapping[str, Any], context: ActionContext
                                    ) -> ActionResult:
    """A headless run has no session to activate it in; the permission set must exist, as Salesforce checks."""
    name = text_input(request, "PermSetName")
    if context.records.registry.has("PermissionSet") and \
            first_id(context, f"SELECT Id FROM PermissionSet WHERE Name = '{escape(name)}'") is None:
        raise ActionError(f"The permission set {name} doesn't exist.")
    return {}


ACTIVATE_SESSION_PERM_SET = Action(
    "activateSessionPermSet", "activateSessionPermSet", "Activate Session-Based Permission Set",
    each_request(activate_session_permission_set), inputs=(parameter("PermSetName", required=True),),
    description="Checks the session-based permission set exists (flowforce runs have no session to activate it in).",
)


# -------------------------------------------------------------------------------- generateVerificationCode


def verification_code(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
    """A one-time numeric code (UNCONFIRMED shape: input `length`, default 6, 4–10; output `verificationCode`).
    A bulk retry replays the journaled code instead of drawing a new one."""
    raw = request.get("length")
    length = 6 if raw in (None, "") else int(raw)
    if not 4 <= length <= 10:
        raise ActionError(f"length must be from 4 to 10, not {length}")
    return {"verificationCode": "".join(secrets.choice("0123456789") for _ in range(length))}


GENERATE_VERIFICATION_CODE = Action(
    "generateVerificationCode", "generateVerificationCode", "Generate Verification Code",
    each_request(verification_code), inputs=(parameter("length", "Number"),),
    outputs=(parameter("verificationCode"),), description="A random numeric one-time code.",
)


def register_core_actions(registry: ActionRegistry) -> None:
    for action in (CHATTER_POST, CUSTOM_NOTIFICATION, ACTIVATE_SESSION_PERM_SET, GENERATE_VERIFICATION_CODE):
        registry.register(action)
    registry.register_type("quickAction", quick_action)

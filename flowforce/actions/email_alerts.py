"""`emailAlert` actions: the project's workflow email alerts (`workflows/<Object>.workflow-meta.xml`, `<alerts>`)
with their classic email templates (`email/<folder>/<Name>.email` + `.email-meta.xml`), called from flows as
`actionName=<Object>.<AlertName>` with the record in `SObjectRowId`. The mail goes through the outbox like
emailSimple's. Recipient types emulated: owner, creator, user (a username), email and contactLookup (a field of
the record), plus `ccEmails`; the others fault naming the type."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flowforce.actions.base import Action, ActionError, each_request, parameter, text_input
from flowforce.actions.core import escape, first_id
from flowforce.actions.messages import email_of, post, valid_addresses
from flowforce.actions.registry import ActionRegistry, ActionResult
from flowforce.engine.action_context import ActionContext
from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.soql.parser import parse_soql

NS = "{http://soap.sforce.com/2006/04/metadata}"
MERGE_FIELD = re.compile(r"\{!\s*([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\s*\}")


@dataclass(frozen=True)
class Alert:
    object_name: str
    name: str
    recipients: tuple[tuple[str, str], ...]  # (type, recipient or field)
    cc: tuple[str, ...]
    sender_type: str
    sender_address: str
    template: str


def texts(node: Any, tag: str) -> list[str]:
    return [(child.text or "").strip() for child in node.findall(f"{NS}{tag}")]


def text(node: Any, tag: str) -> str:
    found = texts(node, tag)
    return found[0] if found else ""


def find_alert(project_dir: Path | None, object_name: str, alert_name: str) -> Alert:
    where = f"workflows/{object_name}.workflow-meta.xml"
    files = sorted(project_dir.rglob(where)) if project_dir is not None else []
    for path in files:
        try:
            root = parse_xml(path.read_bytes())
        except (OSError, UnsafeXmlError) as error:
            raise ActionError(f"{path}: {error}") from None
        for node in root.findall(f"{NS}alerts"):
            if text(node, "fullName").lower() == alert_name.lower():
                recipients = tuple((text(r, "type"), text(r, "recipient") or text(r, "field"))
                                   for r in node.findall(f"{NS}recipients"))
                return Alert(object_name, alert_name, recipients, tuple(texts(node, "ccEmails")),
                             text(node, "senderType"), text(node, "senderAddress"), text(node, "template"))
    raise ActionError(f"The email alert {object_name}.{alert_name} isn't defined in this project: add it to "
                      f"<alerts> in force-app/main/default/{where}.")


def load_template(project_dir: Path | None, template: str) -> tuple[str, str, bool]:
    """(subject, body, is HTML) of `folder/Name`."""
    folder, _, name = template.rpartition("/")
    found = sorted(project_dir.rglob(f"email/{folder}/{name}.email")) if project_dir is not None and name else []
    if not found:
        raise ActionError(f"The email template {template} isn't in this project: add "
                          f"force-app/main/default/email/{folder}/{name}.email and its .email-meta.xml.")
    body = found[0].read_text(encoding="utf-8")
    meta_path = found[0].with_name(f"{name}.email-meta.xml")
    subject, kind = "", "text"
    if meta_path.is_file():
        meta = parse_xml(meta_path.read_bytes())
        subject, kind = text(meta, "subject"), text(meta, "type") or "text"
    return subject, body, kind.lower() in ("html", "custom")


def record_values(context: ActionContext, alert: Alert, record_id: str, wanted: set[str]) -> dict[str, Any]:
    obj = context.records.registry.get(alert.object_name)
    fields = sorted({"Id", *(name for name in wanted if obj.has_field(name))}, key=str.lower)
    rows, _ = context.records.query(parse_soql(
        f"SELECT {', '.join(fields)} FROM {obj.name} WHERE Id = '{escape(record_id)}'"))
    if not rows:
        raise ActionError(f"SObjectRowId {record_id} is not a {alert.object_name} record.")
    return {name.lower(): value for name, value in rows[0].items()}


def merge(template: str, object_name: str, values: Mapping[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        if match[1].lower() != object_name.lower():
            return ""
        found = values.get(match[2].lower())
        return "" if found is None else str(found)

    return MERGE_FIELD.sub(value, template)


def recipient_addresses(context: ActionContext, alert: Alert, values: Mapping[str, Any]) -> list[str]:
    found: list[str | None] = []
    for kind, target in alert.recipients:
        match kind.lower():
            case "owner":
                found.append(email_of(context, "User", values.get("ownerid")))
            case "creator":
                found.append(email_of(context, "User", values.get("createdbyid")))
            case "user":
                user = first_id(context, f"SELECT Id FROM User WHERE Username = '{escape(target)}'")
                found.append(email_of(context, "User", user))
            case "email":
                found.append(str(values.get(target.lower()) or "") or None)
            case "contactlookup":
                found.append(email_of(context, "Contact", values.get(target.lower())))
            case _:
                raise ActionError(f"The email alert {alert.object_name}.{alert.name} sends to recipients of type "
                                  f"{kind}, which flowforce does not emulate.")
    return [address for address in found if address]


def alert_action(project_dir: Path | None, name: str) -> Action | None:
    object_name, _, alert_name = name.partition(".")
    if not alert_name:
        return None

    def send(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
        alert = find_alert(project_dir, object_name, alert_name)
        record_id = text_input(request, "SObjectRowId")
        if not record_id:
            raise ActionError("Missing required input parameter: SObjectRowId")
        subject, body, html = load_template(project_dir, alert.template)
        wanted = {m[2] for m in MERGE_FIELD.finditer(subject + body) if m[1].lower() == object_name.lower()}
        wanted |= {target for kind, target in alert.recipients if kind.lower() in ("email", "contactlookup")}
        wanted |= {"OwnerId", "CreatedById"}
        values = record_values(context, alert, record_id, wanted)
        to = recipient_addresses(context, alert, values)
        if not to and not alert.cc:
            raise ActionError(f"The email alert {name} found no recipient with an email address.")
        sender = alert.sender_address if alert.sender_type.lower() == "orgwideemailaddress" else None
        context.effect(position, post("email", {
            "to": valid_addresses(to), "cc": valid_addresses(list(alert.cc)), "bcc": [],
            "subject": merge(subject, object_name, values), "body": merge(body, object_name, values), "html": html,
            "from": sender or None, "from_name": None, "related_record_id": record_id, "source": name}))
        return {}

    return Action("emailAlert", name, name, each_request(send), inputs=(parameter("SObjectRowId", required=True),),
                  description=f"The workflow email alert {name}, sent through the outbox.")


def register_email_alerts(registry: ActionRegistry, project_dir: Path | None) -> None:
    registry.register_type("emailAlert", lambda name: alert_action(project_dir, name))

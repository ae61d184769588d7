"""Actions that send messages: `emailSimple` and SMS. Each request's message is put in the org's outbox as an
effect (engine/action_context.py): written in the flow's transaction, delivered after it commits, gone when it
rolls back, and applied once more — not sent twice — when a bulk retry replays the request."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flowforce.actions.base import Action, ActionError, each_request, parameter, text_input, text_list
from flowforce.actions.registry import ActionResult
from flowforce.engine.action_context import ActionContext, Effect
from flowforce.engine.ports import RecordGateway
from flowforce.records.ids import is_id, key_prefix_of
from flowforce.records.validation import is_email_address
from flowforce.soql.parser import parse_soql

E164_PATTERN = re.compile(r"^\+[1-9]\d{1,14}$")
TRUE_TEXT = ("true", "1", "yes")
#: The SMS action's type and name (reference/flow-metadata.md §5.9 lists `sendSmsMessage`; its inputs are
#: UNCONFIRMED, so the common spellings of the number and the text are all accepted).
SMS_ACTION = "sendSmsMessage"
SMS_NUMBER_INPUTS = ("phoneNumber", "recipientPhoneNumber", "recipientPhone", "to", "TelephoneNumber")
SMS_TEXT_INPUTS = ("message", "messageBody", "body", "text")


def post(channel: str, message: Mapping[str, Any]) -> Effect:
    """The effect that puts *message* in the outbox of the transaction it is applied in."""

    def apply(gateway: RecordGateway | None) -> None:
        if gateway is None:
            raise ActionError(f"this run has no record store, so the {channel} message cannot be queued")
        gateway.post_message(channel, message)

    return apply


def flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in TRUE_TEXT


# ------------------------------------------------------------------------------------------------ email


def valid_addresses(addresses: list[str]) -> list[str]:
    for address in addresses:
        if not is_email_address(address):
            raise ActionError(f"INVALID_EMAIL_ADDRESS, Email address is invalid: {address}")
    return addresses


def email_of(context: ActionContext, object_name: str, record_id: Any) -> str | None:
    """The Email field of one record (a User, Contact or Lead), None when it has none or does not exist."""
    if not record_id or not is_id(str(record_id)):
        return None
    rows, _ = context.records.query(parse_soql(f"SELECT Email FROM {object_name} WHERE Id = '{record_id}'"))
    return str(rows[0]["Email"]) if rows and rows[0].get("Email") else None


def recipient_address(context: ActionContext, record_id: str) -> str:
    """The Email of the Contact, Lead or User *record_id* names."""
    obj = context.records.registry.by_key_prefix(key_prefix_of(record_id)) if is_id(record_id) else None
    if obj is None or not obj.has_field("Email"):
        raise ActionError(f"INVALID_ID_FIELD, recipientId {record_id} is not a Contact, Lead or User")
    address = email_of(context, obj.name, record_id)
    if address is None:
        raise ActionError(f"NO_MASS_MAIL_PERMISSION, recipientId {record_id} has no email address")
    return address


def sender_of(request: Mapping[str, Any], context: ActionContext) -> tuple[str | None, str | None]:
    """(From address, From name): the running user for `CurrentUser` (the default), the given address for
    `OrgWideEmailAddress`, the server's `email_from` for `DefaultWorkflowUser`."""
    kind = text_input(request, "senderType") or "CurrentUser"
    address = text_input(request, "senderAddress")
    if address:
        return valid_addresses([address])[0], None
    if kind.lower() == "currentuser":
        user = context.user
        return (str(user.get("Email")) if user.get("Email") else None), (str(user.get("Name") or "") or None)
    return None, None


def email_message(request: Mapping[str, Any], context: ActionContext, source: str) -> dict[str, Any]:
    to = text_list(request.get("emailAddresses")) + text_list(request.get("emailAddressesArray"))
    recipient_id = text_input(request, "recipientId")
    if recipient_id:
        to.append(recipient_address(context, recipient_id))
    cc = text_list(request.get("ccRecipientAddressList"))
    bcc = text_list(request.get("bccRecipientAddressList"))
    if not to and not cc and not bcc:
        raise ActionError("The email has no recipients: give emailAddresses, emailAddressesArray or recipientId.")
    sender, sender_name = sender_of(request, context)
    html = flag(request.get("sendRichBody"))
    body = "" if request.get("emailBody") is None else str(request["emailBody"])
    if not html and flag(request.get("useLineBreaks")):
        body = body.replace("<br>", "\n")
    return {"to": valid_addresses(to), "cc": valid_addresses(cc), "bcc": valid_addresses(bcc),
            "subject": text_input(request, "emailSubject"), "body": body, "html": html, "from": sender,
            "from_name": sender_name, "related_record_id": text_input(request, "relatedRecordId") or None,
            "source": source}


def send_email(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
    context.effect(position, post("email", email_message(request, context, "emailSimple")))
    return {}


EMAIL_SIMPLE = Action(
    "emailSimple", "emailSimple", "Send Email", each_request(send_email),
    inputs=(
        parameter("emailAddresses", description="Up to five addresses, comma-separated."),
        parameter("emailAddressesArray", collection=True),
        parameter("ccRecipientAddressList", collection=True),
        parameter("bccRecipientAddressList", collection=True),
        parameter("recipientId", "Reference", description="A Contact, Lead or User whose Email receives it."),
        parameter("emailSubject", required=True),
        parameter("emailBody", required=True),
        parameter("sendRichBody", "Boolean"),
        parameter("useLineBreaks", "Boolean"),
        parameter("senderType", description="CurrentUser, DefaultWorkflowUser or OrgWideEmailAddress."),
        parameter("senderAddress"),
        parameter("relatedRecordId", "Reference"),
        parameter("logEmailOnSend", "Boolean"),
    ),
    description="Send an email where you specify the subject, body, and recipients.",
)


# -------------------------------------------------------------------------------------------------- SMS


def first_given(request: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str, str]:
    folded = {key.lower(): key for key in request}
    for name in names:
        key = folded.get(name.lower())
        if key is not None and request[key] is not None and str(request[key]).strip():
            return key, str(request[key]).strip()
    return names[0], ""


def e164(number: str, field: str) -> str:
    compact = re.sub(r"[\s().-]", "", number)
    if not E164_PATTERN.match(compact):
        raise ActionError(f"Invalid phone number {number!r} for {field}: an SMS needs an E.164 number such as "
                          "+14155550100.")
    return compact


def send_sms(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
    field, number = first_given(request, SMS_NUMBER_INPUTS)
    if not number:
        raise ActionError(f"Missing required input parameter: {field}")
    text_field, text = first_given(request, SMS_TEXT_INPUTS)
    if not text:
        raise ActionError(f"Missing required input parameter: {text_field}")
    sender = text_input(request, "senderPhoneNumber")
    message = {"to": e164(number, field), "from": e164(sender, "senderPhoneNumber") if sender else None,
               "body": text, "source": "sendSmsMessage"}
    context.effect(position, post("sms", message))
    return {}


SEND_SMS = Action(
    SMS_ACTION, SMS_ACTION, "Send SMS Message", each_request(send_sms),
    inputs=(parameter("phoneNumber", description="The recipient, in E.164 form (+14155550100)."),
            parameter("message"), parameter("senderPhoneNumber")),
    description="Send a text message; delivered through the SMS gateway after the transaction commits.",
)

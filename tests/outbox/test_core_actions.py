"""Core actions that write records or notify: chatterPost, quick actions, custom notifications, email alerts
from the project's workflows and templates."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowforce.actions.registry import ActionFailure
from flowforce.runtime import Org, build_auth_service
from flowforce.settings import load_settings
from flowforce.soql import run_soql

CHEAP_AUTH = functools.partial(build_auth_service, password_hash_cost=4)

WORKFLOW = """<?xml version="1.0" encoding="UTF-8"?>
<Workflow xmlns="http://soap.sforce.com/2006/04/metadata">
    <alerts>
        <fullName>Send_me_home</fullName>
        <ccEmails>desk@example.com</ccEmails>
        <description>Send me home</description>
        <protected>false</protected>
        <recipients>
            <field>Email</field>
            <type>email</type>
        </recipients>
        <senderAddress>support@example.com</senderAddress>
        <senderType>OrgWideEmailAddress</senderType>
        <template>unfiled$public/Go_Home</template>
    </alerts>
</Workflow>
"""
TEMPLATE_META = """<?xml version="1.0" encoding="UTF-8"?>
<EmailTemplate xmlns="http://soap.sforce.com/2006/04/metadata">
    <available>true</available>
    <encodingKey>UTF-8</encodingKey>
    <name>Go Home</name>
    <style>none</style>
    <subject>Time to go home, {!Contact.FirstName}</subject>
    <type>text</type>
</EmailTemplate>
"""


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Org]:
    default = tmp_path / "force-app" / "main" / "default"
    (default / "flows").mkdir(parents=True)
    (default / "workflows").mkdir()
    (default / "email" / "unfiled$public").mkdir(parents=True)
    (tmp_path / "sfdx-project.json").write_text('{"packageDirectories":[{"path":"force-app","default":true}]}')
    (default / "workflows" / "Contact.workflow-meta.xml").write_text(WORKFLOW)
    (default / "email" / "unfiled$public" / "Go_Home.email").write_text("Dear {!Contact.FirstName} {!Contact.LastName},"
                                                                        "\nplease go home.")
    (default / "email" / "unfiled$public" / "Go_Home.email-meta.xml").write_text(TEMPLATE_META)
    settings = load_settings(project_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'store.db'}")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as opened:
        yield opened


def call(org: Org, action_type: str, name: str, *requests: dict[str, Any]) -> list[Any]:
    action = org.actions.get(action_type, name)
    assert action is not None, f"{action_type}:{name} is not registered"
    return org.invoke_action(action, list(requests))


def rows(org: Org, soql: str) -> list[dict[str, Any]]:
    with org.transaction() as tx:
        return [dict(record) for record in run_soql(soql, tx).records]


def account(org: Org, name: str = "Acme") -> str:
    with org.transaction() as tx:
        [saved] = tx.insert("Account", [{"Name": name}])
    return str(saved.id)


def test_chatter_post_creates_a_feed_item_on_the_record(org: Org) -> None:
    account_id = account(org)
    [result] = call(org, "chatterPost", "chatterPost", {"text": "Big deal closed", "subjectNameOrId": account_id})
    [item] = rows(org, "SELECT Id, ParentId, Body, Type FROM FeedItem")
    assert result == {"feedItemId": item["Id"]}
    assert (item["ParentId"], item["Body"], item["Type"]) == (account_id, "Big deal closed", "TextPost")


def test_chatter_post_to_an_unknown_name_fails_naming_it(org: Org) -> None:
    [result] = call(org, "chatterPost", "chatterPost", {"text": "x", "subjectNameOrId": "nobody", "type": "User"})
    assert result == ActionFailure("subjectNameOrId 'nobody' is not a record id, a username or a group name.")


def test_quick_actions_create_update_and_log_calls(org: Org) -> None:
    account_id = account(org)
    [case] = call(org, "quickAction", "NewCase", {"Subject": "Broken", "contextId": account_id})
    [call_log] = call(org, "quickAction", "LogACall", {"Subject": "Rang them", "contextId": account_id})
    [task] = call(org, "quickAction", "FeedItem.NewTaskFromFeedItem", {"Subject": "Follow up"})
    call(org, "quickAction", "Task.EditDescription", {"contextId": task["recordId"], "Description": "Soon"})
    assert rows(org, "SELECT Subject, AccountId FROM Case") == [
        {"Subject": "Broken", "AccountId": account_id}]
    tasks = {r["Id"]: r for r in rows(org, "SELECT Id, Subject, Status, TaskSubtype, WhatId, Description FROM Task")}
    assert tasks[call_log["recordId"]] == {"Id": call_log["recordId"], "Subject": "Rang them", "Status": "Completed",
                                           "TaskSubtype": "Call", "WhatId": account_id, "Description": None}
    assert tasks[task["recordId"]]["Description"] == "Soon"
    assert case["recordId"] and case["contextId"] == account_id


def test_a_quick_action_on_an_object_the_project_lacks_fails_naming_it(org: Org) -> None:
    [result] = call(org, "quickAction", "NewInvoice__c", {"Name": "x"})
    assert result == ActionFailure("The quick action NewInvoice__c works on Invoice__c, which this project does "
                                   "not define.")


def test_custom_notification_is_kept_in_the_outbox(org: Org) -> None:
    call(org, "customNotificationAction", "customNotificationAction",
         {"customNotifTypeId": "0ML000000000001", "recipientIds": ["005000000000001AAA"], "title": "Heads up",
          "body": "Case escalated"})
    [note] = org.outbox.messages(channel="notification")
    assert (note.status, note.recipient, note.subject, note.payload["body"]) == (
        "logged", "005000000000001AAA", "Heads up", "Case escalated")
    assert org.jobs.run_due() == 0  # nothing to deliver


def test_email_alert_merges_its_template_and_mails_the_recipients(org: Org) -> None:
    with org.transaction() as tx:
        [contact] = tx.insert("Contact", [{"FirstName": "Ada", "LastName": "Lovelace", "Email": "ada@example.com"}])
    call(org, "emailAlert", "Contact.Send_me_home", {"SObjectRowId": contact.id})
    [message] = org.outbox.messages(channel="email")
    assert (message.subject, message.payload["body"]) == ("Time to go home, Ada", "Dear Ada Lovelace,\nplease go home.")
    assert (message.payload["to"], message.payload["cc"], message.payload["from"]) == (
        ["ada@example.com"], ["desk@example.com"], "support@example.com")
    assert message.source == "Contact.Send_me_home"


def test_an_email_alert_missing_from_the_project_fails_saying_where_it_goes(org: Org) -> None:
    [result] = call(org, "emailAlert", "Account.Inform_users", {"SObjectRowId": account(org)})
    assert result == ActionFailure("The email alert Account.Inform_users isn't defined in this project: add it to "
                                   "<alerts> in force-app/main/default/workflows/Account.workflow-meta.xml.")


def test_verification_codes_are_digits_of_the_asked_length(org: Org) -> None:
    first, second, bad = call(org, "generateVerificationCode", "generateVerificationCode", {}, {"length": 8},
                              {"length": 2})
    assert first["verificationCode"].isdigit() and len(first["verificationCode"]) == 6
    assert second["verificationCode"].isdigit() and len(second["verificationCode"]) == 8
    assert bad == ActionFailure("length must be from 4 to 10, not 2")


def test_the_outbox_command_lists_what_flows_sent(org: Org) -> None:
    from typer.testing import CliRunner

    from flowforce.cli import app

    call(org, "customNotificationAction", "customNotificationAction",
         {"customNotifTypeId": "0ML000000000001", "recipientIds": ["005000000000001AAA"], "title": "Heads up",
          "body": "Case escalated"})
    database = org.settings.database_url
    assert database is not None
    result = CliRunner().invoke(app, ["outbox", "--project", str(org.settings.project_dir), "--db", database,
                                      "--channel", "notification", "--json"])
    assert result.exit_code == 0, result.output
    assert '"recipient": "005000000000001AAA"' in result.output
    assert '"status": "logged"' in result.output

"""Real projects' schema over HTTP (tests/records/fixtures/README.md): NPSP's roll-ups, custom metadata and
namespace, record types, delete constraints and formula-field filters, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.records.registry_builder import record_type_id

from .conftest import Api, make_settings, open_api

FIXTURES = Path(__file__).parents[1] / "records" / "fixtures"


@pytest.fixture
def npsp_api(db_url: str) -> Iterator[Api]:
    yield from open_api(make_settings(FIXTURES / "npsp", db_url))


@pytest.fixture
def invoice_api(db_url: str) -> Iterator[Api]:
    yield from open_api(make_settings(FIXTURES / "project", db_url))


def test_roll_up_counts_children_and_filters_in_soql(npsp_api: Api) -> None:
    template = npsp_api.create("Engagement_Plan_Template__c", Name="Welcome")
    for n in range(2):
        npsp_api.create("npsp__Engagement_Plan_Task__c", Name=f"Call {n}", Engagement_Plan_Template__c=template)
    rows = npsp_api.soql("SELECT Name, npsp__Total_Tasks__c FROM Engagement_Plan_Template__c "
                         "WHERE Total_Tasks__c >= 2")
    # the project's own names come back without the namespace (UNCONFIRMED how Salesforce keys them)
    assert [(r["Name"], r["Total_Tasks__c"]) for r in rows] == [("Welcome", 2)]


def test_custom_metadata_is_queryable_and_read_only(npsp_api: Api) -> None:
    rows = npsp_api.soql("SELECT DeveloperName, IsActive__c FROM Custom_Notification__mdt")
    assert [(r["DeveloperName"], r["IsActive__c"]) for r in rows] == [("Elevate_Advert", True)]
    response = npsp_api.post("sobjects/Custom_Notification__mdt", json={"DeveloperName": "X", "MasterLabel": "X"})
    assert response.status_code == 405  # what REST answers for any object that cannot be created
    assert response.json()[0]["errorCode"] == "METHOD_NOT_ALLOWED"


def test_deleting_a_plan_clears_the_task_lookup(npsp_api: Api) -> None:
    template = npsp_api.create("Engagement_Plan_Template__c", Name="Welcome")
    plan = npsp_api.create("Engagement_Plan__c", Engagement_Plan_Template__c=template)
    task = npsp_api.create("Task", Subject="Call", Engagement_Plan__c=plan)
    assert npsp_api.delete(f"sobjects/Engagement_Plan__c/{plan}").status_code == 204
    assert npsp_api.get(f"sobjects/Task/{task}").json()["Engagement_Plan__c"] is None


def test_record_types_over_rest(invoice_api: Api) -> None:
    rows = invoice_api.soql("SELECT Id FROM RecordType WHERE SobjectType = 'Invoice__c' AND "
                            "DeveloperName = 'Standard'")
    assert [r["Id"] for r in rows] == [record_type_id("Invoice__c", "Standard")]
    invoice = invoice_api.create("Invoice__c", Title__c="t")
    body = invoice_api.get(f"sobjects/Invoice__c/{invoice}").json()
    assert body["RecordTypeId"] == record_type_id("Invoice__c", "Credit_Note")


def test_picklist_values_and_defaults_per_record_type(invoice_api: Api) -> None:
    standard = record_type_id("Invoice__c", "Standard")
    invoice = invoice_api.create("Invoice__c", Title__c="s", RecordTypeId=standard, Channels__c="Post")
    plain = invoice_api.create("Invoice__c", Title__c="c", Channels__c="Fax")  # Credit Note lists no channels
    rows = invoice_api.soql("SELECT Title__c, Category__c, Status__c, Channels__c FROM Invoice__c ORDER BY Title__c")
    assert [(r["Title__c"], r["Category__c"], r["Status__c"], r["Channels__c"]) for r in rows] == [
        ("c", None, "Draft", "Fax"), ("s", "Hardware", "Draft", "Post")]

    response = invoice_api.post("sobjects/Invoice__c", json={"Title__c": "x", "RecordTypeId": standard,
                                                             "Channels__c": "Email;Fax"})
    assert response.status_code == 400
    assert response.json() == [{"errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "fields": ["Channels__c"],
                                "message": "bad value for restricted picklist field: Fax"}]
    response = invoice_api.patch(f"sobjects/Invoice__c/{plain}", json={"RecordTypeId": standard,
                                                                       "Channels__c": "Fax"})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert len(invoice_api.soql("SELECT Id FROM Invoice__c")) == 2
    assert invoice_api.get(f"sobjects/Invoice__c/{plain}").json()["Channels__c"] == "Fax"
    # an unrestricted picklist takes any value over the API, whatever the record type offers
    assert invoice_api.patch(f"sobjects/Invoice__c/{invoice}", json={"Category__c": "Software"}).status_code == 204


def test_soql_filters_and_sorts_on_formula_fields(invoice_api: Api) -> None:
    for title, amount, quantity in (("small", "1.50", 2), ("big", "12.50", 4), ("none", None, None)):
        invoice_api.create("Invoice__c", Title__c=title, Amount__c=amount, Quantity__c=quantity)
    rows = invoice_api.soql("SELECT Title__c, Total__c FROM Invoice__c WHERE Total__c > 2 ORDER BY Total__c DESC")
    assert [(r["Title__c"], r["Total__c"]) for r in rows] == [("big", 50.0), ("small", 3.0)]
    response = invoice_api.get("query", params={"q": "SELECT Id FROM Invoice_Line__c WHERE Invoice__r.Total__c > 3"})
    assert response.status_code == 400
    assert response.json() == [{"errorCode": "INVALID_FIELD", "message": (
        "field 'Total__c' is a formula field: flowforce filters, sorts and groups on formula fields of the "
        "queried object only")}]


def test_describe_lists_record_types(invoice_api: Api) -> None:
    infos = invoice_api.get("sobjects/Invoice__c/describe").json()["recordTypeInfos"]
    assert [(i["developerName"], i["active"], i["defaultRecordTypeMapping"], i["master"]) for i in infos] == [
        ("Credit_Note", True, True, False), ("Legacy", False, False, False), ("Standard", True, False, False),
        ("Master", True, False, True)]
    assert infos[2]["recordTypeId"] == record_type_id("Invoice__c", "Standard")


@pytest.fixture
def ebikes_api(db_url: str) -> Iterator[Api]:
    yield from open_api(make_settings(FIXTURES / "ebikes", db_url))


def test_a_restrict_lookup_blocks_deleting_its_parent(ebikes_api: Api) -> None:
    account = ebikes_api.create("Account", Name="Reseller")
    order = ebikes_api.create("Order__c", Account__c=account)
    response = ebikes_api.delete(f"sobjects/Account/{account}")
    assert response.status_code == 400
    assert response.json() == [{"errorCode": "DELETE_FAILED", "message": (
        "Your attempt to delete this Account could not be completed because it is associated with the following "
        "Reseller Orders.")}]
    children = ebikes_api.get("sobjects/Account/describe").json()["childRelationships"]
    assert [c["restrictedDelete"] for c in children if c["childSObject"] == "Order__c"] == [True]
    assert ebikes_api.delete(f"sobjects/Order__c/{order}").status_code == 204
    assert ebikes_api.delete(f"sobjects/Account/{account}").status_code == 204

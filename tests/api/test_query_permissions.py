"""Every object a query touches needs read access (issue 9 item 2).

A user with only Contact read once got `Account.Name` through `SELECT Id, Account.Name FROM Contact`, and could
filter or semi-join on Accounts; each now answers INVALID_TYPE naming the unreadable object, as an unknown one.
"""

from __future__ import annotations

import pytest

from flowforce.soql.errors import unsupported_type

from .conftest import Api, token_for


@pytest.fixture
def contact_reader(api: Api) -> Api:
    auth = api.org.auth
    auth.configure_from({"permission_sets": {"Contact_Reader": {"objects": {"Contact": "read"}}}})
    info = auth.add_user("reader@flowforce.test", "reader-password-1", profile="Minimum Access - API Only",
                         permission_sets=["Contact_Reader"])
    token = token_for(api.client, grant_type="password", username="reader@flowforce.test",
                      password="reader-password-1" + info.security_token)
    account = api.create("Account", Name="Secret Co", AnnualRevenue=5_000_000)
    api.create("Contact", LastName="Smith", AccountId=account)
    return Api(api.client, token, api.org)


@pytest.mark.parametrize("soql", [
    "SELECT Id, Account.Name FROM Contact",
    "SELECT Id FROM Contact WHERE Account.AnnualRevenue > 1000000",
    "SELECT Id FROM Contact ORDER BY Account.Name",
    "SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name LIKE 'Secret%')",
    "SELECT Account.Name, COUNT(Id) FROM Contact GROUP BY Account.Name",
    "SELECT Id, (SELECT Id FROM Contacts) FROM Account",
])
def test_unreadable_objects_in_any_part_of_a_query_are_refused(contact_reader: Api, soql: str) -> None:
    response = contact_reader.get("query", params={"q": soql})
    assert response.status_code == 400, response.text
    assert response.json() == [{"message": unsupported_type("Account"), "errorCode": "INVALID_TYPE"}]


def test_the_readable_object_alone_still_answers(contact_reader: Api) -> None:
    assert [r["LastName"] for r in contact_reader.soql("SELECT LastName, AccountId FROM Contact")] == ["Smith"]


def test_columns_metadata_checks_the_same_objects(contact_reader: Api) -> None:
    response = contact_reader.get("query", params={"q": "SELECT Account.Name FROM Contact", "columns": "true"})
    assert (response.status_code, response.json()[0]["errorCode"]) == (400, "INVALID_TYPE")

"""Hostile values answer Salesforce-shaped errors, never a 500, and leave the store unchanged (issue 9 item 5).

Each of these was a 500 (RecursionError, decimal or integer overflow, PostgreSQL refusing NUL), and one bad input
failed a whole bulk invoke instead of that input.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

JSON = {"Content-Type": "application/json"}


def post_raw(api: Api, path: str, text: str) -> Any:
    return api.post(path, content=text, headers=JSON)


def account_count(api: Api) -> int:
    return int(api.get("query", params={"q": "SELECT COUNT() FROM Account"}).json()["totalSize"])


def test_deeply_nested_json_is_a_parser_error(dml_api: Api) -> None:
    field = post_raw(dml_api, "sobjects/Account", '{"Name": "a", "Description": ' + "[" * 1000 + '"x"' + "]" * 1000
                     + "}")
    composite = post_raw(dml_api, "composite", '{"compositeRequest": [{"method": "POST", "referenceId": "r", '
                         '"url": "/services/data/v66.0/sobjects/Account", "body": {"Name": "x", "Description": '
                         + '{"a":' * 500 + "{}" + "}" * 500 + "}}]}")
    for response in (field, composite):
        assert response.status_code == 400, response.text
        [error] = response.json()
        assert error["errorCode"] == "JSON_PARSER_ERROR"
        assert error["message"].startswith("Document nesting depth (101) exceeds the maximum allowed (100")
    assert post_raw(dml_api, "sobjects/Account", '{"Name": "a", "Description": ' + "[" * 90 + "]" * 90 + "}"
                    ).status_code == 400  # shallow enough to parse: now only the wrong type for a text field
    assert account_count(dml_api) == 0


@pytest.mark.parametrize("body, field, label", [
    ('{"Name": "a", "AnnualRevenue": 1e300}', "AnnualRevenue", "Annual Revenue: value outside of valid range on "
     "numeric field: 1e+300"),
    ('{"Name": "a", "AnnualRevenue": -1e30}', "AnnualRevenue", "Annual Revenue: value outside of valid range on "
     "numeric field: -1e+30"),
    ('{"Name": "a", "NumberOfEmployees": 1180591620717411303424}', "NumberOfEmployees", "Employees: value outside "
     "of valid range on numeric field: "),
    ('{"Name": "a", "NumberOfEmployees": 2147483648}', "NumberOfEmployees", "Employees: value outside of valid "
     "range on numeric field: 2147483648"),
])
def test_numbers_beyond_a_fields_precision_are_out_of_range(dml_api: Api, body: str, field: str,
                                                            label: str) -> None:
    response = post_raw(dml_api, "sobjects/Account", body)
    assert response.status_code == 400, response.text
    [error] = response.json()
    assert (error["errorCode"], error["fields"]) == ("NUMBER_OUTSIDE_VALID_RANGE", [field])
    assert error["message"].startswith(label)
    assert account_count(dml_api) == 0


def test_the_largest_values_a_field_holds_are_kept(dml_api: Api) -> None:
    record_id = post_raw(dml_api, "sobjects/Account",
                         '{"Name": "a", "AnnualRevenue": 9999999999999999.99, "NumberOfEmployees": 99999999}'
                         ).json()["id"]
    [row] = dml_api.soql(f"SELECT AnnualRevenue, NumberOfEmployees FROM Account WHERE Id = '{record_id}'")
    assert (row["AnnualRevenue"], row["NumberOfEmployees"]) == (9999999999999999.99, 99999999)


def test_a_nul_byte_in_text_is_refused(dml_api: Api) -> None:
    response = dml_api.post("sobjects/Account", json={"Name": "a\u0000b"})
    assert response.status_code == 400
    assert response.json() == [{"message": "Account Name: text values cannot contain the NUL character (\\u0000)",
                                "errorCode": "FIELD_INTEGRITY_EXCEPTION", "fields": ["Name"]}]
    query = dml_api.get("query", params={"q": "SELECT Id FROM Account WHERE Name = 'a\u0000b'"})
    assert query.status_code == 400 and query.json()[0]["errorCode"] == "MALFORMED_QUERY"
    assert account_count(dml_api) == 0


def test_a_huge_limit_reads_like_no_limit(dml_api: Api) -> None:
    with dml_api.org.store.transaction() as tx:
        tx.insert("Account", [{"Name": f"A{n}"} for n in range(201)])
    body = dml_api.get("query", params={"q": "SELECT Id FROM Account LIMIT 99999999999999999999999"},
                       headers={"Sforce-Query-Options": "batchSize=200"}).json()
    assert (body["totalSize"], len(body["records"]), body["done"]) == (201, 200, False)


def outcomes(response: Any) -> list[tuple[bool, str]]:
    return [(item["isSuccess"], (item["errors"] or [{"message": ""}])[0]["message"]) for item in response.json()]


def test_one_hostile_input_fails_only_itself(dml_api: Api) -> None:
    numbers = post_raw(dml_api, "actions/custom/flow/Add_Numbers", '{"inputs": [{"a": -1e30}, {"a": 2}]}')
    assert outcomes(numbers)[0] == (False, "The input variable a expects a Number: -1E+30 is outside the range of "
                                           "numbers a flow can hold")
    assert numbers.json()[1]["isSuccess"] is True
    account = dml_api.create("Account", Name="Acme")
    lookups = dml_api.post("actions/custom/flow/Contact_For_Account",
                           json={"inputs": [{"AccountId": "001\u0000"}, {"AccountId": account}]})
    assert [ok for ok, _ in outcomes(lookups)] == [False, True]
    assert len(dml_api.soql("SELECT Id FROM Contact")) == 1

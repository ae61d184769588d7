"""INVALID_FIELD / INVALID_TYPE / MALFORMED_QUERY raised while resolving names, framed like Salesforce."""

from __future__ import annotations

import datetime as dt

import pytest

from flowforce.records import errors as record_errors
from flowforce.soql import (
    InvalidFieldError,
    InvalidQueryFilterOperatorError,
    InvalidTypeError,
    MalformedQueryError,
    NumberOutsideValidRangeError,
    compile_query,
)
from flowforce.soql import ast as q
from flowforce.soql.ast import Position

NO_SUCH_COLUMN_TAIL = (
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. "
    "Please reference your WSDL or the describe call for the appropriate names."
)


def test_unknown_field_message_is_exact(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidFieldError) as caught:
        compile_soql("SELECT Foo FROM Account")
    assert caught.value.message == (
        "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'. "
        + NO_SUCH_COLUMN_TAIL
    )
    assert caught.value.status_code == "INVALID_FIELD"
    assert isinstance(caught.value, record_errors.InvalidFieldError)


def test_unknown_object_message(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidTypeError) as caught:
        compile_soql("SELECT Id FROM Foo")
    assert caught.value.message.startswith("\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\n")
    assert caught.value.detail.startswith("sObject type 'Foo' is not supported. If you are attempting to use a custom")
    assert caught.value.status_code == "INVALID_TYPE"


def test_unknown_field_behind_a_relationship_names_the_parent_entity(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidFieldError) as caught:
        compile_soql("SELECT Account.Foo FROM Contact")
    assert caught.value.detail.startswith("No such column 'Foo' on entity 'Account'.")
    assert caught.value.position == Position(1, 8)


def test_unknown_relationship(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidFieldError) as caught:
        compile_soql("SELECT Id FROM Contact WHERE Acount.Name = 'x'")
    assert caught.value.detail.startswith("Didn't understand relationship 'Acount' in field path.")
    assert caught.value.position == Position(1, 30)


def test_unknown_child_relationship(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidTypeError) as caught:
        compile_soql("SELECT Id, (SELECT Id FROM Contactz) FROM Account")
    assert caught.value.detail.startswith("Didn't understand relationship 'Contactz' in FROM part of query call.")


def criterion(field: str, type_name: str, quoted: bool = False) -> str:
    quoting = "should be enclosed in quotes" if quoted else "should not be enclosed in quotes"
    return f"value of filter criterion for field '{field}' must be of type {type_name} and {quoting}"


@pytest.mark.parametrize(
    ("where", "detail"),
    [
        ("CreatedDate > 2024-01-01", criterion("CreatedDate", "dateTime")),
        ("NumberOfEmployees = '5'", criterion("NumberOfEmployees", "integer")),
        ("Name = 5", criterion("Name", "string", quoted=True)),
        ("IsDeleted = 'true'", criterion("IsDeleted", "boolean")),
        ("Name = TODAY", criterion("Name", "string", quoted=True)),
    ],
)
def test_literal_type_must_match_the_field(compile_soql, where: str, detail: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidFieldError) as caught:
        compile_soql(f"SELECT Id FROM Account WHERE {where}")
    assert caught.value.detail == detail


def test_malformed_id_literal(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidQueryFilterOperatorError) as caught:
        compile_soql("SELECT Id FROM Account WHERE Id = 'foo'")
    assert caught.value.detail == "invalid ID field: foo"
    assert caught.value.position == Position(1, 35)
    assert caught.value.status_code == "INVALID_QUERY_FILTER_OPERATOR"


def test_includes_only_on_multipicklists(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidQueryFilterOperatorError):
        compile_soql("SELECT Id FROM Account WHERE Name INCLUDES ('a')")


def test_non_filterable_and_non_sortable_fields(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidFieldError, match="field 'Notes__c' can not be filtered in a query call"):
        compile_soql("SELECT Id FROM Project__c WHERE Notes__c = 'x'")
    with pytest.raises(MalformedQueryError, match="field 'Notes__c' can not be sorted in a query call"):
        compile_soql("SELECT Id FROM Project__c ORDER BY Notes__c")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("SELECT Name, COUNT(Id) FROM Account", "Field must be grouped or aggregated: Name"),
        ("SELECT COUNT(), Name FROM Account", "COUNT() must be the only element in the SELECT list"),
        ("SELECT SUM(Name) FROM Account", "field Name does not support aggregate operator SUM"),
        ("SELECT Id, Id FROM Account", "duplicate field selected: Id"),
        ("SELECT FIELDS(ALL) FROM Account", "The SOQL FIELDS function must have a LIMIT of at most 200"),
        ("SELECT Id FROM Account WHERE Id IN (SELECT Name FROM Contact)",
         "semi join sub-selects can only select a single Id or reference field"),
        ("SELECT Name n FROM Account", "unexpected token: 'n'"),
        ("SELECT Id FROM Account WHERE HOUR_IN_DAY(CreatedDate) > 3 AND DAY_ONLY(Name) = 2024-01-01",
         "DAY_ONLY can only be applied to a date or dateTime field: Name"),
    ],
)  # fmt: skip
def test_semantic_errors(compile_soql, text: str, detail: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MalformedQueryError) as caught:
        compile_soql(text)
    assert caught.value.detail == detail


def test_offset_is_capped_at_2000(compile_soql) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NumberOutsideValidRangeError, match="Maximum SOQL offset allowed is 2000"):
        compile_soql("SELECT Id FROM Account LIMIT 10 OFFSET 2001")


def test_hand_built_query_errors_are_framed_against_its_printed_soql(registry, tables) -> None:  # type: ignore[no-untyped-def]
    query = q.Query("Account", (q.FieldPath(("Id",)), q.FieldPath(("Nmae",))),
                    where=q.Comparison(q.FieldPath(("Name",)), "=", q.Literal("x")))  # fmt: skip
    with pytest.raises(InvalidFieldError) as caught:
        compile_query(query, registry, tables)
    assert caught.value.message.startswith(
        "\nSELECT Id, Nmae FROM Account WHERE Name = 'x'\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nmae'"
    )


def test_hand_built_date_for_a_datetime_field_is_rejected(registry, tables) -> None:  # type: ignore[no-untyped-def]
    query = q.Query("Account", (q.FieldPath(("Id",)),),
                    where=q.Comparison(q.FieldPath(("CreatedDate",)), ">", q.Literal(dt.date(2024, 1, 1))))  # fmt: skip
    with pytest.raises(InvalidFieldError, match="must be of type dateTime"):
        compile_query(query, registry, tables)

"""Text → AST: every construct, and MALFORMED_QUERY messages framed exactly as Salesforce frames them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowforce.soql import MalformedQueryError, parse_soql
from flowforce.soql.ast import (
    Alias,
    And,
    Comparison,
    DateLiteral,
    FieldPath,
    FieldsMacro,
    FunctionCall,
    Literal,
    Not,
    Or,
    OrderItem,
    Position,
    Query,
)


def where(text: str):  # type: ignore[no-untyped-def]
    return parse_soql(f"SELECT Id FROM Account WHERE {text}").where


def test_field_list_and_parent_paths() -> None:
    query = parse_soql("SELECT Id, Name, Account.Owner.Name, Parent__r.Code__c FROM Contact")
    assert query == Query(
        "Contact",
        (FieldPath(("Id",)), FieldPath(("Name",)), FieldPath(("Account", "Owner", "Name")),
         FieldPath(("Parent__r", "Code__c"))),
    )  # fmt: skip


def test_keywords_are_case_insensitive_and_not_reserved_as_field_names() -> None:
    query = parse_soql("select Type, First, Count, Last, Order__c from account where Type = 'x' order by First")
    assert [f.dotted for f in query.fields] == ["Type", "First", "Count", "Last", "Order__c"]
    assert query.object_name == "account"
    assert query.order_by == (OrderItem(FieldPath(("First",))),)


def test_child_subquery_is_a_nested_query() -> None:
    query = parse_soql("SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != null LIMIT 5) FROM Account")
    assert query.fields[1] == Query(
        "Contacts", (FieldPath(("LastName",)),), where=Comparison(FieldPath(("LastName",)), "!=", Literal(None)),
        limit=5,
    )  # fmt: skip


@pytest.mark.parametrize("operator", ["=", "!=", "<", "<=", ">", ">="])
def test_comparison_operators(operator: str) -> None:
    assert where(f"Amount {operator} 5") == Comparison(FieldPath(("Amount",)), operator, Literal(Decimal(5)))


def test_angle_bracket_not_equal_is_normalised() -> None:
    assert where("Name <> 'a'") == Comparison(FieldPath(("Name",)), "!=", Literal("a"))


def test_like_in_not_in_includes_excludes() -> None:
    assert where("Name LIKE 'Ac%'").operator == "LIKE"
    assert where("Name IN ('a', 'b')") == Comparison(FieldPath(("Name",)), "IN", Literal(("a", "b")))
    assert where("Name NOT IN ('a')").operator == "NOT IN"
    assert where("Tags__c INCLUDES ('a;b', 'c')") == Comparison(
        FieldPath(("Tags__c",)), "INCLUDES", Literal(("a;b", "c"))
    )
    assert where("Tags__c EXCLUDES ('a')").operator == "EXCLUDES"


def test_and_or_not_with_parentheses() -> None:
    a, b, c = (Comparison(FieldPath((n,)), "=", Literal(Decimal(1))) for n in "abc")
    assert where("a = 1 AND (b = 1 OR NOT c = 1)") == And((a, Or((b, Not(c)))))
    assert where("NOT (a = 1 AND b = 1)") == Not(And((a, b)))


def test_mixing_and_or_without_parentheses_is_malformed() -> None:
    with pytest.raises(MalformedQueryError) as caught:
        parse_soql("SELECT Id FROM Account WHERE a = 1 AND b = 2 OR c = 3")
    assert caught.value.detail == "unexpected token: 'OR'"
    assert caught.value.position == Position(1, 46)


def test_semi_join_and_anti_join() -> None:
    condition = where("Id IN (SELECT AccountId FROM Contact) AND Id NOT IN (SELECT AccountId FROM Case)")
    assert isinstance(condition, And)
    semi, anti = condition.operands
    assert isinstance(semi, Comparison) and semi.value == Query("Contact", (FieldPath(("AccountId",)),))
    assert isinstance(anti, Comparison) and anti.operator == "NOT IN"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'it\\'s'", "it's"),
        ("'a\\\\b'", "a\\b"),
        ("'line\\nnext'", "line\nnext"),
        ("'100\\%'", "100\\%"),
        ("42", Decimal(42)),
        ("-1.5", Decimal("-1.5")),
        ("TRUE", True),
        ("false", False),
        ("null", None),
        ("2024-01-31", dt.date(2024, 1, 31)),
        ("2024-01-31T10:00:00Z", dt.datetime(2024, 1, 31, 10, tzinfo=dt.UTC)),
        ("2024-01-31T10:00:00.000+0000", dt.datetime(2024, 1, 31, 10, tzinfo=dt.UTC)),
        ("2024-01-31T10:00:00+02:00", dt.datetime(2024, 1, 31, 8, tzinfo=dt.UTC)),
    ],
)
def test_literals(text: str, value: object) -> None:
    comparison = where(f"X = {text}")
    assert isinstance(comparison, Comparison)
    assert comparison.value == Literal(value)
    assert type(comparison.value.value) is type(value)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "literal"),
    [("TODAY", DateLiteral("TODAY")), ("last_n_days:30", DateLiteral("LAST_N_DAYS", 30)),
     ("THIS_FISCAL_QUARTER", DateLiteral("THIS_FISCAL_QUARTER")), ("N_DAYS_AGO:3", DateLiteral("N_DAYS_AGO", 3))],
)  # fmt: skip
def test_date_literals(text: str, literal: DateLiteral) -> None:
    assert where(f"CreatedDate = {text}") == Comparison(FieldPath(("CreatedDate",)), "=", literal)


def test_date_functions_and_aggregates_with_aliases() -> None:
    query = parse_soql(
        "SELECT CALENDAR_YEAR(CreatedDate), COUNT(Id) total, count() FROM Account "
        "GROUP BY CALENDAR_YEAR(CreatedDate) HAVING COUNT(Id) > 1"
    )
    year = FunctionCall("CALENDAR_YEAR", (FieldPath(("CreatedDate",)),))
    assert query.fields == (year, Alias(FunctionCall("COUNT", (FieldPath(("Id",)),)), "total"), FunctionCall("count"))
    assert query.group_by == (year,)
    assert query.having == Comparison(FunctionCall("COUNT", (FieldPath(("Id",)),)), ">", Literal(Decimal(1)))


def test_order_by_limit_offset_and_tail_clauses() -> None:
    query = parse_soql("SELECT Id FROM Account ORDER BY Name DESC NULLS FIRST, Id LIMIT 10 OFFSET 20 FOR UPDATE")
    assert query.order_by == (OrderItem(FieldPath(("Name",)), True, True), OrderItem(FieldPath(("Id",))))
    assert (query.limit, query.offset, query.for_update) == (10, 20, True)
    assert parse_soql("SELECT Id FROM Account ALL ROWS").all_rows


def test_fields_macro() -> None:
    for kind in ("ALL", "STANDARD", "CUSTOM"):
        assert parse_soql(f"SELECT FIELDS({kind.lower()}) FROM Account LIMIT 1").fields == (FieldsMacro(kind),)


def test_positions_are_one_based_row_and_column() -> None:
    query = parse_soql("SELECT Id,\n  Name FROM Account")
    assert query.fields[1].pos == Position(2, 3)
    assert query.pos == Position(2, 13)  # the object name


# --- MALFORMED_QUERY framing ------------------------------------------------------------------------------


def test_unexpected_end_of_input_message_is_exact() -> None:
    with pytest.raises(MalformedQueryError) as caught:
        parse_soql("SELECT Id FROM Account WHERE")
    assert caught.value.message == (
        "\nSELECT Id FROM Account WHERE\n"
        "                            ^\n"
        "ERROR at Row:1:Column:29\n"
        "unexpected token: '<EOF>'"
    )
    assert caught.value.status_code == "MALFORMED_QUERY"
    assert caught.value.to_dict() == {"message": caught.value.message, "errorCode": "MALFORMED_QUERY"}


def test_unexpected_token_points_at_the_token() -> None:
    with pytest.raises(MalformedQueryError) as caught:
        parse_soql("SELECT Id FRM Account")
    assert caught.value.message == (
        "\nSELECT Id FRM Account\n              ^\nERROR at Row:1:Column:15\nunexpected token: 'Account'"
    )


def test_error_on_a_later_line_echoes_that_line() -> None:
    with pytest.raises(MalformedQueryError) as caught:
        parse_soql("SELECT Id\nFROM Account\nWHERE Name = = 'x'")
    assert (
        caught.value.message == "\nWHERE Name = = 'x'\n             ^\nERROR at Row:3:Column:14\nunexpected token: '='"
    )


def test_unknown_character() -> None:
    with pytest.raises(MalformedQueryError) as caught:
        parse_soql('SELECT Id FROM Account WHERE Name = "x"')
    assert caught.value.detail == "line 1:36 no viable alternative at character '\"'"
    assert caught.value.position == Position(1, 37)


@pytest.mark.parametrize(
    ("text", "detail", "column"),
    [
        ("SELECT Id FROM Account WHERE CreatedDate = YESTERDAYS", "unexpected token: 'YESTERDAYS'", 44),
        ("SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS", "unexpected token: 'LAST_N_DAYS'", 44),
        ("SELECT Id FROM Account WHERE CreatedDate = TODAY:3", "unexpected token: '3'", 50),
        ("SELECT Id FROM Account WHERE Name IN ()", "unexpected token: ')'", 39),
        ("SELECT Id FROM Account ORDER Name", "unexpected token: 'Name'", 30),
        ("SELECT Id FROM Account LIMIT x", "unexpected token: 'x'", 30),
    ],
)
def test_malformed_queries(text: str, detail: str, column: int) -> None:
    with pytest.raises(MalformedQueryError) as caught:
        parse_soql(text)
    assert (caught.value.detail, caught.value.position) == (detail, Position(1, column))

"""Text templates and merge-value formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowforce.formula import format_merge_value, parse_template


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello {!txt}!", "Hello Hello!"),
        ("{!num} items", "10 items"),
        ("<p>{!Account.Name}</p>", "<p>Acme</p>"),
        ("Owner: {!Account.Owner.Name}", "Owner: Ann"),
        ("Parent: [{!Account.Parent.Name}]", "Parent: []"),  # null merges as ""
        ("[{!nothing}]", "[]"),
        ("Status {!$Record.Status}", "Status Obsolete"),
        ("Date: {!$Flow.CurrentDate}", "Date: 2024-01-31"),
        ("{!d} {!dtm} {!t}", "2024-01-31 2024-01-31T09:15:00.000Z 09:15:00.000Z"),
        ("{!flag}", "true"),
        ("{!items}", "a, b"),
        ("{!Account}", "001000000000001AAA"),
        ("no merge fields", "no merge fields"),
        ("", ""),
        ("{! txt }", "Hello"),
        ("unterminated {!txt", "unterminated {!txt"),
        ("{!not valid}", "{!not valid}"),
        ("{!}", "{!}"),
        ("{API} and {LWC}", "{API} and {LWC}"),
        ("&lbrace;!{!txt}&rbrace;", "&lbrace;!Hello&rbrace;"),
        ("{!txt}{!txt}", "HelloHello"),
        ('<span style="font-size: 10px;">{!num}</span>', '<span style="font-size: 10px;">10</span>'),
    ],
)
def test_render(env, text, expected):
    assert parse_template(text).render(env) == expected


def test_template_references():
    template = parse_template("Hi {!Get_User.FirstName}, {!$Record.Owner.Name} {!Get_User.FirstName} {!bad")
    assert template.references == frozenset({"Get_User.FirstName", "$Record.Owner.Name"})


def test_template_sees_current_values(env):
    template = parse_template("{!count}")
    assert template.render(type(env)({"count": D(1)})) == "1"
    assert template.render(type(env)({"count": D(2)})) == "2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("text", "text"),
        (True, "true"),
        (False, "false"),
        (D("5"), "5"),
        (D("5.0"), "5"),
        (D("5.00"), "5"),
        (D("1.50"), "1.50"),
        (D("-0.25"), "-0.25"),
        (D("1E+3"), "1000"),
        (D("1E-7"), "0.0000001"),
        (D("-0"), "0"),
        (7, "7"),
        (0.1, "0.1"),
        (dt.date(2024, 1, 31), "2024-01-31"),
        (dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC), "2024-01-31T09:15:00.000Z"),
        (
            dt.datetime(2024, 1, 31, 10, 15, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "2024-01-31T09:15:00.123Z",
        ),
        (dt.datetime(2024, 1, 31, 9, 15), "2024-01-31T09:15:00.000Z"),  # naive is read as UTC
        (dt.time(9, 15), "09:15:00.000Z"),
        (["a", D(1), None, True], "a, 1, , true"),
        ([], ""),
        ({"Id": "001", "Name": "x"}, "001"),
        ({"id": "001"}, "001"),
        ({"Name": "no id"}, ""),
    ],
)
def test_format_merge_value(value, expected):
    assert format_merge_value(value) == expected

"""Logical functions and the record-change hooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from flowforce.formula import FormulaRuntimeError, SimpleEnvironment, compile_formula


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("AND(TRUE, TRUE)", True),
        ("AND(TRUE, FALSE)", False),
        ("AND(TRUE)", True),
        ("AND(TRUE, TRUE, FALSE)", False),
        ("AND(TRUE, nothing)", False),
        ("AND(FALSE, 1/0 = 1)", False),
        ("OR(FALSE, TRUE)", True),
        ("OR(FALSE, FALSE)", False),
        ("OR(nothing, FALSE)", False),
        ("OR(TRUE, 1/0 = 1)", True),
        ("NOT(TRUE)", False),
        ("NOT(nothing)", True),
        ("not(false)", True),
        ('IF(TRUE, "y", "n")', "y"),
        ('IF(FALSE, "y", "n")', "n"),
        ('IF(nothing, "y", "n")', "n"),  # a null condition takes the else branch
        ('IF(1 > 2, "y", IF(2 > 1, "inner", "n"))', "inner"),
        ("IF(TRUE, 1, 1/0)", D(1)),  # the untaken branch is not evaluated
        ("if(flag, num, 0)", D(10)),
        ('CASE(2, 1, "one", 2, "two", "other")', "two"),
        ('CASE(3, 1, "one", 2, "two", "other")', "other"),
        ('CASE("b", "a", 1, "b", 2, 0)', D(2)),
        ('CASE(d, DATE(2024, 1, 31), "today", "other")', "today"),
        ('CASE(nothing, 1, "one", "default")', "default"),
        ('CASE(MONTH(d), 1, "Jan", 2, "Feb", "?")', "Jan"),
        ('CASE(1, 1, "first", 1, "second", "none")', "first"),
        ('CASE("A", "a", "lower", "upper")', "upper"),  # case-sensitive like =
        ("ISBLANK(nothing)", True),
        ('ISBLANK("")', True),
        ("ISBLANK(empty)", True),
        ('ISBLANK(" ")', False),
        ("ISBLANK(0)", False),
        ("ISBLANK(txt)", False),
        ("ISBLANK(Account.Parent)", True),
        ("ISNULL(nothing)", True),
        ('ISNULL("")', False),  # confirmations.md §6d
        ("ISNULL(0)", False),
        ("ISNULL(Account.Parent.Name)", True),
        ('BLANKVALUE(nothing, "sub")', "sub"),
        ('BLANKVALUE("", "sub")', "sub"),
        ('BLANKVALUE("x", "sub")', "x"),
        ("BLANKVALUE(nothing, 0) + 1", D(1)),
        ('BLANKVALUE("x", 1/0)', "x"),
        ('NULLVALUE(nothing, "sub")', "sub"),
        ('NULLVALUE("", "sub")', ""),
        ("NULLVALUE(5, 0)", D(5)),
        ('ISNUMBER("12")', True),
        ('ISNUMBER("-1.5")', True),
        ('ISNUMBER(".5")', True),
        ('ISNUMBER("1e3")', True),
        ('ISNUMBER("12a")', False),
        ('ISNUMBER("")', False),
        ("ISNUMBER(nothing)", False),
        ("ISNUMBER(5)", True),
        ('ISPICKVAL($Record.Status, "Obsolete")', True),
        ('ISPICKVAL($Record.Status, "Open")', False),
        ('ISPICKVAL(nothing, "")', True),
        ("ISCLONE()", False),
    ],
)
def test_logical_functions(ev, expression, expected):
    assert ev(expression) == expected
    assert type(ev(expression)) is type(expected)


@pytest.mark.parametrize(
    "expression", ['IF("yes", 1, 2)', "AND(1, TRUE)", 'OR(FALSE, "x")', "NOT(1)", 'CASE(1, "1", 2, 3)']
)
def test_logical_type_errors(ev, expression):
    with pytest.raises(FormulaRuntimeError, match="Incorrect parameter type"):
        ev(expression)


class RecordChangeEnvironment(SimpleEnvironment):
    """An environment with the optional record-triggered hooks."""

    def __init__(self, current: dict[str, Any], prior: dict[str, Any], new: bool) -> None:
        super().__init__({"$Record": current}, now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        self._prior = SimpleEnvironment({"$Record": prior})
        self._new = new

    def prior(self, reference: str) -> Any:
        return self._prior.resolve(reference)

    def is_new(self) -> bool:
        return self._new


@pytest.fixture
def change_env() -> RecordChangeEnvironment:
    return RecordChangeEnvironment(
        {"Status": "Closed", "Name": "A"}, {"Status": "Open", "Name": "A"}, new=False
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("ISCHANGED({!$Record.Status})", True),
        ("ISCHANGED($Record.Name)", False),
        ('PRIORVALUE($Record.Status) & ">" & $Record.Status', "Open>Closed"),
        ("ISNEW()", False),
    ],
)
def test_record_change_hooks(change_env, expression, expected):
    assert compile_formula(expression).evaluate(change_env) == expected


@pytest.mark.parametrize(
    ("expression", "name"),
    [("ISCHANGED({!txt})", "ISCHANGED"), ("PRIORVALUE(txt)", "PRIORVALUE"), ("ISNEW()", "ISNEW")],
)
def test_record_change_hooks_without_support(env, expression, name):
    with pytest.raises(FormulaRuntimeError, match=f"{name} is not supported in flow formulas"):
        compile_formula(expression).evaluate(env)

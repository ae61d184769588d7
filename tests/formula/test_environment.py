"""SimpleEnvironment path resolution and the unsupported-function behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from flowforce.formula import FormulaEnvironment, FormulaRuntimeError, SimpleEnvironment, compile_formula
from flowforce.formula.functions.unsupported import UNSUPPORTED


@dataclass
class Owner:
    Name: str


@dataclass
class Account:
    Owner: Owner | None


@pytest.fixture
def simple() -> SimpleEnvironment:
    return SimpleEnvironment(
        {
            "rec": {"Name": "A", "Owner": {"Name": "Ann"}},
            "obj": Account(Owner("Bob")),
            "none": Account(None),
            "$Record.Status": "flat key",
        },
        now=dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("rec.Name", "A"),
        ("REC.name", "A"),
        ("rec.owner.NAME", "Ann"),
        ("rec.Missing", None),
        ("rec.Missing.Deeper", None),
        ("obj.Owner.Name", "Bob"),
        ("obj.owner.name", "Bob"),
        ("none.Owner.Name", None),
        ("$Record.Status", "flat key"),
        ("$Flow.CurrentDate", dt.date(2024, 5, 6)),
        ("$flow.currentdatetime", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)),
    ],
)
def test_resolve(simple, path, expected):
    assert simple.resolve(path) == expected


def test_unknown_top_level_name_is_an_error(simple):
    with pytest.raises(FormulaRuntimeError, match=r"Unknown reference 'nope\.x'"):
        simple.resolve("nope.x")


def test_simple_environment_satisfies_the_protocol(simple):
    assert isinstance(simple, FormulaEnvironment)
    assert simple.today() == dt.date(2024, 5, 6)


def test_default_clock_is_utc():
    assert SimpleEnvironment({}).now().utcoffset() == dt.timedelta(0)


def test_naive_clock_is_read_as_utc():
    env = SimpleEnvironment({}, now=dt.datetime(2024, 1, 1, 12, 0))
    assert env.now() == dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_unsupported_functions_compile_but_fail_at_evaluation(simple, name):
    formula = compile_formula(f'{name}("a", 1)')
    assert formula.functions == frozenset({name})
    with pytest.raises(FormulaRuntimeError) as caught:
        formula.evaluate(simple)
    assert str(caught.value) == f"Error evaluating formula: {name} is not supported in flow formulas"


def test_unsupported_function_in_untaken_branch_is_harmless(simple):
    assert compile_formula('IF(TRUE, "ok", IMAGE("x", "y"))').evaluate(simple) == "ok"

"""Custom condition logic shared by the validator and the engine."""

from __future__ import annotations

import pytest

from flowforce.metadata.logic import ConditionLogicError, parse_condition_logic


@pytest.mark.parametrize(
    ("logic", "results", "expected"),
    [
        ("and", [True, True], True),
        ("OR", [False, True], True),
        (None, [True, False], False),
        ("(1 OR 3) AND 2", [False, True, True], True),
        ("1 and not 2", [True, False], True),
        ("NOT (1 OR 2)", [False, False], True),
        ("((1 AND 2) OR 3) AND 4", [True, True, False, False], False),
    ],
)
def test_logic_evaluates(logic: str | None, results: list[bool], expected: bool) -> None:
    assert parse_condition_logic(logic, len(results)).evaluate(results) is expected


@pytest.mark.parametrize(
    ("logic", "count", "message"),
    [
        ("1 AND (2", 2, "a missing ')' in condition logic '1 AND (2'"),
        ("1 AND 3", 2, "condition logic '1 AND 3' refers to condition 3, but there are only 2"),
        ("1 XOR 2", 2, "unexpected word 'XOR' in condition logic '1 XOR 2'"),
        ("1 2", 2, "unexpected '2' in condition logic '1 2'"),
        ("1 AND", 1, "unexpected end in condition logic '1 AND'"),
        ("1 & 2", 2, "unexpected character '&' in condition logic '1 & 2'"),
        ("and", 0, "there are no conditions"),
    ],
)
def test_bad_logic_is_rejected(logic: str, count: int, message: str) -> None:
    with pytest.raises(ConditionLogicError) as caught:
        parse_condition_logic(logic, count)
    assert str(caught.value) == message

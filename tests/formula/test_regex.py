"""REGEX(): Java full-match semantics and the translated Java-only constructs."""

from __future__ import annotations

import pytest

from flowforce.formula import FormulaRuntimeError
from flowforce.formula.functions.regex import translate


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("12345", r"\d{5}", True),
        ("123456", r"\d{5}", False),  # the whole text must match
        ("a12345", r"\d{5}", False),
        ("999-99-9999", r"[0-9]{3}-[0-9]{2}-[0-9]{4}", True),
        ("abc", "ABC", False),
        ("abc", "(?i)ABC", True),
        ("abc", r"\p{Alpha}+", True),
        ("ab1", r"\p{Alpha}+", False),
        ("AB", r"\p{Upper}+", True),
        ("Ab", r"\p{Lower}\p{Lower}", False),
        ("a_1", r"[\p{Alnum}_]+", True),
        ("a-1", r"[\p{Alnum}_]+", False),
        ("1", r"\P{Alpha}", True),
        ("é", r"\p{L}", True),
        ("!?", r"\p{Punct}+", True),
        ("a.b", r"\Qa.b\E", True),
        ("axb", r"\Qa.b\E", False),
        ("aaa", "a*+", True),
        ("aaa", "a*+a", False),  # possessive quantifier never gives back
        ("ab", "(?>a|ab)", False),  # atomic group
        ("", ".*", True),
        ("line\nbreak", ".*", False),  # '.' stops at newlines like Java
    ],
)
def test_regex_matches(ev, text, pattern, expected):
    assert ev("REGEX(text, pattern)", {"text": text, "pattern": pattern}) is expected


def test_regex_null_text_reads_as_empty(ev):
    assert ev('REGEX(nothing, "")') is True
    assert ev('REGEX(nothing, "a+")') is False


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(unclosed", "REGEX() received an invalid pattern"), (r"\p{Greek}", "unsupported character class")],
)
def test_regex_errors(ev, pattern, message):
    with pytest.raises(FormulaRuntimeError, match="REGEX") as caught:
        ev('REGEX("x", pattern)', {"pattern": pattern})
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("java", "python"),
    [(r"\p{Digit}", "[0-9]"), (r"[\p{Digit}a]", "[0-9a]"), (r"\z", r"\Z"), (r"\Q(\E", r"\("), (r"\d", r"\d")],
)
def test_translate(java, python):
    assert translate(java) == python

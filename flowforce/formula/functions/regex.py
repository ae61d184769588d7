"""REGEX(): Java `String.matches` semantics on Python's `re`.

Salesforce evaluates REGEX with java.util.regex, whose match must cover the whole text. Python 3.11 already
has possessive quantifiers and atomic groups; this module translates the cheap remaining differences:
POSIX `\\p{Alpha}`-style classes, `\\Q…\\E` quoting, and `\\z`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flowforce.formula.errors import FormulaRuntimeError

_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0B\\f\\r",
    "L": "^\\W\\d_",  # any letter; only usable outside a class, see _class_for
    "IsAlphabetic": "^\\W\\d_",
}
_PROPERTY = re.compile(r"\\([pP])\{(?:Is)?(\w+)\}|\\p([LN])")


def _class_for(name: str, negated: bool, in_class: bool) -> str:
    content = _POSIX.get(name) or _POSIX.get("Is" + name)
    if content is None and name == "N":
        content = "0-9"
    if content is None:
        raise FormulaRuntimeError(f"REGEX() pattern uses an unsupported character class \\p{{{name}}}")
    if content.startswith("^"):  # expressed as a complement of other classes
        if in_class or negated:
            raise FormulaRuntimeError(f"REGEX() pattern uses \\p{{{name}}} in an unsupported position")
        return f"[{content}]"
    if in_class:
        if negated:
            raise FormulaRuntimeError("REGEX() pattern uses \\P{…} inside a character class")
        return content
    return f"[{'^' if negated else ''}{content}]"


def translate(pattern: str) -> str:
    """Rewrite the Java-only constructs of `pattern` into Python `re` syntax."""
    out: list[str] = []
    i, depth = 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and pattern.startswith("\\Q", i):
            end = pattern.find("\\E", i + 2)
            stop = len(pattern) if end < 0 else end
            out.append(re.escape(pattern[i + 2 : stop]))
            i = stop + 2
            continue
        if char == "\\":
            match = _PROPERTY.match(pattern, i)
            if match:
                negated = match.group(1) == "P"
                out.append(_class_for(match.group(2) or match.group(3), negated, depth > 0))
                i = match.end()
                continue
            pair = pattern[i : i + 2]
            out.append("\\Z" if pair == "\\z" else pair)
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_java_regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(translate(pattern))
    except re.error as error:
        raise FormulaRuntimeError(f"REGEX() received an invalid pattern {pattern!r}: {error}") from None


def regex_matches(text: str, pattern: str) -> bool:
    return compile_java_regex(pattern).fullmatch(text) is not None

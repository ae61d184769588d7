"""Compilation: syntax errors with positions, compile-time checks, references and function names."""

from __future__ import annotations

import pytest

from flowforce.formula import Formula, FormulaSyntaxError, compile_formula
from flowforce.formula.ast import Binary, Call, Literal, Reference
from flowforce.formula.parser import parse


@pytest.mark.parametrize(
    ("expression", "line", "column", "detail"),
    [
        ("IF(a, b, )", 1, 10, "unexpected ')'"),
        ("1 +", 1, 4, "unexpected end of formula"),
        ("(1 + 2", 1, 7, "unexpected end of formula"),
        ("1 + 2)", 1, 6, "unexpected ')'"),
        ("1 2", 1, 3, "unexpected '2'"),
        ('"abc', 1, 1, "unterminated string"),
        ("1 # 2", 1, 3, "unexpected character '#'"),
        ("IF(TRUE,\n  1,\n  2))", 3, 5, "unexpected ')'"),
        ("{!}", 1, 1, "invalid merge field '{!}'"),
        ("{!a b}", 1, 1, "invalid merge field '{!a b}'"),
        ("FOO(1)", 1, 1, "unknown function FOO"),
        ("1 + bogus_fn(2)", 1, 5, "unknown function BOGUS_FN"),
        ("IF(TRUE, 1)", 1, 1, "IF expects 3 arguments, received 2"),
        ('LEFT("a")', 1, 1, "LEFT expects 2 arguments, received 1"),
        ("TODAY(1)", 1, 1, "TODAY expects 0 arguments, received 1"),
        ("ABS()", 1, 1, "ABS expects 1 argument, received 0"),
        ("TRUNC(1, 2, 3)", 1, 1, "TRUNC expects 1 to 2 arguments, received 3"),
        ("AND()", 1, 1, "AND expects at least 1 argument, received 0"),
        ("CASE(1, 1, 2)", 1, 1, "CASE expects at least 4 arguments, received 3"),
        ("CASE(1, 1, 2, 3, 4)", 1, 1, "CASE needs a default value after the value/result pairs"),
        ("ISCHANGED(1 + 1)", 1, 1, "ISCHANGED expects a field reference"),
        ("Account.Name(1)", 1, 1, "'Account.Name' is not a function name"),
        ("", 1, 1, "the formula is empty"),
        ("NOT(TRUE, FALSE)", 1, 9, "unexpected ','"),
    ],
)
def test_syntax_errors(expression, line, column, detail):
    with pytest.raises(FormulaSyntaxError) as caught:
        compile_formula(expression)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert str(error) == f"Syntax error at line {line}, column {column}: {detail}"


def test_length_limit():
    assert compile_formula("1" * 3900).expression == "1" * 3900
    with pytest.raises(
        FormulaSyntaxError, match="formula is too long \\(3901 characters\\); the maximum is 3,900"
    ):
        compile_formula("1" * 3901)


def test_corpus_invalid_text_is_a_syntax_error():
    with pytest.raises(FormulaSyntaxError, match="line 1, column 6: unexpected 'case'"):
        compile_formula("This case is not going well: {!Loop_2.SuppliedName}")


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("1 + 2 * 3", Binary("+", Literal(1), Binary("*", Literal(2), Literal(3)))),
        ("a == b", Binary("=", Reference("a", 1, 1), Reference("b", 1, 6))),
        ("a != b", Binary("<>", Reference("a", 1, 1), Reference("b", 1, 6))),
        ("not(x)", Call("NOT", (Reference("x", 1, 5),), 1, 1)),
        ("'it\\'s'", Literal("it's")),
        ('"a\\\\b\\n\\t\\r\\"c"', Literal('a\\b\n\t\r"c')),
        ('"\\u00e9"', Literal("é")),
        ('"\\{"', Literal("\\{")),  # unknown escapes keep their backslash
        ("TRUE", Literal(True)),
        ("false", Literal(False)),
        ("Null", Literal(None)),
        ("1 /* comment */ + /* another\nline */ 2", Binary("+", Literal(1), Literal(2))),
    ],
)
def test_parse_tree(expression, tree):
    assert parse(expression) == tree


def test_references_and_functions():
    formula = compile_formula(
        "IF(ISBLANK({!$Record.Status}), Get_Account.Owner.Name, TEXT(Amount__c) & {! var })"
    )
    assert isinstance(formula, Formula)
    assert formula.references == frozenset({"$Record.Status", "Get_Account.Owner.Name", "Amount__c", "var"})
    assert formula.functions == frozenset({"IF", "ISBLANK", "TEXT"})
    assert formula.expression.startswith("IF(")


def test_keywords_do_not_swallow_longer_names():
    formula = compile_formula("TRUE__c && NOT_done && NULLABLE")
    assert formula.references == frozenset({"TRUE__c", "NOT_done", "NULLABLE"})


def test_function_names_are_case_insensitive(ev):
    assert compile_formula("left('abc', 1)").functions == frozenset({"LEFT"})
    assert ev("Left('abc', 1)") == "a"


def test_strings_may_contain_braces_and_operators(ev):
    assert ev('"{!not_a_merge} && ||"') == "{!not_a_merge} && ||"


def test_formula_is_immutable():
    formula = compile_formula("1")
    with pytest.raises(AttributeError):
        formula.expression = "2"  # type: ignore[misc]

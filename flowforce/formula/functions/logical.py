"""Logical functions: AND, OR, NOT, IF, CASE, the blank/null tests, and the record-change hooks."""

from __future__ import annotations

from typing import Any

from flowforce.formula.environment import FormulaEnvironment
from flowforce.formula.functions.registry import Thunk, function, not_supported
from flowforce.formula.operators import equals, truth
from flowforce.formula.values import NUMBER_TEXT, is_number


@function("AND", 1, None, mode="lazy")
def and_(env: FormulaEnvironment, *args: Thunk) -> bool:
    return all(truth(arg(env), "AND()") for arg in args)


@function("OR", 1, None, mode="lazy")
def or_(env: FormulaEnvironment, *args: Thunk) -> bool:
    return any(truth(arg(env), "OR()") for arg in args)


@function("NOT", 1, nulls=False)
def not_(value: Any) -> bool:
    # A null Boolean counts as false, so NOT(null) is true (UNCONFIRMED, consistent with AND/OR/IF).
    return not truth(value, "NOT()")


@function("IF", 3, mode="lazy")
def if_(env: FormulaEnvironment, condition: Thunk, then: Thunk, otherwise: Thunk) -> Any:
    # A null condition takes the else branch.
    return then(env) if truth(condition(env), "IF()") else otherwise(env)


def _case_arity(count: int) -> str | None:
    return None if count % 2 == 0 else "CASE needs a default value after the value/result pairs"


@function("CASE", 4, None, mode="lazy", extra_check=_case_arity)
def case(env: FormulaEnvironment, subject: Thunk, *rest: Thunk) -> Any:
    value = subject(env)
    for index in range(0, len(rest) - 1, 2):
        if equals(value, rest[index](env)):
            return rest[index + 1](env)
    return rest[-1](env)


def is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list) and not value)


@function("ISBLANK", 1, nulls=False)
def isblank(value: Any) -> bool:
    return is_blank(value)


@function("ISNULL", 1, nulls=False)
def isnull(value: Any) -> bool:
    # confirmations.md §6d: "" and null are distinct at run time, so ISNULL("") is false.
    return value is None


@function("BLANKVALUE", 2, mode="lazy")
def blankvalue(env: FormulaEnvironment, value: Thunk, substitute: Thunk) -> Any:
    current = value(env)
    return substitute(env) if is_blank(current) else current


@function("NULLVALUE", 2, mode="lazy")
def nullvalue(env: FormulaEnvironment, value: Thunk, substitute: Thunk) -> Any:
    current = value(env)
    return substitute(env) if current is None else current


@function("ISNUMBER", 1, nulls=False)
def isnumber(value: Any) -> bool:
    if isinstance(value, str):
        return NUMBER_TEXT.fullmatch(value.strip()) is not None
    return is_number(value)


@function("ISPICKVAL", 2, nulls=False)
def ispickval(field: Any, literal: Any) -> bool:
    return ("" if field is None else field) == ("" if literal is None else literal)


@function("ISCLONE", 0)
def isclone() -> bool:
    return False  # flows never run in a clone context


def _hook(env: FormulaEnvironment, hook: str, name: str) -> Any:
    method = getattr(env, hook, None)
    if method is None:
        raise not_supported(name)
    return method


@function("ISCHANGED", 1, mode="reference")
def ischanged(env: FormulaEnvironment, path: str) -> bool:
    """False for a record being created (Salesforce: ISCHANGED is false on insert, whatever the values)."""
    is_new = getattr(env, "is_new", None)
    if is_new is not None and is_new():
        return False
    prior = _hook(env, "prior", "ISCHANGED")(path)
    return bool(prior != env.resolve(path))


@function("PRIORVALUE", 1, mode="reference")
def priorvalue(env: FormulaEnvironment, path: str) -> Any:
    return _hook(env, "prior", "PRIORVALUE")(path)


@function("ISNEW", 0, mode="env")
def isnew(env: FormulaEnvironment) -> bool:
    return bool(_hook(env, "is_new", "ISNEW")())

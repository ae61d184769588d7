"""`Query.to_soql()`: what a Get Records trace shows; printing then parsing gives back the same AST."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from flowforce.soql import ast as q
from flowforce.soql import parse_soql

GRAMMAR = Path(__file__).parents[2] / "flowforce" / "soql" / "grammar.lark"
KEYWORDS = set(re.findall(r'^([A-Z]+): "', GRAMMAR.read_text(), re.M))


def test_prints_a_hand_built_query() -> None:
    query = q.Query(
        "Account",
        (q.FieldPath(("Id",)), q.FieldPath(("Owner", "Name")), q.Query("Contacts", (q.FieldPath(("Email",)),))),
        where=q.And((
            q.Comparison(q.FieldPath(("Name",)), "=", q.Literal("O'Brien")),
            q.Or((q.Comparison(q.FieldPath(("Amount",)), ">=", q.Literal(Decimal("1.50"))),
                  q.Not(q.Comparison(q.FieldPath(("Type",)), "IN", q.Literal(("a", None)))))),
            q.Comparison(q.FieldPath(("CreatedDate",)), "<", q.DateLiteral("LAST_N_DAYS", 3)),
        )),
        order_by=(q.OrderItem(q.FieldPath(("Name",)), descending=True, nulls_first=True),),
        limit=10,
    )  # fmt: skip
    assert query.to_soql() == (
        "SELECT Id, Owner.Name, (SELECT Email FROM Contacts) FROM Account WHERE Name = 'O\\'Brien' AND "
        "(Amount >= 1.50 OR NOT Type IN ('a', null)) AND CreatedDate < LAST_N_DAYS:3 "
        "ORDER BY Name DESC NULLS FIRST LIMIT 10"
    )
    assert parse_soql(query.to_soql()) == query


def test_datetimes_print_in_utc() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    condition = q.Comparison(q.FieldPath(("CreatedDate",)), ">", q.Literal(dt.datetime(2024, 1, 1, 2, tzinfo=plus_two)))
    assert q.Query("Account", (q.FieldPath(("Id",)),), where=condition).to_soql().endswith("> 2024-01-01T00:00:00Z")


# --- round trip -------------------------------------------------------------------------------------------

identifiers = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,7}", fullmatch=True).filter(lambda s: s.upper() not in KEYWORDS)
paths = st.lists(identifiers, min_size=1, max_size=3).map(lambda parts: q.FieldPath(tuple(parts)))
functions = st.builds(lambda name, args: q.FunctionCall(name, tuple(args)), identifiers,
                      st.lists(paths, max_size=1))  # fmt: skip
exprs = st.one_of(paths, functions)
scalars = st.one_of(
    st.text(st.characters(blacklist_characters="\x00"), max_size=8),  # SOQL refuses NUL (issue 9 item 5)
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
)
date_literals = st.one_of(
    st.sampled_from(["TODAY", "YESTERDAY", "THIS_MONTH", "NEXT_FISCAL_YEAR"]).map(q.DateLiteral),
    st.builds(q.DateLiteral, st.sampled_from(["LAST_N_DAYS", "N_WEEKS_AGO"]), st.integers(0, 500)),
)


def comparisons(subqueries: st.SearchStrategy[q.Query]) -> st.SearchStrategy[q.Comparison]:
    single = st.builds(q.Comparison, exprs, st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "LIKE"]),
                       st.one_of(scalars.map(q.Literal), date_literals))  # fmt: skip
    listed = st.builds(q.Comparison, exprs, st.sampled_from(["IN", "NOT IN", "INCLUDES", "EXCLUDES"]),
                       st.lists(scalars, min_size=1, max_size=3).map(lambda v: q.Literal(tuple(v))))  # fmt: skip
    semi = st.builds(q.Comparison, paths, st.sampled_from(["IN", "NOT IN"]), subqueries)
    return st.one_of(single, listed, semi)


def conditions(subqueries: st.SearchStrategy[q.Query]) -> st.SearchStrategy[q.Condition]:
    return st.recursive(
        comparisons(subqueries),
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=3).map(lambda ops: q.And(tuple(ops))),
            st.lists(inner, min_size=2, max_size=3).map(lambda ops: q.Or(tuple(ops))),
            inner.map(q.Not),
        ),
        max_leaves=5,
    )


def queries(children: st.SearchStrategy[q.Query] | None) -> st.SearchStrategy[q.Query]:
    items = st.one_of(paths, functions, st.builds(q.Alias, exprs, identifiers),
                      st.sampled_from(["ALL", "STANDARD", "CUSTOM"]).map(q.FieldsMacro))  # fmt: skip
    if children is not None:
        items = st.one_of(items, children)
    sub = children if children is not None else st.builds(q.Query, identifiers, st.tuples(paths))
    return st.builds(
        q.Query,
        identifiers,
        st.lists(items, min_size=1, max_size=4).map(tuple),
        where=st.none() | conditions(sub),
        order_by=st.lists(st.builds(q.OrderItem, exprs, st.booleans(), st.none() | st.booleans()), max_size=2).map(
            tuple
        ),
        limit=st.none() | st.integers(0, 50_000),
        offset=st.none() | st.integers(0, 2000),
        group_by=st.lists(exprs, max_size=2).map(tuple),
        having=st.none() | conditions(sub),
        all_rows=st.booleans(),
        for_update=st.booleans(),
    )


@settings(max_examples=300, deadline=None)
@given(queries(queries(None)))
def test_parse_of_print_round_trips(query: q.Query) -> None:
    assert parse_soql(query.to_soql()) == query

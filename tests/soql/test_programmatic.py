"""Get Records' path: queries built as AST objects, compiled once, run many times; plus the compile cache."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flowforce.soql import QueryCache, compile_query, run_soql
from flowforce.soql import ast as q

from .conftest import names


def get_records(object_name: str, fields: list[str], **options):  # type: ignore[no-untyped-def]
    return q.Query(object_name, tuple(q.FieldPath(tuple(f.split("."))) for f in fields), **options)


def test_hand_built_query_runs_without_string_formatting(tx, registry) -> None:  # type: ignore[no-untyped-def]
    query = get_records(
        "Account", ["Id", "Name"],
        where=q.And((
            q.Comparison(q.FieldPath(("Name",)), "LIKE", q.Literal("%O'Brien%")),  # no quoting to get wrong
            q.Comparison(q.FieldPath(("Industry",)), "=", q.Literal(None)),
        )),
    )  # fmt: skip
    assert compile_query(query, registry, tx.tables).execute(tx).records == []
    query = get_records("Account", ["Name"], where=q.Comparison(q.FieldPath(("Name",)), "=", q.Literal("acme")))
    assert names(compile_query(query, registry, tx.tables).execute(tx)) == ["Acme"]


def test_flow_filter_operators_map_onto_soql(tx, registry) -> None:  # type: ignore[no-untyped-def]
    def run(condition: q.Condition) -> list[str]:
        query = get_records("Account", ["Name"], where=condition, order_by=(q.OrderItem(q.FieldPath(("Name",))),))
        return names(compile_query(query, registry, tx.tables).execute(tx))

    name = q.FieldPath(("Name",))
    assert run(q.Comparison(name, "LIKE", q.Literal("%corp"))) == ["beta corp"]  # EndsWith
    assert run(q.Comparison(name, "IN", q.Literal(["Gamma", "Acme"]))) == ["Acme", "Gamma"]
    assert run(q.Comparison(name, "IN", q.Literal([]))) == []  # In with an empty collection: no records
    assert len(run(q.Comparison(name, "NOT IN", q.Literal([])))) == 4  # NotIn empty: all records
    assert run(q.Comparison(q.FieldPath(("AnnualRevenue",)), ">", q.Literal(300))) == ["Acme"]
    assert run(q.Comparison(q.FieldPath(("AnnualRevenue",)), "<", q.Literal(Decimal("300.5")))) == ["beta corp"]


def test_compiled_query_is_reusable_and_reports_its_soql(tx, registry) -> None:  # type: ignore[no-untyped-def]
    query = get_records("Contact", ["Id", "Account.Name"], limit=1,
                        order_by=(q.OrderItem(q.FieldPath(("LastName",)), descending=True),))  # fmt: skip
    compiled = compile_query(query, registry, tx.tables)
    assert compiled.soql == "SELECT Id, Account.Name FROM Contact ORDER BY LastName DESC LIMIT 1"
    first, second = compiled.execute(tx), compiled.execute(tx)
    assert first == second and first.total_size == 1


def test_run_soql_caches_compiled_queries_by_text(tx) -> None:  # type: ignore[no-untyped-def]
    cache = QueryCache(size=2)
    text = "SELECT Id FROM Account"
    run_soql(text, tx, cache=cache)
    compiled = cache.get(text, tx.registry, tx.tables)
    assert cache.get(text, tx.registry, tx.tables) is compiled
    cache.get("SELECT Id FROM Contact", tx.registry, tx.tables)
    cache.get("SELECT Id FROM Case", tx.registry, tx.tables)
    assert cache.get(text, tx.registry, tx.tables) is not compiled  # evicted (LRU of 2)


def test_formula_fields_are_computed_after_loading(soql) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("flowforce.formula")
    records = soql("SELECT Name, Double_Budget__c FROM Project__c WHERE Name = 'P2'").records
    assert list(records[0]) == ["Name", "Double_Budget__c"]  # the formula's inputs are not left behind
    assert records[0]["Double_Budget__c"] == Decimal("199.98")

"""SOQL vs hand-written SQLAlchemy on 100,000 Accounts (SQLite always; PostgreSQL with --pg or
FLOWFORCE_TEST_DATABASE_URL). Prints per-query times, the SOQL/hand-written ratio (target ≤ 1.5×), and
parse+translate µs per query. No asserts: it is a measurement.

    python bench/soql.py [--rows 100000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pg_scratch import postgres_scratch_schema

from flowforce.records.ids import IdFactory
from flowforce.records.limits import GovernorLimits
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.soql import compile_query, parse_soql, run_soql
from flowforce.soql.parser import _lark

INDUSTRIES = ("Banking", "Media", "Retail", "Energy", "Technology")
USERS = 100
PER_PARENT = 10


def seed(store: RecordStore, rows: int) -> dict[str, str]:
    """Bulk-insert Users and Accounts straight through SQLAlchemy (the DML layer is not what we measure)."""
    now = dt.datetime(2024, 1, 1)
    account, user, profile = (store.tables.table(n) for n in ("Account", "User", "Profile"))
    system = {"isdeleted": False, "createddate": now, "lastmodifieddate": now, "systemmodstamp": now}
    profile_id = IdFactory("00e").new_id()
    users = [IdFactory("005").new_id() for _ in range(USERS)]
    account_ids = IdFactory("001")
    with store.engine.begin() as conn:
        conn.execute(profile.insert(), [{"id": profile_id, "name": "Standard", **system}])
        conn.execute(user.insert(), [
            {"id": uid, "lastname": f"User {i}", "name": f"User {i}", "username": f"u{i}@bench.test",
             "email": f"u{i}@bench.test", "alias": f"u{i}", "profileid": profile_id, "isactive": True, **system}
            for i, uid in enumerate(users)
        ])  # fmt: skip
        parents: list[str] = []
        batch: list[dict[str, Any]] = []
        for i in range(rows):
            record_id = account_ids.new_id()
            if i % PER_PARENT == 0:
                parents.append(record_id)
            batch.append({
                "id": record_id, "name": f"Account {i:06d}", "industry": INDUSTRIES[i % len(INDUSTRIES)],
                "annualrevenue": Decimal(i % 1000), "ownerid": users[i % USERS],
                "parentid": parents[-1] if i % PER_PARENT else None, **system,
            })  # fmt: skip
            if len(batch) == 10_000:
                conn.execute(account.insert(), batch)
                batch = []
        if batch:
            conn.execute(account.insert(), batch)
        conn.exec_driver_sql("ANALYZE")
    return {"parent": parents[len(parents) // 2], "user": users[USERS // 2], "name": f"Account {rows // 2:06d}"}


def queries(store: RecordStore, keys: dict[str, str]) -> list[tuple[str, str, Any]]:
    """(label, SOQL, equivalent hand-written SQLAlchemy statement)."""
    account, user = store.tables.table("Account"), store.tables.table("User")
    live = account.c.isdeleted == sa.false()
    owner = user.alias("owner")
    return [
        (
            "indexed field (ParentId =, 9 rows)",
            f"SELECT Id, Name, Industry, AnnualRevenue FROM Account WHERE ParentId = '{keys['parent']}'",
            sa.select(account.c.id, account.c.name, account.c.industry, account.c.annualrevenue).where(
                live, account.c.parentid == keys["parent"]
            ),
        ),
        (
            "relationship (Owner.Name, OwnerId =, ORDER BY Name LIMIT 200)",
            f"SELECT Id, Name, Owner.Name, Owner.Email FROM Account WHERE OwnerId = '{keys['user']}' "
            "ORDER BY Name LIMIT 200",
            sa.select(account.c.id, account.c.name, owner.c.id, owner.c.name, owner.c.email)
            .select_from(account.outerjoin(owner, owner.c.id == account.c.ownerid))
            .where(live, account.c.ownerid == keys["user"])
            .order_by(sa.func.lower(account.c.name))
            .limit(200),
        ),
        (
            "relationship filter (Owner.Email = ..., LIMIT 50)",
            "SELECT Id, Name FROM Account WHERE Owner.Email = 'u7@bench.test' LIMIT 50",
            sa.select(account.c.id, account.c.name)
            .select_from(account.outerjoin(owner, owner.c.id == account.c.ownerid))
            .where(live, sa.func.lower(owner.c.email) == sa.func.lower(sa.literal("u7@bench.test")))
            .limit(50),
        ),
        (
            "text equality (Name =, case-insensitive, lower() index)",
            f"SELECT Id, Name FROM Account WHERE Name = '{keys['name']}'",
            sa.select(account.c.id, account.c.name).where(
                live, sa.func.lower(account.c.name) == sa.func.lower(sa.literal(keys["name"]))
            ),
        ),
    ]


def timed(run: Callable[[], Any], repeat: int) -> float:
    """Median seconds per call over 5 rounds of *repeat* calls."""
    run()
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            run()
        rounds.append((time.perf_counter() - start) / repeat)
    return statistics.median(rounds)


def bench_store(label: str, url: str, rows: int, repeat: int) -> None:
    registry = SchemaRegistry.standard()
    store = RecordStore(url, registry)
    try:
        started = time.perf_counter()
        keys = seed(store, rows)
        print(f"\n== {label}: {rows:,} Accounts seeded in {time.perf_counter() - started:.1f} s")
        unlimited = GovernorLimits(max_soql_queries=10**9, max_soql_rows=10**12)
        tx = store.transaction(limits=unlimited)
        try:
            for name, soql, statement in queries(store, keys):
                soql_s = timed(lambda soql=soql: run_soql(soql, tx), repeat)  # type: ignore[misc]
                hand_s = timed(lambda st=statement: tx.connection.execute(st).all(), repeat)  # type: ignore[misc]
                count = run_soql(soql, tx).total_size
                print(f"  {name:<62} rows={count:<4} SOQL {soql_s * 1e3:7.3f} ms   "
                      f"hand-written {hand_s * 1e3:7.3f} ms   ratio {soql_s / hand_s:4.2f}x")  # fmt: skip
        finally:
            tx.rollback()
        print_compile_cost(store)
    finally:
        store.close()


def print_compile_cost(store: RecordStore) -> None:
    _lark()
    texts = [soql for _, soql, _ in queries(store, {"parent": "001000000000001AAA", "user": "005000000000001AAA",
                                                    "name": "x"})]  # fmt: skip
    for text in texts:
        parse_s = timed(lambda text=text: parse_soql(text), 200)  # type: ignore[misc]
        total_s = timed(lambda text=text: compile_query(parse_soql(text), store.registry, store.tables), 200)  # type: ignore[misc]
        print(f"  parse {parse_s * 1e6:6.0f} µs   parse+resolve+translate {total_s * 1e6:6.0f} µs   {text[:60]}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--pg", default=os.environ.get("FLOWFORCE_TEST_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_store("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.rows, args.repeat)
    if args.pg:
        with postgres_scratch_schema(args.pg) as url:
            bench_store("PostgreSQL", url, args.rows, args.repeat)


if __name__ == "__main__":
    main()

"""Bulkified record elements: a Get+Create flow (look up an Account by Name, create a Contact for it) run for
1 interview and for 200 interviews in one batch. Prints SOQL/DML counts of each and the wall-time ratio
200-vs-1 (issue target: ≤ 5×), best of N runs, each one `Org.run` rolled back afterwards.

    python3 bench/bulk.py [--repeat 5] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

PostgreSQL runs too when --pg or FLOWFORCE_TEST_DATABASE_URL is given (in a scratch schema, dropped after).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pg_scratch import postgres_scratch_schema

from flowforce.metadata.model import Flow
from flowforce.metadata.parser import parse_flow_bytes
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.runtime import Org

FLOW = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Contact for Account</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start><locationX>0</locationX><locationY>0</locationY>
    <connector><targetReference>Get_Account</targetReference></connector></start>
  <variables><name>Company</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>true</isInput><isOutput>false</isOutput></variables>
  <variables><name>LastName</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>true</isInput><isOutput>false</isOutput></variables>
  <variables><name>ContactId</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>false</isInput><isOutput>true</isOutput></variables>
  <recordLookups><name>Get_Account</name><label>Get Account</label><locationX>0</locationX><locationY>0</locationY>
    <assignNullValuesIfNoRecordsFound>false</assignNullValuesIfNoRecordsFound>
    <connector><targetReference>Create_Contact</targetReference></connector>
    <filterLogic>and</filterLogic>
    <filters><field>Name</field><operator>EqualTo</operator>
      <value><elementReference>Company</elementReference></value></filters>
    <getFirstRecordOnly>true</getFirstRecordOnly><object>Account</object>
    <storeOutputAutomatically>true</storeOutputAutomatically></recordLookups>
  <recordCreates><name>Create_Contact</name><label>Create Contact</label><locationX>0</locationX>
    <locationY>0</locationY><assignRecordIdToReference>ContactId</assignRecordIdToReference>
    <inputAssignments><field>LastName</field><value><elementReference>LastName</elementReference></value>
    </inputAssignments>
    <inputAssignments><field>AccountId</field><value><elementReference>Get_Account.Id</elementReference></value>
    </inputAssignments>
    <object>Contact</object><storeOutputAutomatically>false</storeOutputAutomatically></recordCreates>
</Flow>"""

ACCOUNTS = 200


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


def seed(store: RecordStore) -> list[str]:
    names = [f"Company {i:03}" for i in range(ACCOUNTS)]
    with store.transaction() as tx:
        results = tx.insert("Account", [{"Name": name} for name in names])
        assert all(result.success for result in results)
    return names


def one_run(org: Org, flow: Flow, inputs: list[dict[str, str]]) -> tuple[float, str]:
    """One `Org.run`, rolled back so every repetition starts from the same store."""
    started = time.perf_counter()
    run = org.run(flow, inputs, commit=False)
    elapsed = time.perf_counter() - started
    assert run.batch.all_succeeded, [r.failure for r in run.batch.results if not r.success][:1]
    limits = run.limits
    assert limits is not None
    counts = f"SOQL {limits.soql_queries} ({limits.soql_rows} rows), DML {limits.dml_statements} " \
             f"({limits.dml_rows} rows)"
    return elapsed, counts


def bench(label: str, url: str, repeat: int) -> None:
    store = RecordStore.open(url, SchemaRegistry.standard())
    org = Org.on_store(store)
    try:
        names = seed(store)
        flow = parse_flow_bytes(FLOW.encode(), api_name="Contact_for_Account")
        sizes = {1: [{"Company": names[0], "LastName": "Solo"}],
                 ACCOUNTS: [{"Company": names[i], "LastName": f"Bulk {i:03}"} for i in range(ACCOUNTS)]}
        one_run(org, flow, sizes[1])  # warm-up: compiled queries, connection pool
        best = {size: float("inf") for size in sizes}
        counts: dict[int, str] = {}
        for _ in range(repeat):
            for size, inputs in sizes.items():
                elapsed, counts[size] = one_run(org, flow, inputs)
                best[size] = min(best[size], elapsed)
    finally:
        store.close()
    print(f"{label}:")
    for size in sizes:
        print(f"  {size:>3} interview(s): {best[size] * 1000:8.2f} ms  "
              f"({best[size] * 1e6 / size:8.1f} µs/interview)  {counts[size]}")
    print(f"  ratio {ACCOUNTS} vs 1: {best[ACCOUNTS] / best[1]:.2f}×  (target ≤ 5×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("FLOWFORCE_TEST_DATABASE_URL"),
                        help="PostgreSQL URL (default: $FLOWFORCE_TEST_DATABASE_URL)")
    args = parser.parse_args()
    with sqlite_url() as url:
        bench("SQLite", url, args.repeat)
    if args.pg:
        with postgres_scratch_schema(args.pg) as url:
            bench("PostgreSQL", url, args.repeat)


if __name__ == "__main__":
    main()

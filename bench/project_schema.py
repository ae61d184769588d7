"""What the project-schema features cost: roll-up summaries kept on write, formula fields filtered in SOQL.

    python3 bench/project_schema.py [--rows 2000] [--database sqlite:///tmp/bench.db]

Part 1 inserts NPSP Engagement Plan Tasks in batches of 200 under one template, with the template's two COUNT
roll-ups and with a copy of the project without them: ms per batch, and the ratio — the price of keeping
roll-ups on write, which makes every later read, filter and sort on them free.
Part 2 runs `WHERE Total__c > x` (a formula field) and `WHERE Amount__c > x` (a stored one) over N invoices: the
formula's values are computed per execution (soql/formula_values.py), so the ratio grows with the table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flowforce.records.limits import GovernorLimits  # noqa: E402
from flowforce.records.schema import SchemaRegistry  # noqa: E402
from flowforce.records.store import RecordStore  # noqa: E402
from flowforce.soql.execution import run_soql  # noqa: E402

FIXTURES = ROOT / "tests" / "records" / "fixtures"
BATCH = 200


def _timed(action: object, repeat: int) -> float:
    """Median milliseconds of *repeat* calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _task_insert_ms(url: str, project: Path, rows: int) -> float:
    """Median ms of inserting BATCH Engagement Plan Tasks under one template, in *project*'s schema."""
    with RecordStore(url, SchemaRegistry.load(project)) as store:
        with store.transaction(limits=GovernorLimits.unlimited()) as tx:
            template = tx.insert("Engagement_Plan_Template__c", [{"Name": "Bench"}])[0].id

        def insert() -> None:
            with store.transaction(limits=GovernorLimits.unlimited()) as tx:
                tx.insert("Engagement_Plan_Task__c", [{"Name": f"row {n}", "Engagement_Plan_Template__c": template}
                                                      for n in range(BATCH)])

        return _timed(insert, max(rows // BATCH, 1))


def roll_ups(scratch: Path, database: str | None, rows: int) -> None:
    plain = scratch / "npsp-without-roll-ups"
    shutil.copytree(FIXTURES / "npsp", plain)
    for summary in plain.rglob("Engagement_Plan_Template__c/fields/Total_*.field-meta.xml"):
        summary.unlink()
    with_roll_up = _task_insert_ms(database or f"sqlite:///{scratch}/rollups.db", FIXTURES / "npsp", rows)
    without = _task_insert_ms(database or f"sqlite:///{scratch}/plain.db", plain, rows)
    print(f"roll-ups: {BATCH} Engagement Plan Tasks per insert: {with_roll_up:.1f} ms with the template's two COUNT "
          f"roll-ups, {without:.1f} ms without them (x{with_roll_up / without:.2f})")


def formula_filter(url: str, rows: int) -> None:
    with RecordStore(url, SchemaRegistry.load(FIXTURES / "project")) as store:
        with store.transaction(limits=GovernorLimits.unlimited()) as tx:
            for start in range(0, rows, BATCH):
                tx.insert("Invoice__c", [{"Title__c": f"i{n}", "Amount__c": n % 500, "Quantity__c": 2}
                                         for n in range(start, min(start + BATCH, rows))])

        def query(soql: str) -> None:
            with store.transaction(limits=GovernorLimits.unlimited()) as tx:
                run_soql(soql, tx)

        formula = _timed(lambda: query("SELECT Id FROM Invoice__c WHERE Total__c > 900 ORDER BY Total__c"), 5)
        stored = _timed(lambda: query("SELECT Id FROM Invoice__c WHERE Amount__c > 450 ORDER BY Amount__c"), 5)
        print(f"formula filter over {rows} rows: {formula:.1f} ms on a formula field, {stored:.1f} ms on a stored "
              f"field (x{formula / stored:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--database", help="a database URL (default: a SQLite file in a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        roll_ups(Path(scratch), args.database, args.rows)
        formula_filter(args.database or f"sqlite:///{scratch}/formulas.db", args.rows)


if __name__ == "__main__":
    main()

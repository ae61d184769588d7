"""Compiled SOQL: parse and resolve once, translate once per soft-delete mode, run many times.

Statements are dialect-neutral, so one CompiledQuery runs on SQLite and PostgreSQL alike, and
relative date literals are bound per execution (a cached query stays right across midnight).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from threading import Lock
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.schema import SchemaRegistry
from flowforce.records.tables import TableMap
from flowforce.soql import ast
from flowforce.soql.bound import ResolvedChild, ResolvedQuery
from flowforce.soql.errors import SoqlError
from flowforce.soql.formula_values import materialized
from flowforce.soql.parser import parse_soql
from flowforce.soql.resolver import resolve
from flowforce.soql.results import ChildResult, QueryResult, RecordLayout, aggregate_record, record_layout
from flowforce.soql.translator import PARENT_IDS, Statement, Translator, date_param_value

CHILD_BATCH = 500  # parent ids bound per child-subquery statement


class SoqlTransaction(Protocol):
    """What running a query needs from records' Transaction."""

    connection: Connection
    limits: GovernorLimits
    registry: SchemaRegistry

    def count_soql(self, rows: int = 0) -> None: ...

    def count_soql_rows(self, rows: int) -> None: ...

    def now(self) -> Any: ...


@dataclass
class _Plan:
    """Everything needed to run the query in one soft-delete mode."""

    main: Statement
    layout: RecordLayout | None
    children: list[tuple[ResolvedChild, Statement, RecordLayout]]


class CompiledQuery:
    def __init__(self, query: ast.Query, resolved: ResolvedQuery, tables: TableMap) -> None:
        self.query = query
        self.resolved = resolved
        self.tables = tables
        self._plans: dict[bool, _Plan] = {}
        self.plan(include_deleted=False)

    @property
    def soql(self) -> str:
        """The SOQL text (as written, or printed from a hand-built query) — for traces."""
        return self.query.source or self.query.to_soql()

    @property
    def kind(self) -> str:
        return self.resolved.kind

    def plan(self, include_deleted: bool) -> _Plan:
        include_deleted = include_deleted or self.resolved.all_rows
        plan = self._plans.get(include_deleted)
        if plan is None:
            plan = self._plans[include_deleted] = self._translate(include_deleted)
        return plan

    def _translate(self, include_deleted: bool) -> _Plan:
        main = Translator(self.tables, include_deleted).main(self.resolved)
        layout = record_layout(self.resolved, main.index) if self.resolved.kind == "records" else None
        children = []
        for child in self.resolved.children:
            statement = Translator(self.tables, include_deleted).child(child)
            children.append((child, statement, record_layout(child.query, statement.index)))
        return _Plan(main, layout, children)

    def statement(self, include_deleted: bool = False) -> Any:
        """The main SQLAlchemy statement (for tests and EXPLAIN)."""
        return self.plan(include_deleted).main.select

    # --- running ------------------------------------------------------------------------------------
    def execute(self, transaction: SoqlTransaction, *, include_deleted: bool = False,
                count_query: bool = True) -> QueryResult:
        """Run in *transaction*: one SOQL query for the limits (unless the caller counted it: a bulk element's
        several questions are one query), rows counted as Salesforce counts them."""
        plan = self.plan(include_deleted)
        if count_query:
            transaction.count_soql(0)
        return self._run(plan, plan.main, transaction, include_deleted)

    def execute_window(self, transaction: SoqlTransaction, *, offset: int, size: int,
                       include_deleted: bool = False) -> QueryResult:
        """Rows *offset* … *offset + size* of the result, read from the store — a query cursor's page.

        The query's own LIMIT/OFFSET still bound the window, and records are ordered by Id after the query's
        ORDER BY so every page of one cursor sees the same order. `total_size` is the page's size.
        """
        plan = self.plan(include_deleted)
        transaction.count_soql(0)
        return self._run(plan, self._windowed(plan.main, offset, size), transaction, include_deleted)

    def count_rows(self, transaction: SoqlTransaction, *, include_deleted: bool = False) -> int:
        """How many rows the whole query returns (a cursor's totalSize), without reading them."""
        main = self.plan(include_deleted).main
        statement = Statement(sa.select(sa.func.count()).select_from(main.select.subquery()), {}, main.date_params)
        with materialized(main.formulas, transaction.connection, self.tables, transaction,
                          include_deleted=include_deleted or self.resolved.all_rows):
            return int(_fetch(transaction.connection, statement, transaction.now().date(), 1)[0][0])

    def _windowed(self, main: Statement, offset: int, size: int) -> Statement:
        resolved = self.resolved
        start = (resolved.offset or 0) + offset
        stop = size if resolved.limit is None else max(0, min(size, resolved.limit - offset))
        select = main.select
        if resolved.kind == "records":
            select = select.order_by(select.selected_columns[main.index[("id", ())]])
        return replace(main, select=select.limit(stop).offset(start))

    def _run(self, plan: _Plan, main: Statement, transaction: SoqlTransaction,
             include_deleted: bool) -> QueryResult:
        today = transaction.now().date()
        connection = transaction.connection
        with materialized(plan.main.formulas, connection, self.tables, transaction,
                          include_deleted=include_deleted or self.resolved.all_rows):
            rows = _fetch(connection, main, today, _remaining(transaction))
        if self.resolved.kind == "count":
            transaction.count_soql_rows(1)
            return QueryResult([], int(rows[0][0]))
        if self.resolved.kind == "aggregate":
            return self._aggregate_result(main, rows, transaction)
        assert plan.layout is not None
        records: list[Record] = [record for record in map(plan.layout.build, rows) if record is not None]
        counted = len(records)
        for child, statement, layout in plan.children:
            counted += self._attach_children(records, child, statement, layout, transaction, today, counted)
        transaction.count_soql_rows(counted)
        self._evaluate_formulas(plan, records, transaction)
        return QueryResult(records, len(records))

    def _aggregate_result(self, statement: Statement, rows: list[Any], transaction: SoqlTransaction) -> QueryResult:
        names = [column.name for column in self.resolved.columns]
        if statement.hidden_rows_counter:
            transaction.count_soql_rows(sum(int(row[-1]) for row in rows))
        else:
            transaction.count_soql_rows(len(rows) if self.resolved.group_by else 1)
        records = [aggregate_record(names, row[: len(names)]) for row in rows]
        return QueryResult(records, len(records))

    def _attach_children(
        self,
        parents: list[Record],
        child: ResolvedChild,
        statement: Statement,
        layout: RecordLayout,
        transaction: SoqlTransaction,
        today: Any,
        counted: int,
    ) -> int:
        """Load one child relationship for all parents, a batch of parent ids per statement."""
        by_parent: dict[str, list[Record]] = {}
        remaining = _remaining(transaction) - counted
        ids = [parent.known_id for parent in parents]
        for batch in _batches([i for i in ids if i], CHILD_BATCH):
            rows = _fetch(transaction.connection, statement, today, remaining, {PARENT_IDS: batch})
            remaining -= len(rows)
            for row in rows:
                record = layout.build(row)
                if record is not None:
                    by_parent.setdefault(row[0], []).append(record)
        total = 0
        for parent, parent_id in zip(parents, ids):
            found = by_parent.get(parent_id or "")
            total += len(found or ())
            # reference/api-surface.md §5: an empty child relationship is null, not an empty block.
            parent[child.name] = ChildResult(found, len(found)) if found else None
        return total

    def _evaluate_formulas(self, plan: _Plan, records: list[Record], transaction: SoqlTransaction) -> None:
        layouts = [(plan.layout, records)] + [
            (layout, [r for p in records for r in (p.get(child.name) or ChildResult([], 0)).records])
            for child, _, layout in plan.children
        ]
        for layout, items in layouts:
            if layout is not None and layout.needs_formulas:
                for record in items:
                    layout.evaluate_formulas(record, transaction)


def _remaining(transaction: SoqlTransaction) -> int:
    limits = transaction.limits
    return max(limits.max_soql_rows - limits.soql_rows, 0)


def _fetch(
    connection: Connection, statement: Statement, today: Any, cap: int, extra: dict[str, Any] | None = None
) -> list[Any]:
    """Run a statement; stop reading one row past *cap* (the row limit will fail the query anyway)."""
    params = {p.key: date_param_value(p, today) for p in statement.date_params}
    if extra:
        params.update(extra)
    result = connection.execute(statement.select, params)
    rows = result.fetchmany(min(cap + 1, 2**31 - 1))
    result.close()
    return list(rows)


def _batches(items: Sequence[str], size: int) -> Iterable[list[str]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- entry points -------------------------------------------------------------------------------------


def compile_query(query: ast.Query, registry: SchemaRegistry, tables: TableMap) -> CompiledQuery:
    """Resolve and translate a parsed or hand-built query.

    A hand-built query (no source text) that fails is printed and re-parsed, so its error carries
    Salesforce's row/column framing like one written by hand.
    """
    try:
        return CompiledQuery(query, resolve(query, registry), tables)
    except SoqlError as error:
        if query.source is not None:
            raise
        reparsed = parse_soql(query.to_soql())
        try:
            resolve(reparsed, registry)
        except SoqlError as located:
            raise located from None
        raise error from None


class QueryCache:
    """LRU of compiled queries keyed by SOQL text (per registry/tables pair)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, int, str], CompiledQuery] = OrderedDict()
        self._lock = Lock()

    def get(self, text: str, registry: SchemaRegistry, tables: TableMap) -> CompiledQuery:
        key = (id(registry), id(tables), text)
        with self._lock:
            compiled = self._entries.get(key)
            if compiled is not None:
                self._entries.move_to_end(key)
                return compiled
        compiled = compile_query(parse_soql(text), registry, tables)
        with self._lock:
            self._entries[key] = compiled
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return compiled


def run_soql(
    text: str,
    transaction: SoqlTransaction,
    registry: SchemaRegistry | None = None,
    tables: TableMap | None = None,
    *,
    include_deleted: bool = False,
    cache: QueryCache | None = None,
) -> QueryResult:
    """Parse, compile and run SOQL text in *transaction*; pass the org's *cache* on hot paths (no hidden global)."""
    registry = registry if registry is not None else transaction.registry
    tables = tables if tables is not None else transaction.tables  # type: ignore[attr-defined]
    compiled = cache.get(text, registry, tables) if cache is not None else \
        compile_query(parse_soql(text), registry, tables)
    return compiled.execute(transaction, include_deleted=include_deleted)

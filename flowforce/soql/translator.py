"""Bound query → SQLAlchemy Core statements (one dialect-neutral statement per query level).

Parent paths become LEFT OUTER JOINs, one alias per path; semi-/anti-joins become IN / NOT IN
sub-selects; a child subquery becomes a second statement keyed by the parent ids (run once per
batch of parents, never once per parent). SOQL is two-valued where SQL is three-valued (`Name !=
'x'` matches a null Name), so negations are pushed down to the comparisons and completed with
`IS NULL` where the column can be null.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from flowforce.records.schema import FieldType, ObjectSchema
from flowforce.records.tables import TableMap
from flowforce.soql.bound import (
    BoundComparison,
    BoundCondition,
    BoundExpr,
    BoundField,
    BoundFunction,
    BoundLogic,
    BoundNot,
    DateRange,
    ResolvedChild,
    ResolvedQuery,
)
from flowforce.soql.dialect import OrderKey, ci_like, fold, has_token
from flowforce.soql.equality import folds_case
from flowforce.soql.errors import InvalidFieldError
from flowforce.soql.formula_values import FormulaValues
from flowforce.soql.functions import DATE_FUNCTIONS, aggregate_sql

PARENT_IDS = "parent_ids"
ROWS_LABEL = "__rows"
_ID_TYPES = frozenset({FieldType.ID, FieldType.REFERENCE})
_NEGATED = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "IN": "NOT IN", "NOT IN": "IN"}


@dataclass(frozen=True)
class DateParam:
    """A bind parameter filled in at execution time from a relative date literal."""

    key: str
    literal: DateRange
    end: bool  # the exclusive end of the range, else its start
    as_datetime: bool


@dataclass
class Statement:
    """One SQL statement plus how to read its rows: `index` maps a value key to its row position."""

    select: sa.Select[Any]
    index: dict[tuple[Any, ...], int]
    date_params: list[DateParam]
    hidden_rows_counter: bool = False
    #: formula fields the SQL filters, sorts or groups on, materialised per execution (formula_values.py)
    formulas: FormulaValues | None = None


@dataclass
class _Scope:
    """The FROM clause of one query level: its root alias and one alias per parent path."""

    root: sa.FromClause
    joined: sa.FromClause
    paths: dict[tuple[str, ...], dict[str, sa.FromClause]] = field(default_factory=dict)


class Translator:
    def __init__(self, tables: TableMap, include_deleted: bool) -> None:
        self.tables = tables
        self.include_deleted = include_deleted
        self.date_params: list[DateParam] = []
        self._names = itertools.count()
        self._main: _Scope | None = None
        self.formulas: FormulaValues | None = None

    # --- statements ---------------------------------------------------------------------------------
    def main(self, query: ResolvedQuery) -> Statement:
        scope = self._main = self.scope(query.obj, aliased=False)
        self.formulas = FormulaValues(query.obj)
        statement = self._main_statement(query, scope)
        statement.formulas = self.formulas if self.formulas.fields else None
        return statement

    def _main_statement(self, query: ResolvedQuery, scope: _Scope) -> Statement:
        if query.kind == "count":
            return self.count(query, scope)
        if query.kind == "aggregate":
            return self.aggregate(query, scope)
        index: dict[tuple[Any, ...], int] = {}
        columns = self.record_columns(query, scope, index)
        select = self.finish(query, scope, sa.select(*_labelled(columns)))
        if query.for_update:
            select = select.with_for_update(of=scope.root)
        return Statement(select, index, self.date_params)

    def child(self, child: ResolvedChild) -> Statement:
        """Rows of a child subquery for a batch of parents (`parent_ids`), per-parent LIMIT via ROW_NUMBER."""
        query = child.query
        scope = self.scope(query.obj, aliased=True)
        index: dict[tuple[Any, ...], int] = {("fk",): 0}
        foreign_key = scope.root.c[child.foreign_key.column_name]
        columns = [foreign_key, *self.record_columns(query, scope, index, offset=1)]
        where = [foreign_key.in_(sa.bindparam(PARENT_IDS, expanding=True)), *self.where_clause(query, scope)]
        order = self.order_by(query, scope)
        if query.limit is None and query.offset is None:
            select = sa.select(*_labelled(columns)).select_from(scope.joined).where(*where).order_by(*order)
            return Statement(select, index, self.date_params)
        row_number = sa.func.row_number().over(partition_by=foreign_key, order_by=order or [scope.root.c.id])
        inner = sa.select(*_labelled(columns), row_number.label("rn")).select_from(scope.joined).where(*where)
        ranked = inner.subquery()
        first = (query.offset or 0) + 1
        window = ranked.c.rn >= first
        if query.limit is not None:
            window = sa.and_(window, ranked.c.rn < first + query.limit)
        outer = sa.select(*[c for c in ranked.c if c.name != "rn"]).where(window)
        return Statement(outer.order_by(ranked.c.c0, ranked.c.rn), index, self.date_params)

    def count(self, query: ResolvedQuery, scope: _Scope) -> Statement:
        if query.limit is None and query.offset is None:
            where = self.where_clause(query, scope)
            select = sa.select(sa.func.count()).select_from(scope.joined).where(*where)
            return Statement(select, {}, self.date_params)
        inner = self.finish(query, scope, sa.select(sa.literal(1).label("one")))
        return Statement(sa.select(sa.func.count()).select_from(inner.subquery()), {}, self.date_params)

    def aggregate(self, query: ResolvedQuery, scope: _Scope) -> Statement:
        columns = [self.expr(column.expr, scope) for column in query.columns]
        counts_only = all(
            not isinstance(c.expr, BoundFunction) or c.expr.name in ("COUNT", "COUNT_DISTINCT") for c in query.columns
        )
        if not counts_only:  # every row aggregated counts against the row limit (Salesforce docs)
            columns.append(sa.func.count().label(ROWS_LABEL))
        group_by = [self.expr(g, scope) for g in query.group_by]
        having = [] if query.having is None else [self.condition(query.having, scope, negate=False)]
        select = self.finish(query, scope, sa.select(*_labelled(columns)).group_by(*group_by).having(*having))
        index = {(i,): i for i in range(len(query.columns))}
        return Statement(select, index, self.date_params, hidden_rows_counter=not counts_only)

    def finish(self, query: ResolvedQuery, scope: _Scope, select: sa.Select[Any]) -> sa.Select[Any]:
        """Add WHERE, ORDER BY, LIMIT, OFFSET — and the FROM last, once every join they need exists."""
        where = self.where_clause(query, scope)
        order = self.order_by(query, scope)
        select = select.where(*where).order_by(*order).limit(query.limit).offset(query.offset)
        return select.select_from(scope.joined)

    def where_clause(self, query: ResolvedQuery, scope: _Scope) -> list[ColumnElement[bool]]:
        """The query's filter plus the soft-delete filter (deleted rows only for queryAll / ALL ROWS)."""
        clauses = []
        if not (self.include_deleted or query.all_rows):
            clauses.append(scope.root.c.isdeleted == sa.false())
        if query.where is not None:
            clauses.append(self.condition(query.where, scope, negate=False))
        return clauses

    def order_by(self, query: ResolvedQuery, scope: _Scope) -> list[ColumnElement[Any]]:
        keys: list[ColumnElement[Any]] = []
        for key in query.order_by:
            expr = self.expr(key.expr, scope)
            if _case_insensitive(key.expr):
                expr = fold(expr)
            keys.append(OrderKey(expr, key.descending, key.nulls_first, _nullable(key.expr)))
        return keys

    # --- select lists -------------------------------------------------------------------------------
    def record_columns(
        self, query: ResolvedQuery, scope: _Scope, index: dict[tuple[Any, ...], int], offset: int = 0
    ) -> list[ColumnElement[Any]]:
        """Selected fields plus what building the records needs: each level's Id and formula inputs."""
        columns: list[ColumnElement[Any]] = []

        def add(key: tuple[Any, ...], column: ColumnElement[Any]) -> None:
            if key not in index:
                index[key] = offset + len(columns)
                columns.append(column)

        add(("id", ()), scope.root.c.id)
        for column in query.columns:
            bound = column.expr
            assert isinstance(bound, BoundField)
            for depth in range(1, len(bound.steps) + 1):
                add(("id", bound.path_key[:depth]), self.path_id(bound, depth, scope))
            if bound.type is FieldType.ID and len(bound.owners) == 1:
                index.setdefault(("field", bound.key), index[("id", bound.path_key)])  # no second Id column
                continue
            if bound.schema.stored:
                add(("field", bound.key), self.field(bound, scope))
                continue
            for owner, _ in bound.owners[:1]:  # formula: load every stored field it might read
                for stored in owner.stored_fields():
                    sibling = BoundField(bound.steps, ((owner, stored),))
                    add(("field", sibling.key), self.field(sibling, scope))
        return columns

    # --- expressions --------------------------------------------------------------------------------
    def scope(self, obj: ObjectSchema, *, aliased: bool) -> _Scope:
        table: sa.FromClause = self.tables.table(obj.name)
        if aliased:
            table = _alias(self.tables.table(obj.name), f"s{next(self._names)}")
        return _Scope(table, table)

    def expr(self, bound: BoundExpr, scope: _Scope) -> ColumnElement[Any]:
        if isinstance(bound, BoundField):
            return self.field(bound, scope)
        arg = None if bound.arg is None else self.expr(bound.arg, scope)
        if bound.aggregate:
            return aggregate_sql(bound.name, arg)
        assert arg is not None
        return DATE_FUNCTIONS[bound.name].build(arg)

    def field(self, bound: BoundField, scope: _Scope) -> ColumnElement[Any]:
        if not bound.schema.stored:
            return self.formula_column(bound, scope)
        if not bound.steps:
            return scope.root.c[bound.schema.column_name]
        aliases = self.join(bound, len(bound.steps), scope)
        columns = [aliases[owner.name.lower()].c[schema.column_name] for owner, schema in bound.owners]
        return columns[0] if len(columns) == 1 else sa.func.coalesce(*columns, type_=columns[0].type)

    def formula_column(self, bound: BoundField, scope: _Scope) -> ColumnElement[Any]:
        """A formula field of the queried object read from its per-execution values (formula_values.py)."""
        if bound.schema.components:
            raise InvalidFieldError(f"field '{bound.schema.name}' can not be filtered in a query call")
        if bound.steps or scope is not self._main or self.formulas is None:
            raise InvalidFieldError(f"field '{bound.schema.name}' is a formula field: flowforce filters, sorts "
                                    "and groups on formula fields of the queried object only")
        first = not self.formulas.fields
        column = self.formulas.column(bound.schema)
        if first:
            table = self.formulas.table
            scope.joined = scope.joined.outerjoin(table, table.c.id == scope.root.c.id)
        return column

    def path_id(self, bound: BoundField, depth: int, scope: _Scope) -> ColumnElement[Any]:
        ids = [alias.c.id for alias in self.join(bound, depth, scope).values()]
        return ids[0] if len(ids) == 1 else sa.func.coalesce(*ids, type_=ids[0].type)

    def join(self, bound: BoundField, depth: int, scope: _Scope) -> dict[str, sa.FromClause]:
        """The aliases holding the path's objects after *depth* hops, LEFT OUTER JOINed on first use."""
        if depth == 0:
            return {"": scope.root}
        parent = self.join(bound, depth - 1, scope)
        key = bound.path_key[:depth]
        if key not in scope.paths:
            step = bound.steps[depth - 1]
            (source,) = parent.values()
            aliases: dict[str, sa.FromClause] = {}
            for target in step.targets:
                alias = _alias(self.tables.table(target.name), f"p{next(self._names)}")
                on = alias.c.id == source.c[step.reference.column_name]
                scope.joined = scope.joined.outerjoin(alias, on)
                aliases[target.name.lower()] = alias
            scope.paths[key] = aliases
        return scope.paths[key]

    # --- conditions ---------------------------------------------------------------------------------
    def condition(self, bound: BoundCondition, scope: _Scope, *, negate: bool) -> ColumnElement[bool]:
        if isinstance(bound, BoundNot):
            return self.condition(bound.operand, scope, negate=not negate)
        if isinstance(bound, BoundLogic):
            parts = [self.condition(o, scope, negate=negate) for o in bound.operands]
            conjunction = (bound.operator == "AND") != negate
            return sa.and_(*parts) if conjunction else sa.or_(*parts)
        return self.comparison(bound, scope, negate)

    def comparison(self, bound: BoundComparison, scope: _Scope, negate: bool) -> ColumnElement[bool]:
        if _polymorphic_filter(bound, negate):
            return self.polymorphic_semi_join(bound, scope)
        lhs = self.expr(bound.lhs, scope)
        nullable = _nullable(bound.lhs)
        if bound.subquery is not None:
            return self.semi_join(bound, lhs, scope, negate, nullable)
        operator = bound.operator
        if operator in ("INCLUDES", "EXCLUDES"):
            matched = sa.or_(*[sa.and_(*[has_token(lhs, t.strip()) for t in v.split(";")]) for v in bound.values])
            positive = (operator == "INCLUDES") != negate
            return matched if positive else _or_null(sa.not_(matched), lhs, nullable)
        if operator == "LIKE":
            like = ci_like(lhs, bound.values[0])
            return like if not negate else _or_null(sa.not_(like), lhs, nullable)
        if negate:
            operator = _NEGATED[operator]
        if operator in ("IN", "NOT IN"):
            return self.membership(bound, lhs, operator == "IN", nullable)
        return self.compare(bound.lhs, lhs, operator, bound.values[0], nullable)

    def compare(
        self, bound: BoundExpr, lhs: ColumnElement[Any], operator: str, value: Any, nullable: bool
    ) -> ColumnElement[bool]:
        if value is None:
            if operator in ("=", "!="):
                return lhs.is_(None) if operator == "=" else lhs.is_not(None)
            return sa.false()
        if isinstance(value, DateRange):
            return self.date_compare(lhs, operator, value, nullable)
        rhs = _literal(value, lhs)
        if _case_insensitive(bound):
            lhs, rhs = fold(lhs), fold(rhs)
        if operator == "!=":
            return _or_null(lhs != rhs, lhs, nullable)
        return _COMPARATORS[operator](lhs, rhs)

    def membership(
        self, bound: BoundComparison, lhs: ColumnElement[Any], positive: bool, nullable: bool
    ) -> ColumnElement[bool]:
        values = [v for v in bound.values if v is not None and not isinstance(v, DateRange)]
        ranges = [v for v in bound.values if isinstance(v, DateRange)]
        has_null = any(v is None for v in bound.values)
        matches: list[ColumnElement[bool]] = []
        if values and _case_insensitive(bound.lhs) and all(isinstance(v, str) and v.isascii() for v in values):
            # One expanding parameter of pre-folded values instead of lower() around each bind: a bulk Get
            # Records asks `Name IN (200 values)`. Python's and SQL's lower() agree on ASCII only.
            matches.append(fold(lhs).in_([v.lower() for v in values]))
        elif values:
            target, items = lhs, [_literal(v, lhs) for v in values]
            if _case_insensitive(bound.lhs):
                target, items = fold(lhs), [fold(item) for item in items]
            matches.append(target.in_(items))
        matches.extend(self.date_compare(lhs, "=", r, nullable) for r in ranges)
        if has_null:
            matches.append(lhs.is_(None))
        if positive:
            return sa.or_(*matches) if matches else sa.false()
        if not matches:
            return sa.true()
        excluded = sa.not_(sa.or_(*matches))
        return excluded if has_null else _or_null(excluded, lhs, nullable)

    def semi_join(
        self, bound: BoundComparison, lhs: ColumnElement[Any], scope: _Scope, negate: bool, nullable: bool
    ) -> ColumnElement[bool]:
        assert bound.subquery is not None
        sub = bound.subquery
        sub_scope = self.scope(sub.obj, aliased=True)
        (column,) = sub.columns
        assert isinstance(column.expr, BoundField)
        selected = self.field(column.expr, sub_scope)
        select = self.finish(sub, sub_scope, sa.select(selected).where(selected.is_not(None)))
        positive = (bound.operator == "IN") != negate
        if positive:
            return lhs.in_(select)
        return _or_null(lhs.not_in(select), lhs, nullable)

    def polymorphic_semi_join(self, bound: BoundComparison, scope: _Scope) -> ColumnElement[bool]:
        """`Owner.Email = 'x'` as `OwnerId IN (SELECT Id FROM User WHERE …) OR OwnerId IN (… Group …)`.

        Through joins the value would be COALESCE(user.email, group.email), which no index can serve;
        one sub-select per target lets each database use its indexes. Only for conditions a null
        parent can never satisfy, where both forms agree.
        """
        field = bound.lhs
        assert isinstance(field, BoundField)
        step = field.steps[-1]
        parent = BoundField(field.steps[:-1], ((step.targets[0], step.reference),))
        foreign_key = self.field(parent, scope) if field.steps[:-1] else scope.root.c[step.reference.column_name]
        alternatives = []
        for owner, schema in field.owners:
            target_scope = self.scope(owner, aliased=True)
            local = BoundComparison(BoundField((), ((owner, schema),)), bound.operator, bound.values)
            condition = self.comparison(local, target_scope, negate=False)
            subquery = sa.select(target_scope.root.c.id).select_from(target_scope.joined).where(condition)
            alternatives.append(foreign_key.in_(subquery))
        return sa.or_(*alternatives)

    def date_compare(
        self, lhs: ColumnElement[Any], operator: str, literal: DateRange, nullable: bool
    ) -> ColumnElement[bool]:
        """A relative date literal is a range [start, end): `=` is inside it, `>` after it, …"""
        as_datetime = not isinstance(lhs.type, sa.Date)
        start, end = (self.date_param(literal, edge, as_datetime, lhs.type) for edge in (False, True))
        if operator == "=":
            return sa.and_(lhs >= start, lhs < end)
        if operator == "!=":
            return _or_null(sa.or_(lhs < start, lhs >= end), lhs, nullable)
        bounds = {"<": lhs < start, "<=": lhs < end, ">": lhs >= end, ">=": lhs >= start}
        return bounds[operator]

    def date_param(self, literal: DateRange, end: bool, as_datetime: bool, type_: Any) -> Any:
        key = f"soql_date_{len(self.date_params)}"
        self.date_params.append(DateParam(key, literal, end, as_datetime))
        return sa.bindparam(key, type_=type_)


@functools.lru_cache(maxsize=4096)
def _alias(table: sa.Table, name: str) -> sa.FromClause:
    """Aliases are immutable and costly to build (one proxy per column), so each is built once."""
    return table.alias(name)


def _labelled(columns: list[ColumnElement[Any]]) -> Iterator[ColumnElement[Any]]:
    return (column.label(f"c{i}") for i, column in enumerate(columns))


def _literal(value: Any, lhs: ColumnElement[Any]) -> ColumnElement[Any]:
    """A bound value typed like the column it meets (so decimals get scaled, datetimes made naive UTC)."""
    if isinstance(value, Decimal) and isinstance(lhs.type, sa.Integer):
        value = int(value) if value == value.to_integral_value() else float(value)
    return sa.literal(value, lhs.type)


def _polymorphic_filter(bound: BoundComparison, negate: bool) -> bool:
    """A positive condition on a polymorphic parent's field (false whenever the parent is null)."""
    field = bound.lhs
    if not isinstance(field, BoundField) or len(field.owners) < 2 or bound.subquery is not None or negate:
        return False
    positive = bound.operator in ("=", "<", "<=", ">", ">=", "LIKE", "IN", "INCLUDES")
    return positive and all(value is not None for value in bound.values)


def _or_null(condition: ColumnElement[bool], lhs: ColumnElement[Any], nullable: bool) -> ColumnElement[bool]:
    return sa.or_(condition, lhs.is_(None)) if nullable else condition


def _nullable(bound: BoundExpr) -> bool:
    if isinstance(bound, BoundField):
        return bool(bound.steps) or (bound.schema.nillable and bound.type is not FieldType.ID)
    return True


def _case_insensitive(bound: BoundExpr) -> bool:
    return isinstance(bound, BoundField) and folds_case(bound.schema)


def date_param_value(param: DateParam, today: dt.date) -> dt.date | dt.datetime:
    from flowforce.soql.date_literals import date_range

    day = date_range(param.literal.name, param.literal.n, today)[1 if param.end else 0]
    return dt.datetime.combine(day, dt.time(), dt.UTC) if param.as_datetime else day


_COMPARATORS: dict[str, Any] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}

"""AST → bound query: look names up in the schema, type literals, enforce SOQL's rules.

Every error here is positioned at the offending node so that the message carries Salesforce's
`ERROR at Row:r:Column:c` framing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flowforce.records import errors as record_errors
from flowforce.records.ids import is_id, normalize_id
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema, SchemaRegistry
from flowforce.soql import ast
from flowforce.soql.bound import (
    BoundComparison,
    BoundCondition,
    BoundExpr,
    BoundField,
    BoundFunction,
    BoundLogic,
    BoundNot,
    DateRange,
    OrderKey,
    OutputColumn,
    ResolvedChild,
    ResolvedQuery,
    Step,
)
from flowforce.soql.errors import (
    InvalidFieldError,
    InvalidQueryFilterOperatorError,
    InvalidTypeError,
    MalformedQueryError,
    NumberOutsideValidRangeError,
    SoqlError,
    no_such_child_relationship,
    no_such_column,
    no_such_relationship,
    unsupported_type,
)
from flowforce.soql.functions import (
    AGGREGATES,
    DATE_FUNCTIONS,
    TRANSPARENT,
    aggregate_accepts,
    aggregate_result_type,
    date_function_accepts,
)

MAX_OFFSET = 2000
MAX_LIMIT = 2**31 - 1  # no result is longer; a bigger LIMIT overflowed the store's integer (issue 9 item 5)
FIELDS_MACRO_LIMIT = 200
_ID_TYPES = frozenset({FieldType.ID, FieldType.REFERENCE})
_NUMBER_TYPES = frozenset({FieldType.INT, FieldType.DOUBLE, FieldType.CURRENCY, FieldType.PERCENT})
_LIST_OPERATORS = frozenset({"IN", "NOT IN", "INCLUDES", "EXCLUDES"})
_TYPE_NAMES = {FieldType.DATETIME: "dateTime", FieldType.INT: "integer"}


def resolve(query: ast.Query, registry: SchemaRegistry) -> ResolvedQuery:
    """Bind a top-level query; errors are framed against `query.source` when there is one."""
    return _Resolver(registry, query.source).query(query)


class _Resolver:
    def __init__(self, registry: SchemaRegistry, source: str | None) -> None:
        self.registry = registry
        self.source = source

    def fail(self, error: type[SoqlError], detail: str, pos: ast.Position | None) -> SoqlError:
        return error(detail, pos, self.source)

    # --- queries ------------------------------------------------------------------------------------
    def query(self, query: ast.Query, obj: ObjectSchema | None = None, nested: bool = False) -> ResolvedQuery:
        obj = obj or self.object(query.object_name, query.pos)
        kind = self.kind(query)
        if query.offset is not None and query.offset > MAX_OFFSET:
            raise self.fail(NumberOutsideValidRangeError, f"Maximum SOQL offset allowed is {MAX_OFFSET}", query.pos)
        group_by = tuple(self.groupable(self.expr(obj, e, aggregates=False)) for e in query.group_by)
        columns, children = self.select_list(query, obj, kind, group_by, nested)
        having = self.condition(obj, query.having, aggregates=True) if query.having is not None else None
        order_by = tuple(self.order_key(obj, item, kind, group_by) for item in query.order_by)
        return ResolvedQuery(
            obj=obj,
            kind=kind,
            columns=columns,
            children=children,
            where=self.condition(obj, query.where, aggregates=False) if query.where is not None else None,
            group_by=group_by,
            having=having,
            order_by=order_by,
            limit=min(query.limit, MAX_LIMIT) if query.limit is not None else None,
            offset=query.offset,
            all_rows=query.all_rows,
            for_update=query.for_update,
        )

    def object(self, name: str, pos: ast.Position | None) -> ObjectSchema:
        try:
            return self.registry.get(name)
        except record_errors.InvalidTypeError:
            raise self.fail(InvalidTypeError, unsupported_type(name), pos) from None

    def kind(self, query: ast.Query) -> str:
        calls = [_unaliased(item) for item in query.fields]
        count_star = [c for c in calls if isinstance(c, ast.FunctionCall) and _is_count_star(c)]
        if count_star:
            if len(calls) > 1 or query.group_by:
                raise self.fail(
                    MalformedQueryError,
                    "COUNT() must be the only element in the SELECT list",
                    count_star[0].pos,
                )
            return "count"
        aggregated = any(isinstance(c, ast.FunctionCall) and c.name.upper() in AGGREGATES for c in calls)
        return "aggregate" if aggregated or query.group_by or query.having is not None else "records"

    def select_list(
        self, query: ast.Query, obj: ObjectSchema, kind: str, group_by: tuple[BoundExpr, ...], nested: bool
    ) -> tuple[tuple[OutputColumn, ...], tuple[ResolvedChild, ...]]:
        columns: list[OutputColumn] = []
        children: list[ResolvedChild] = []
        seen: set[Any] = set()
        expr_number = 0
        for item in query.fields:
            if isinstance(item, ast.Query):
                children.append(self.child(obj, item, nested, kind))
                continue
            if isinstance(item, ast.FieldsMacro):
                columns.extend(self.fields_macro(obj, item, query, kind))
                continue
            alias = item.name if isinstance(item, ast.Alias) else None
            expr_node = item.expr if isinstance(item, ast.Alias) else item
            if alias is not None and kind != "aggregate":
                raise self.fail(MalformedQueryError, f"unexpected token: '{alias}'", item.pos)
            if kind == "count":
                continue
            expr = self.expr(obj, expr_node, aggregates=kind == "aggregate")
            if kind == "aggregate":
                self.require_grouped(expr, group_by)
            elif isinstance(expr, BoundFunction):
                raise self.fail(MalformedQueryError, f"unexpected token: '{expr.name}'", expr.pos)
            if alias is None and isinstance(expr, BoundFunction):
                alias, expr_number = f"expr{expr_number}", expr_number + 1
            name = alias or expr.name
            identity = name.lower() if kind == "aggregate" else expr.key
            if identity in seen:
                raise self.fail(MalformedQueryError, f"duplicate field selected: {name}", expr.pos)
            seen.add(identity)
            columns.append(OutputColumn(expr, name))
        return tuple(columns), tuple(children)

    def fields_macro(self, obj: ObjectSchema, item: ast.FieldsMacro, query: ast.Query, kind: str) -> list[OutputColumn]:
        if kind != "records":
            raise self.fail(MalformedQueryError, "unexpected token: 'FIELDS'", item.pos)
        if item.kind != "STANDARD" and (query.limit is None or query.limit > FIELDS_MACRO_LIMIT):
            detail = f"The SOQL FIELDS function must have a LIMIT of at most {FIELDS_MACRO_LIMIT}"
            raise self.fail(MalformedQueryError, detail, item.pos)
        wanted = {"ALL": (True, False), "STANDARD": (False,), "CUSTOM": (True,)}[item.kind]
        return [
            OutputColumn(BoundField((), ((obj, f),), item.pos), f.name)
            for f in obj.fields.values()
            if f.custom in wanted
        ]

    def child(self, parent: ObjectSchema, item: ast.Query, nested: bool, kind: str) -> ResolvedChild:
        if nested or kind != "records":
            raise self.fail(MalformedQueryError, "unexpected token: 'SELECT'", item.pos)
        try:
            relationship = parent.child_relationship(item.object_name)
        except record_errors.InvalidFieldError:
            detail = no_such_child_relationship(item.object_name)
            raise self.fail(InvalidTypeError, detail, item.pos) from None
        child_obj = self.registry.get(relationship.child_sobject)
        resolved = self.query(item, child_obj, nested=True)
        if resolved.kind != "records":
            raise self.fail(MalformedQueryError, "unexpected token: 'COUNT'", item.pos)
        foreign_key = child_obj.field(relationship.field)
        return ResolvedChild(relationship, relationship.relationship_name, resolved, foreign_key)

    # --- expressions --------------------------------------------------------------------------------
    def expr(self, obj: ObjectSchema, node: ast.Expr, *, aggregates: bool) -> BoundExpr:
        if isinstance(node, ast.FieldPath):
            return self.field(obj, node)
        if not isinstance(node, ast.FunctionCall):
            raise self.fail(MalformedQueryError, "unexpected token: '('", getattr(node, "pos", None))
        name = node.name.upper()
        if name in TRANSPARENT and len(node.args) == 1:
            return self.expr(obj, node.args[0], aggregates=aggregates)
        if name in AGGREGATES and aggregates:
            return self.aggregate(obj, node, name)
        if name in DATE_FUNCTIONS:
            return self.date_function(obj, node, name)
        raise self.fail(MalformedQueryError, f"unexpected token: '{node.name}'", node.pos)

    def aggregate(self, obj: ObjectSchema, node: ast.FunctionCall, name: str) -> BoundFunction:
        if not node.args:
            if name != "COUNT":
                raise self.fail(MalformedQueryError, "unexpected token: ')'", node.pos)
            return BoundFunction(name, None, FieldType.INT, True, node.pos)
        if len(node.args) != 1:
            raise self.fail(MalformedQueryError, "unexpected token: ','", node.pos)
        arg = self.expr(obj, node.args[0], aggregates=False)
        if not aggregate_accepts(name, arg.result_type if isinstance(arg, BoundFunction) else arg.type):
            detail = f"field {_label(arg)} does not support aggregate operator {name}"
            raise self.fail(MalformedQueryError, detail, node.pos)
        base = arg.result_type if isinstance(arg, BoundFunction) else arg.type
        return BoundFunction(name, arg, aggregate_result_type(name, base), True, node.pos)

    def date_function(self, obj: ObjectSchema, node: ast.FunctionCall, name: str) -> BoundFunction:
        if len(node.args) != 1:
            raise self.fail(MalformedQueryError, f"unexpected token: '{node.name}'", node.pos)
        arg = self.expr(obj, node.args[0], aggregates=False)
        if not isinstance(arg, BoundField) or not date_function_accepts(name, arg.type):
            detail = f"{name} can only be applied to a date or dateTime field: {_label(arg)}"
            raise self.fail(MalformedQueryError, detail, node.pos)
        return BoundFunction(name, arg, DATE_FUNCTIONS[name].result, False, node.pos)

    def field(self, obj: ObjectSchema, node: ast.FieldPath) -> BoundField:
        parts = list(node.parts)
        if len(parts) > 1 and parts[0].lower() == obj.name.lower() and not obj.has_parent_relationship(parts[0]):
            parts = parts[1:]  # `SELECT Account.Name FROM Account`: qualified by the object's own name
        current: tuple[ObjectSchema, ...] = (obj,)
        steps: list[Step] = []
        for name in parts[:-1]:
            if len(current) > 1 or not current[0].has_parent_relationship(name):
                raise self.fail(InvalidFieldError, no_such_relationship(name), node.pos)
            reference = current[0].parent_relationship(name)
            targets = tuple(self.registry.get(t) for t in reference.reference_to if self.registry.has(t))
            steps.append(Step(reference, targets))
            current = targets
        owners = tuple((o, o.field(parts[-1])) for o in current if o.has_field(parts[-1]))
        if not owners:
            entity = "Name" if len(current) > 1 else current[0].name
            raise self.fail(InvalidFieldError, no_such_column(parts[-1], entity), node.pos)
        return BoundField(tuple(steps), owners, node.pos)

    def groupable(self, expr: BoundExpr) -> BoundExpr:
        if isinstance(expr, BoundField) and not expr.schema.groupable:
            raise self.fail(MalformedQueryError, f"field '{expr.name}' can not be grouped in a query call", expr.pos)
        return expr

    def require_grouped(self, expr: BoundExpr, group_by: tuple[BoundExpr, ...]) -> None:
        if isinstance(expr, BoundFunction) and expr.aggregate:
            return
        if expr.key not in {g.key for g in group_by}:
            raise self.fail(MalformedQueryError, f"Field must be grouped or aggregated: {_label(expr)}", expr.pos)

    def order_key(self, obj: ObjectSchema, item: ast.OrderItem, kind: str, group_by: tuple[BoundExpr, ...]) -> OrderKey:
        if kind == "count":
            raise self.fail(MalformedQueryError, "unexpected token: 'ORDER'", item.pos)
        expr = self.expr(obj, item.expr, aggregates=kind == "aggregate")
        if isinstance(expr, BoundField) and not expr.schema.sortable:
            raise self.fail(MalformedQueryError, f"field '{expr.name}' can not be sorted in a query call", expr.pos)
        if kind == "aggregate":
            self.require_grouped(expr, group_by)
        return OrderKey(expr, item.descending, item.effective_nulls_first)

    # --- conditions ---------------------------------------------------------------------------------
    def condition(self, obj: ObjectSchema, node: ast.Condition, *, aggregates: bool) -> BoundCondition:
        if isinstance(node, ast.And | ast.Or):
            operands = tuple(self.condition(obj, o, aggregates=aggregates) for o in node.operands)
            return BoundLogic("AND" if isinstance(node, ast.And) else "OR", operands)
        if isinstance(node, ast.Not):
            return BoundNot(self.condition(obj, node.operand, aggregates=aggregates))
        return self.comparison(obj, node, aggregates=aggregates)

    def comparison(self, obj: ObjectSchema, node: ast.Comparison, *, aggregates: bool) -> BoundComparison:
        lhs = self.expr(obj, node.field, aggregates=aggregates)
        if isinstance(lhs, BoundField) and not lhs.schema.filterable:
            raise self.fail(InvalidFieldError, f"field '{lhs.name}' can not be filtered in a query call", lhs.pos)
        operator = node.operator
        self.check_operator(lhs, operator, node)
        if isinstance(node.value, ast.Query):
            return BoundComparison(lhs, operator, subquery=self.semi_join(lhs, node.value, operator))
        if operator in _LIST_OPERATORS:
            items = node.value.value if isinstance(node.value, ast.Literal) else None
            if not isinstance(items, tuple):
                raise self.fail(MalformedQueryError, "unexpected token: '('", _pos(node.value, node))
            values = tuple(self.value(lhs, item, _pos(node.value, node)) for item in items)
        else:
            single = node.value if isinstance(node.value, ast.DateLiteral) else node.value.value
            values = (self.value(lhs, single, _pos(node.value, node)),)
        if operator == "LIKE" and not isinstance(values[0], str):
            raise self.fail(MalformedQueryError, "unexpected token: 'LIKE'", _pos(node.value, node))
        return BoundComparison(lhs, operator, values)

    def check_operator(self, lhs: BoundExpr, operator: str, node: ast.Comparison) -> None:
        field_type = lhs.result_type if isinstance(lhs, BoundFunction) else lhs.type
        if operator in ("INCLUDES", "EXCLUDES") and field_type is not FieldType.MULTIPICKLIST:
            detail = "includes or excludes operator only valid on multipicklist field"
            raise self.fail(InvalidQueryFilterOperatorError, detail, node.pos)
        if operator == "LIKE" and not (field_type.is_text and field_type not in _ID_TYPES):
            raise self.fail(InvalidQueryFilterOperatorError, f"invalid operator on field '{_label(lhs)}'", node.pos)

    def semi_join(self, lhs: BoundExpr, subquery: ast.Query, operator: str) -> ResolvedQuery:
        if operator not in ("IN", "NOT IN") or not isinstance(lhs, BoundField) or lhs.type not in _ID_TYPES:
            detail = "semi join sub-selects are only allowed on Id and reference fields"
            raise self.fail(MalformedQueryError, detail, subquery.pos)
        resolved = self.query(subquery, nested=True)
        selected = [c.expr for c in resolved.columns if isinstance(c.expr, BoundField)]
        single_id = len(resolved.columns) == 1 and len(selected) == 1 and selected[0].type in _ID_TYPES
        if resolved.kind != "records" or resolved.children or not single_id:
            detail = "semi join sub-selects can only select a single Id or reference field"
            raise self.fail(MalformedQueryError, detail, subquery.pos)
        return resolved

    def value(self, lhs: BoundExpr, value: Any, pos: ast.Position | None) -> Any:
        """A literal typed for the field it is compared with (Salesforce rejects mismatches)."""
        field_type = lhs.result_type if isinstance(lhs, BoundFunction) else lhs.type
        if value is None:
            return None
        if isinstance(value, ast.DateLiteral):
            if field_type not in (FieldType.DATE, FieldType.DATETIME):
                raise self.mismatch(lhs, field_type, pos)
            return DateRange(value.name.upper(), value.n)
        if field_type in _ID_TYPES:
            if not isinstance(value, str):
                raise self.mismatch(lhs, field_type, pos)
            if not is_id(value):
                raise self.fail(InvalidQueryFilterOperatorError, f"invalid ID field: {value}", pos)
            return normalize_id(value)
        if field_type.is_text:
            if not isinstance(value, str):
                raise self.mismatch(lhs, field_type, pos)
            return value
        return self.typed_value(lhs, field_type, value, pos)

    def typed_value(self, lhs: BoundExpr, field_type: FieldType, value: Any, pos: ast.Position | None) -> Any:
        if field_type is FieldType.BOOLEAN and isinstance(value, bool):
            return value
        if field_type in _NUMBER_TYPES and isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return value if isinstance(value, Decimal) else Decimal(str(value))
        if field_type is FieldType.DATETIME and isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if field_type is FieldType.DATE and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if field_type is FieldType.TIME and isinstance(value, dt.time):
            return value
        raise self.mismatch(lhs, field_type, pos)

    def mismatch(self, lhs: BoundExpr, field_type: FieldType, pos: ast.Position | None) -> SoqlError:
        type_name = _TYPE_NAMES.get(field_type, field_type.value)
        quoting = "should be enclosed in quotes" if field_type.is_text else "should not be enclosed in quotes"
        detail = f"value of filter criterion for field '{_label(lhs)}' must be of type {type_name} and {quoting}"
        return self.fail(InvalidFieldError, detail, pos)


def _unaliased(item: ast.SelectItem) -> ast.SelectItem:
    return item.expr if isinstance(item, ast.Alias) else item


def _is_count_star(call: ast.FunctionCall) -> bool:
    return call.name.upper() == "COUNT" and not call.args


def _label(expr: BoundExpr | None) -> str:
    if isinstance(expr, BoundField):
        return expr.name
    if isinstance(expr, BoundFunction):
        return f"{expr.name}({_label(expr.arg)})" if expr.arg is not None else f"{expr.name}()"
    return ""


def _pos(value: Any, fallback: ast.Node) -> ast.Position | None:
    return getattr(value, "pos", None) or fallback.pos


def field_schema(expr: BoundExpr) -> FieldSchema | None:
    """The schema behind an output column (None for functions)."""
    return expr.schema if isinstance(expr, BoundField) else None

"""Formula evaluation over records: formula fields, default-value formulas and validation rules.

The formula engine (``flowforce.formula``) only knows an *environment* with ``resolve(path)``, ``now()`` and
``today()``. :class:`RecordFormulaEnv` is that environment for one record: bare fields read the record,
``Account.Name`` walks parent relationships through a :class:`ParentFetcher` (the transaction), formula fields
referenced by other formulas are computed on demand, and ``$User.X`` reads the running user. It also answers
``is_new()``, ``is_changed(path)`` and ``prior_value(path)`` for validation rules.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from flowforce.records.record import Record
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema, SchemaRegistry


class ParentFetcher(Protocol):
    """What formula evaluation needs from the store: the schema and a way to load a record by id."""

    registry: SchemaRegistry

    def fetch_record(self, object_name: str, record_id: str) -> Mapping[str, Any] | None: ...

    def setup_value(self, setting: str, field: str, user_id: str | None) -> Any:
        """``$Setup.Setting__c.Field__c`` for *user_id* (records/custom_settings.py)."""
        ...


@functools.lru_cache(maxsize=2048)
def compile_cached(expression: str, result_type: str | None, scale: int | None) -> Any:
    from flowforce.formula import compile_formula  # lazily: the formula package is built in parallel

    return compile_formula(expression, result_type=result_type, scale=scale)


# Describe type → the formula engine's result data type (flow dataType names).
_RESULT_TYPES = {
    FieldType.DOUBLE: "number",
    FieldType.INT: "number",
    FieldType.CURRENCY: "currency",
    FieldType.PERCENT: "percent",
    FieldType.BOOLEAN: "boolean",
    FieldType.DATE: "date",
    FieldType.DATETIME: "datetime",
    FieldType.TIME: "time",
}


def compile_for_field(field: FieldSchema, expression: str) -> Any:
    result_type = _RESULT_TYPES.get(field.type, "string")
    return compile_cached(expression, result_type, field.scale if field.type.is_decimal else None)


class RecordFormulaEnv:
    def __init__(
        self,
        record: Mapping[str, Any],
        obj: ObjectSchema,
        fetcher: ParentFetcher | None = None,
        *,
        user_id: str | None = None,
        prior: Mapping[str, Any] | None = None,
        now: dt.datetime | None = None,
        _depth: int = 0,
    ) -> None:
        self.record = record
        self.obj = obj
        self.fetcher = fetcher
        self.user_id = user_id
        self.prior_record = prior
        self._now = now or dt.datetime.now(dt.UTC)
        self._depth = _depth

    # --- the formula engine's environment protocol -------------------------------------------------------
    def now(self) -> dt.datetime:
        return self._now

    def today(self) -> dt.date:
        return self._now.date()

    def resolve(self, path: str | Sequence[str]) -> Any:
        parts = path.split(".") if isinstance(path, str) else list(path)
        if parts and parts[0].startswith("$"):
            return self._resolve_global(parts)
        return self._resolve_in(self.record, self.obj, parts)

    # --- validation-rule functions -------------------------------------------------------------------------
    def is_new(self) -> bool:
        return self.prior_record is None

    def prior_value(self, path: str | Sequence[str]) -> Any:
        if self.prior_record is None:
            return None
        parts = path.split(".") if isinstance(path, str) else list(path)
        return self._resolve_in(self.prior_record, self.obj, parts)

    def prior(self, path: str | Sequence[str]) -> Any:
        """The formula engine's hook for PRIORVALUE / ISCHANGED."""
        return self.prior_value(path) if self.prior_record is not None else self.resolve(path)

    def is_changed(self, path: str | Sequence[str]) -> bool:
        return self.prior_record is not None and self.prior_value(path) != self.resolve(path)

    # --- helpers -------------------------------------------------------------------------------------------
    def _resolve_global(self, parts: list[str]) -> Any:
        head = parts[0].lower()
        if head == "$user" and self.user_id:
            if len(parts) == 2 and parts[1].lower() == "id":
                return self.user_id
            return self._resolve_parent_chain("User", self.user_id, parts[1:])
        registry = self.fetcher.registry if self.fetcher is not None else None
        if head == "$label" and registry is not None and len(parts) == 2:
            return registry.label(parts[1])
        if head == "$custommetadata" and registry is not None and len(parts) == 4:
            return registry.custom_metadata_value(parts[1], parts[2], parts[3])
        if head == "$setup" and self.fetcher is not None and len(parts) == 3:
            return self.fetcher.setup_value(parts[1], parts[2], self.user_id)
        return None

    def _resolve_in(self, record: Mapping[str, Any], obj: ObjectSchema, parts: list[str]) -> Any:
        if not parts:
            return None
        name = parts[0]
        if len(parts) == 1:
            return self._field_value(record, obj, obj.field(name))
        relationship = obj.parent_relationship(name)
        parent_id = _get(record, relationship.name)
        if parent_id is None:
            return None
        target = self._target_object(relationship, parent_id)
        if target is None:
            return None
        nested = _get(record, relationship.relationship_name or "")
        if isinstance(nested, Mapping) and _has(nested, parts[1]) and len(parts) == 2:
            return _get(nested, parts[1])
        return self._resolve_parent_chain(target.name, parent_id, parts[1:])

    def _resolve_parent_chain(self, object_name: str, record_id: str, parts: list[str]) -> Any:
        if self.fetcher is None or self._depth > 10:
            return None
        parent = self.fetcher.fetch_record(object_name, record_id)
        if parent is None:
            return None
        obj = self.fetcher.registry.get(object_name)
        env = RecordFormulaEnv(parent, obj, self.fetcher, user_id=self.user_id, now=self._now,
                               _depth=self._depth + 1)
        return env._resolve_in(parent, obj, parts)

    def _target_object(self, field: FieldSchema, record_id: str) -> ObjectSchema | None:
        if self.fetcher is None:
            return None
        registry = self.fetcher.registry
        if len(field.reference_to) == 1:
            return registry.get(field.reference_to[0])
        return registry.object_for_id(record_id)

    def _field_value(self, record: Mapping[str, Any], obj: ObjectSchema, field: FieldSchema) -> Any:
        if field.components and not _has(record, field.name):
            return compound_value(record, field)
        if _has(record, field.name) or not field.calculated:
            return _get(record, field.name)
        if self._depth > 10:
            return None
        env = RecordFormulaEnv(record, obj, self.fetcher, user_id=self.user_id, prior=self.prior_record, now=self._now,
                               _depth=self._depth + 1)
        return evaluate_formula(field, env)


def _get(record: Mapping[str, Any], name: str) -> Any:
    if isinstance(record, Record):
        return record.get(name)
    folded = name.lower()
    return next((v for k, v in record.items() if k.lower() == folded), None)


def _has(record: Mapping[str, Any], name: str) -> bool:
    if isinstance(record, Record):
        return name in record
    folded = name.lower()
    return any(k.lower() == folded for k in record)


def evaluate_formula(field: FieldSchema, env: RecordFormulaEnv) -> Any:
    """A formula field's value; ``None`` when the formula fails (Salesforce shows ``#Error!``, the API null)."""
    from flowforce.records.coercion import coerce_value

    assert field.formula is not None
    try:
        return coerce_value(field, compile_for_field(field, field.formula).evaluate(env))
    except Exception:
        return None


def evaluate_formula_fields(
    record: Record,
    obj: ObjectSchema,
    resolver: ParentFetcher | None = None,
    *,
    fields: Sequence[str] | None = None,
    user_id: str | None = None,
) -> Record:
    """Fill *record*'s formula fields in place (all of them, or just *fields*) and return it.

    The SOQL engine calls this after loading a row, passing the transaction as *resolver* so that cross-object
    formulas (``Account.Name``) can load parents. The record must carry the fields the formulas read.
    """
    wanted = {f.lower() for f in fields} if fields is not None else None
    computed = [f for f in obj.computed_fields() if wanted is None or f.name.lower() in wanted]
    for field in computed:  # a placeholder must not hide a value another formula computes on demand
        if field.name in record and record[field.name] is None:
            del record[field.name]
    env = RecordFormulaEnv(record, obj, resolver, user_id=user_id)
    values = {f.name: compound_value(record, f) if f.components else evaluate_formula(f, env) for f in computed}
    record.update(values)
    return record


def formula_inputs(obj: ObjectSchema, fields: Sequence[FieldSchema]) -> list[FieldSchema] | None:
    """The stored fields computing *fields* reads (Id included), or None when that cannot be told exactly —
    then callers load every stored field."""
    found: dict[str, FieldSchema] = {"id": obj.field("Id")}
    pending, seen = list(fields), set()
    while pending:
        field = pending.pop()
        if field.name.lower() in seen:
            continue
        seen.add(field.name.lower())
        if field.stored:
            found[field.name.lower()] = field
            continue
        if field.components:
            pending += [obj.field(name) for _, name in field.components]
            continue
        try:
            references = compile_for_field(field, field.formula or "").references
        except Exception:
            return None
        for path in references:
            head, _, rest = path.partition(".")
            if head.startswith("$"):
                continue
            if not rest and obj.has_field(head):
                pending.append(obj.field(head))
            elif rest and obj.has_parent_relationship(head):
                pending.append(obj.parent_relationship(head))
            else:
                return None
    return list(found.values())


def compound_value(record: Mapping[str, Any], field: FieldSchema) -> dict[str, Any] | None:
    """An address or geolocation read from its components (null when every component is)."""
    value = {key: _get(record, name) for key, name in field.components}
    return value if any(v is not None for v in value.values()) else None

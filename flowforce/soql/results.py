"""Rows → Salesforce-shaped results: records with nested parent records and child `records` blocks.

A `RecordLayout` is worked out once per compiled statement (which row position feeds which key of
which nested record), so turning a row into records is a tight loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from flowforce.records.formula_fields import evaluate_formula_fields
from flowforce.records.record import Record
from flowforce.records.schema import ObjectSchema
from flowforce.soql.bound import BoundField, ResolvedQuery


class QueryRecord(Record):
    """A queried record; remembers its Id for `attributes.url` even when Id was not selected."""

    __slots__ = ("record_id",)

    def __init__(self, sobject_type: str, fields: dict[str, Any] | None = None, record_id: str | None = None):
        super().__init__(sobject_type, fields)
        self.record_id = record_id

    @property
    def known_id(self) -> str | None:
        return self.record_id or self.id

    @classmethod
    def from_items(cls, sobject_type: str, record_id: str | None, items: dict[str, tuple[str, Any]]) -> QueryRecord:
        """Fast path: *items* is already the folded-name → (name, value) map Record keeps."""
        record = cls.__new__(cls)
        record.sobject_type = sobject_type
        record.record_id = record_id
        record._data = items
        return record


@dataclass
class ChildResult:
    """A child-relationship subquery's block (`{"totalSize":…, "done":…, "records":[…]}`)."""

    records: list[Record]
    total_size: int
    done: bool = True


@dataclass
class QueryResult:
    records: list[Record]
    total_size: int
    done: bool = True


@dataclass
class RecordLayout:
    """One level of the record tree: its object(s), where its Id is, and its keys in select order.

    An entry is (folded name, name, row index, nested layout): a field reads the row at its index
    (-1 for a formula, filled in later), a parent relationship builds its nested layout.
    """

    objects: tuple[ObjectSchema, ...]
    id_index: int
    entries: list[tuple[str, str, int, RecordLayout | None]] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str, int]] = field(default_factory=list)  # loaded only for formulas

    def type_for(self, record_id: str) -> ObjectSchema:
        if len(self.objects) == 1:
            return self.objects[0]
        return next((o for o in self.objects if record_id.startswith(o.key_prefix)), self.objects[0])

    def has(self, folded: str) -> bool:
        return any(entry[0] == folded for entry in self.entries)

    def prepare(self) -> None:
        """Precompute the per-row work: one itemgetter for all plain fields, the nested levels apart."""
        indexes = [index if index >= 0 and layout is None else self.id_index for _, _, index, layout in self.entries]
        self._getter = itemgetter(self.id_index, self.id_index, *indexes)
        self._keys = tuple(entry[0] for entry in self.entries)
        self._names = tuple(entry[1] for entry in self.entries)
        self._nested = [(folded, name, layout) for folded, name, _, layout in self.entries if layout is not None]
        self._formulas = [(folded, name) for folded, name, index, layout in self.entries if index < 0 and not layout]
        self._type_names = {o.key_prefix: o.name for o in self.objects}
        self._single_type = self.objects[0].name if len(self.objects) == 1 else None
        for _, _, layout in self._nested:
            layout.prepare()

    def build(self, row: Sequence[Any]) -> QueryRecord | None:
        record_id = row[self.id_index]
        if record_id is None:
            return None
        items = dict(zip(self._keys, zip(self._names, self._getter(row)[2:])))
        for folded, name, layout in self._nested:
            items[folded] = (name, layout.build(row))
        for folded, name in self._formulas:
            items[folded] = (name, None)
        for folded, name, index in self.hidden:
            items.setdefault(folded, (name, row[index]))
        sobject_type = self._single_type or self._type_names.get(record_id[:3], self.objects[0].name)
        return QueryRecord.from_items(sobject_type, record_id, items)

    @property
    def needs_formulas(self) -> bool:
        return bool(self.formulas) or any(e[3] is not None and e[3].needs_formulas for e in self.entries)

    def evaluate_formulas(self, record: Record, fetcher: Any) -> None:
        """Compute formula fields (records' evaluator), then drop the inputs that were not selected."""
        for folded, _, _, layout in self.entries:
            nested = record.get(folded) if layout is not None else None
            if isinstance(nested, Record) and layout is not None:
                layout.evaluate_formulas(nested, fetcher)
        if not self.formulas:
            return
        obj = self.type_for(record.known_id or "")
        evaluate_formula_fields(record, obj, fetcher, fields=self.formulas)
        for folded, _, _ in self.hidden:
            if not self.has(folded) and folded in record:
                del record[folded]


def record_layout(query: ResolvedQuery, index: dict[tuple[Any, ...], int]) -> RecordLayout:
    """Where each selected field lands: `Account.Owner.Name` → record["Account"]["Owner"]["Name"]."""
    root = RecordLayout((query.obj,), index[("id", ())])
    levels: dict[tuple[str, ...], RecordLayout] = {(): root}
    for column in query.columns:
        bound = column.expr
        assert isinstance(bound, BoundField)
        level = _level(bound, levels, index)
        folded = bound.name.lower()
        if level.has(folded):
            continue
        if bound.schema.stored:
            level.entries.append((folded, bound.name, index[("field", bound.key)], None))
            continue
        level.entries.append((folded, bound.name, -1, None))
        level.formulas.append(bound.name)
        level.hidden.extend(
            (f.name.lower(), f.name, index[("field", (*bound.path_key, f.name.lower()))])
            for f in bound.owners[0][0].stored_fields()
        )
    root.prepare()
    return root


def _level(bound: BoundField, levels: dict[tuple[str, ...], RecordLayout], index: dict[Any, int]) -> RecordLayout:
    level = levels[()]
    for depth, step in enumerate(bound.steps, start=1):
        key = bound.path_key[:depth]
        if key not in levels:
            levels[key] = RecordLayout(step.targets, index[("id", key)])
            level.entries.append((step.name.lower(), step.name, -1, levels[key]))
        level = levels[key]
    return level


def aggregate_record(names: Sequence[str], row: Sequence[Any]) -> Record:
    return Record("AggregateResult", dict(zip(names, row)))

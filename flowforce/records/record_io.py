"""Loading stored rows as :class:`Record` objects (retrieve, formula parents, DML priors)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.records.formula_fields import ParentFetcher, evaluate_formula_fields
from flowforce.records.record import Record
from flowforce.records.schema import FieldSchema, ObjectSchema
from flowforce.records.tables import TableMap

_CHUNK = 500  # keeps IN lists well under SQLite's bound-parameter limit


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def row_to_record(obj: ObjectSchema, row: sa.Row[Any], fields: Iterable[FieldSchema]) -> Record:
    mapping = row._mapping
    return Record(obj.name, {f.name: mapping[f.column_name] for f in fields if f.stored})


def load_rows(
    conn: Connection,
    tables: TableMap,
    obj: ObjectSchema,
    ids: Sequence[str],
    *,
    include_deleted: bool = False,
) -> dict[str, Record]:
    """Id → full stored record for the given ids (absent ids are missing from the result)."""
    table = tables.table(obj.name)
    found: dict[str, Record] = {}
    stored = obj.stored_fields()
    for batch in chunks(list(dict.fromkeys(ids))):
        query = sa.select(table).where(table.c.id.in_(batch))
        if not include_deleted:
            query = query.where(table.c.isdeleted.is_(sa.false()))
        for row in conn.execute(query):
            record = row_to_record(obj, row, stored)
            found[row._mapping["id"]] = record
    return found


def select_fields(
    obj: ObjectSchema, record: Record, fields: Sequence[str] | None, fetcher: ParentFetcher | None
) -> Record:
    """*record* with its formula fields computed, narrowed to *fields* (always keeping Id) when given."""
    wanted = None if fields is None else [obj.field(name) for name in fields]
    formula_names = [f.name for f in (wanted or obj.fields.values()) if not f.stored]
    if formula_names:
        evaluate_formula_fields(record, obj, fetcher, fields=formula_names)
    if wanted is None:
        return record
    narrowed = Record(obj.name, {"Id": record.get("Id")})
    for schema in wanted:
        narrowed[schema.name] = record.get(schema.name)
    return narrowed

"""Seed data in the ``sf data import tree`` / ``sf data export tree`` JSON formats.

A tree file is ``{"records": [{"attributes": {"type": "Account", "referenceId": "AccRef1"}, "Name": "x",
"Contacts": {"records": [...]}}]}``: child records nest under their child-relationship name and get the parent's
id in the relationship field; ``"@AccRef1"`` values are replaced by the id saved for that reference. A plan file
is ``[{"sobject": "Account", "saveRefs": true, "resolveRefs": false, "files": ["Account.json"]}]`` with file
paths relative to the plan. A whole import is one transaction: it loads completely or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from flowforce.records.coercion import format_datetime
from flowforce.records.errors import RecordError
from flowforce.records.limits import GovernorLimits
from flowforce.records.schema import FieldType, ObjectSchema
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction

# Seed loads are not Apex transactions: lift the governor limits instead of failing at 150 statements.
_UNLIMITED = 10**12


class DataImportError(Exception):
    """The import failed; nothing was saved."""


@dataclass
class ImportResult:
    ids_by_ref: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, object_name: str, reference: str | None, record_id: str) -> None:
        self.counts[object_name] = self.counts.get(object_name, 0) + 1
        if reference:
            self.ids_by_ref[reference] = record_id


@dataclass
class TreeRecord:
    object_name: str
    reference: str | None
    values: dict[str, Any]
    children: list[tuple[str, list[Mapping[str, Any]]]]


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DataImportError(f"{path}: {error}") from error


def split_tree_record(obj: ObjectSchema, raw: Mapping[str, Any], where: str) -> TreeRecord:
    attributes = raw.get("attributes") or {}
    values: dict[str, Any] = {}
    children: list[tuple[str, list[Mapping[str, Any]]]] = []
    for key, value in raw.items():
        if key == "attributes":
            continue
        if isinstance(value, Mapping) and "records" in value and obj.has_child_relationship(key):
            children.append((key, list(value["records"])))
        else:
            values[key] = value
    return TreeRecord(obj.name, attributes.get("referenceId"), values, children)


class _TreeImporter:
    def __init__(self, txn: Transaction, result: ImportResult) -> None:
        self.txn = txn
        self.result = result

    def _resolve(self, values: dict[str, Any], where: str) -> dict[str, Any]:
        resolved = {}
        for key, value in values.items():
            if isinstance(value, str) and value.startswith("@"):
                if value[1:] not in self.result.ids_by_ref:
                    raise DataImportError(f"{where}: unknown reference {value}")
                value = self.result.ids_by_ref[value[1:]]
            resolved[key] = value
        return resolved

    def import_records(self, records: Sequence[Mapping[str, Any]], default_type: str | None, where: str,
                       parent_field: tuple[str, str] | None = None) -> None:
        pendings = []
        for raw in records:
            type_name = (raw.get("attributes") or {}).get("type") or default_type
            if not type_name:
                raise DataImportError(f"{where}: record without attributes.type")
            obj = self.txn.registry.get(type_name)
            pending = split_tree_record(obj, raw, where)
            pending.values = self._resolve(pending.values, where)
            if parent_field:
                pending.values[parent_field[0]] = parent_field[1]
            pendings.append(pending)
        for group in _consecutive_by_type(pendings):
            self._insert_group(group, where)

    def _insert_group(self, group: list[TreeRecord], where: str) -> None:
        object_name = group[0].object_name
        results = self.txn.insert(object_name, [p.values for p in group], all_or_none=True)
        failures = [(p, r) for p, r in zip(group, results) if not r.success]
        real = [(p, r) for p, r in failures if r.errors[0].status_code != "ALL_OR_NONE_OPERATION_ROLLED_BACK"]
        if real:
            pending, outcome = real[0]
            error = outcome.errors[0]
            label = pending.reference or object_name
            raise DataImportError(f"{where}: {label}: {error.status_code}: {error.message}")
        obj = self.txn.registry.get(object_name)
        for pending, outcome in zip(group, results):
            assert outcome.id is not None
            self.result.add(object_name, pending.reference, outcome.id)
            for relationship, children in pending.children:
                child = obj.child_relationship(relationship)
                self.import_records(children, child.child_sobject, where, (child.field, outcome.id))


def _consecutive_by_type(pendings: list[TreeRecord]) -> Iterable[list[TreeRecord]]:
    group: list[TreeRecord] = []
    for pending in pendings:
        if group and group[-1].object_name != pending.object_name:
            yield group
            group = []
        group.append(pending)
    if group:
        yield group


def _tree_files(path: Path) -> list[tuple[Path, str | None]]:
    """(tree file, sobject from the plan or None) in import order."""
    document = _load_json(path)
    if isinstance(document, dict):
        return [(path, None)]
    if not isinstance(document, list):
        raise DataImportError(f"{path}: neither a tree file nor a plan")
    files = []
    for entry in document:
        for name in entry.get("files", []):
            files.append((path.parent / name, entry.get("sobject")))
    return files


def import_tree(store: RecordStore, path: str | Path, *, user_id: str | None = None) -> ImportResult:
    """Import a tree or plan file in one transaction; raises :class:`DataImportError` and saves nothing on error."""
    result = ImportResult()
    limits = GovernorLimits(_UNLIMITED, _UNLIMITED, _UNLIMITED, _UNLIMITED)
    try:
        with store.transaction(user_id=user_id, limits=limits) as txn:
            importer = _TreeImporter(txn, result)
            for tree_path, sobject in _tree_files(Path(path)):
                document = _load_json(tree_path)
                records = document.get("records") if isinstance(document, dict) else None
                if not isinstance(records, list):
                    raise DataImportError(f"{tree_path}: no \"records\" array")
                importer.import_records(records, sobject, tree_path.name)
    except RecordError as error:
        raise DataImportError(f"{error.status_code}: {error.message}") from error
    return result


# --- export ------------------------------------------------------------------------------------------------
def _export_order(objects: list[ObjectSchema]) -> list[ObjectSchema]:
    """Parents before children, so that ``@references`` always point backwards."""
    names = {o.name.lower() for o in objects}
    ordered: list[ObjectSchema] = []
    remaining = list(objects)
    while remaining:
        for obj in remaining:
            parents = {t.lower() for f in obj.fields.values() for t in f.reference_to if f.createable} & names
            parents.discard(obj.name.lower())
            if parents <= {o.name.lower() for o in ordered}:
                ordered.append(obj)
                remaining.remove(obj)
                break
        else:  # a reference cycle: keep the given order for the rest
            ordered += remaining
            break
    return ordered


def _json_value(value: Any) -> Any:
    """JSON the way Salesforce writes it: numbers as numbers (text when a float would lose digits)."""
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


@dataclass
class ExportResult:
    plan: Path
    counts: dict[str, int]


def export_tree(store: RecordStore, objects: Sequence[str], out_dir: str | Path) -> ExportResult:
    """Write one tree file per object and a plan (``export-plan.json``) importing them in dependency order.

    Only createable fields are written; references to exported records become ``@Ref`` values, references to
    anything else are dropped (they would not exist in the target), as are self-references.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    schemas = _export_order([store.registry.get(name) for name in objects])
    refs: dict[str, str] = {}
    plan = []
    counts: dict[str, int] = {}
    with store.transaction() as txn:
        for obj in schemas:
            table = store.tables.table(obj.name)
            rows = txn.connection.execute(
                sa.select(table).where(table.c.isdeleted.is_(sa.false())).order_by(table.c.createddate, table.c.id)
            )
            records = []
            for number, row in enumerate(rows, start=1):
                mapping = row._mapping
                reference = f"{obj.name}Ref{number}"
                refs[mapping["id"]] = reference
                record: dict[str, Any] = {"attributes": {"type": obj.name, "referenceId": reference}}
                for schema in obj.stored_fields():
                    value = mapping[schema.column_name]
                    if not schema.createable or value is None or schema.name == "OwnerId":
                        continue
                    if schema.type is FieldType.BOOLEAN and value is False:
                        continue
                    if schema.type is FieldType.REFERENCE:
                        if value not in refs:
                            continue
                        value = "@" + refs[value]
                    record[schema.name] = _json_value(value)
                records.append(record)
            counts[obj.name] = len(records)
            file_name = f"{obj.name}.json"
            (out / file_name).write_text(json.dumps({"records": records}, indent=2) + "\n", encoding="utf-8")
            plan.append({"sobject": obj.name, "saveRefs": True, "resolveRefs": True, "files": [file_name]})
    plan_path = out / "export-plan.json"
    plan_path.write_text(json.dumps(plan, indent=2) + "\n", encoding="utf-8")
    return ExportResult(plan_path, counts)

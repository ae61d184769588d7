"""Insert, update, upsert, delete and undelete with Salesforce's per-record validation and results.

Every record goes through the same stages: read the caller's fields (INVALID_FIELD, not writable, type
coercion), fill in what the platform fills in (Id, audit fields, owner, defaults, derived fields), validate
(required, lengths, picklists, references, validation rules, uniqueness) and only then write. Nothing is
written for a record that failed, and with all-or-none nothing is written at all; the writes themselves run in
a savepoint so that a database error never leaves half of a call behind.

All-or-none failures: the failing records carry their own errors, every other record carries
ALL_OR_NONE_OPERATION_ROLLED_BACK (reference/api-surface.md §7.2) — results are returned, not raised, so that
REST, composite and flow callers can all render them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from flowforce.records.coercion import coerce_value
from flowforce.records.defaults import default_value, format_auto_number
from flowforce.records.delete_constraints import clear_lookups, restricted_deletes
from flowforce.records.derived_fields import apply_derived_fields
from flowforce.records.errors import (
    AllOrNoneRolledBack,
    DuplicateValue,
    EntityIsDeleted,
    InvalidCrossReferenceKey,
    InvalidFieldError,
    InvalidFieldForInsertUpdate,
    MalformedIdError,
    RecordError,
)
from flowforce.records.formula_fields import RecordFormulaEnv
from flowforce.records.hooks import NO_HOOKS, SaveOperation
from flowforce.records.ids import is_id, new_id, normalize_id
from flowforce.records.record import Record
from flowforce.records.record_io import chunks, load_rows
from flowforce.records.results import SaveResult
from flowforce.records.roll_ups import refresh_roll_ups
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema
from flowforce.records.tables import unique_index_name
from flowforce.records.validation import (
    canonical_picklist,
    check_field_value,
    check_record_type_value,
    missing_required,
    run_validation_rules,
)
from flowforce.records.write_plan import write_plan

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction

_AUDIT_ON_CREATE = ("CreatedDate", "CreatedById")
_UNKNOWN_DUPLICATE = "duplicate value found: <unknown> duplicates value on record with id: <unknown>"


class MissingArgument(RecordError):
    status_code = "MISSING_ARGUMENT"


class DuplicateExternalId(RecordError):
    status_code = "DUPLICATE_EXTERNAL_ID"


class UndeleteFailed(RecordError):
    status_code = "UNDELETE_FAILED"


@dataclass
class _Pending:
    """One record on its way through a DML call."""

    values: Record
    prior: Record | None = None
    changed: set[str] = field(default_factory=set)
    error: RecordError | None = None
    created: bool = False

    @property
    def id(self) -> str | None:
        return self.values.id

    @property
    def ok(self) -> bool:
        return self.error is None


class DmlExecutor:
    """Runs DML for one transaction; the transaction counts limits and owns the connection."""

    def __init__(self, txn: Transaction) -> None:
        self.txn = txn
        self.registry = txn.registry
        self.tables = txn.tables
        # id → IsDeleted for the referenced rows of the DML call being validated (prefetched in bulk).
        self._known_rows: dict[str, bool | None] = {}

    @property
    def conn(self) -> sa.Connection:
        return self.txn.connection

    # --- public operations ---------------------------------------------------------------------------------
    def insert(self, obj: ObjectSchema, records: Sequence[Mapping[str, Any]], *, all_or_none: bool,
               ignore_readonly: bool = False) -> list[SaveResult]:
        now = self.txn.now()
        pendings = [self._guard(self._prepare_insert, obj, r, now, ignore_readonly) for r in records]
        self._before_save(obj, "insert", pendings)
        self._validate_all(obj, pendings)
        return self._finish(obj, pendings, all_or_none, lambda ok: self._write_inserts(obj, ok, now))

    def update(self, obj: ObjectSchema, records: Sequence[Mapping[str, Any]], *, all_or_none: bool,
               ignore_readonly: bool = False) -> list[SaveResult]:
        now = self.txn.now()
        priors = self._load_priors(obj, [r for r in records if isinstance(r, Mapping)])
        pendings = [self._guard(self._prepare_update, obj, r, priors, now, ignore_readonly) for r in records]
        self._before_save(obj, "update", pendings)
        self._validate_all(obj, pendings)
        return self._finish(obj, pendings, all_or_none, lambda ok: self._write_updates(obj, ok))

    def upsert(self, obj: ObjectSchema, external_id_field: str, records: Sequence[Mapping[str, Any]], *,
               all_or_none: bool, ignore_readonly: bool = False) -> list[SaveResult]:
        key = obj.field(external_id_field)
        if not (key.type is FieldType.ID or key.external_id or key.id_lookup):
            raise InvalidFieldError(
                f"Field name provided, {key.name} is not an External ID or indexed field for {obj.name}",
                [key.name],
            )
        now = self.txn.now()
        matches = self._match_external_ids(obj, key, records)
        priors = self._load_priors(obj, [{"Id": m} for m in matches.values() if isinstance(m, str)])
        pendings: list[_Pending] = []
        for index, raw in enumerate(records):
            match = matches.get(index)
            if isinstance(match, RecordError):
                pendings.append(_Pending(Record(obj.name), error=match))
            elif match is None:
                body = _without(raw, "Id")
                pending = self._guard(self._prepare_insert, obj, body, now, ignore_readonly)
                pending.created = pending.ok
                pendings.append(pending)
            else:
                body = {**_without(raw, "Id"), "Id": match}
                pendings.append(self._guard(self._prepare_update, obj, body, priors, now, ignore_readonly))
        self._before_save(obj, "insert", [p for p in pendings if p.created])
        self._before_save(obj, "update", [p for p in pendings if p.prior is not None])
        self._validate_all(obj, pendings)

        def write(ok: list[_Pending]) -> None:
            self._write_inserts(obj, [p for p in ok if p.created], now)
            self._write_updates(obj, [p for p in ok if not p.created])

        return self._finish(obj, pendings, all_or_none, write)

    def delete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool) -> list[SaveResult]:
        now = self.txn.now()
        targets = [self._guard(self._prepare_delete, object_name, v) for v in ids]
        self._check_delete_targets(targets)
        self._check_restricted(targets)
        self._before_delete(targets)

        def write(ok: list[_Pending]) -> None:
            by_object: dict[str, list[str]] = {}
            for pending in ok:
                by_object.setdefault(pending.values.sobject_type, []).append(pending.values["Id"])
            for name, object_ids in by_object.items():
                self._soft_delete(self.registry.get(name), object_ids, now)

        return self._finish(None, targets, all_or_none, write)

    def undelete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool) -> list[SaveResult]:
        now = self.txn.now()
        targets = [self._guard(self._prepare_delete, object_name, v) for v in ids]
        for pending in targets:
            if pending.ok:
                row = self._existence(pending.values.sobject_type, pending.values["Id"])
                if row is None:
                    pending.error = InvalidCrossReferenceKey(fields=[])
                elif not row:
                    pending.error = UndeleteFailed("Entity is not in the recycle bin")

        def write(ok: list[_Pending]) -> None:
            for pending in ok:
                obj = self.registry.get(pending.values.sobject_type)
                table = self.tables.table(obj.name)
                self.conn.execute(table.update().where(table.c.id == pending.values["Id"])
                                  .values(isdeleted=False, **self._modified_columns(now)))

        return self._finish(None, targets, all_or_none, write)

    # --- preparing records ---------------------------------------------------------------------------------
    @staticmethod
    def _guard(prepare: Callable[..., _Pending], *args: Any) -> _Pending:
        """Run one record's preparation; a RecordError becomes that record's error instead of the call's."""
        try:
            return prepare(*args)
        except RecordError as error:
            return _Pending(Record("?"), error=error)

    def _read_input(self, obj: ObjectSchema, raw: Mapping[str, Any], *, creating: bool,
                    ignore_readonly: bool) -> dict[str, tuple[FieldSchema, Any]]:
        """Caller's fields, coerced: lower-cased name → (field, value). The Id key is left to the caller."""
        if not isinstance(raw, Mapping):
            raise RecordError(f"Invalid record: {raw!r}")
        values: dict[str, tuple[FieldSchema, Any]] = {}
        not_writable: list[str] = []
        for key, value in raw.items():
            if key == "attributes" or key.lower() == "id":
                continue
            if not obj.has_field(key):
                if ignore_readonly and (isinstance(value, Mapping | list) or value is None):
                    continue  # related records carried by a queried record variable
                raise InvalidFieldError.for_write(obj.name, key)
            schema = obj.field(key)
            if not (schema.createable if creating else schema.updateable):
                if not ignore_readonly:
                    not_writable.append(schema.name)
                continue
            values[schema.name.lower()] = (schema, canonical_picklist(schema, coerce_value(schema, value)))
        if not_writable:
            raise InvalidFieldForInsertUpdate.for_fields(not_writable)
        return values

    def _prepare_insert(self, obj: ObjectSchema, raw: Mapping[str, Any], now: dt.datetime,
                        ignore_readonly: bool) -> _Pending:
        given = _raw_id(raw) if isinstance(raw, Mapping) else None
        if given and not ignore_readonly and not self.txn.system:
            raise InvalidFieldForInsertUpdate("cannot specify Id in an insert call", ["Id"])
        inputs = self._read_input(obj, raw, creating=True, ignore_readonly=ignore_readonly)
        values = Record(obj.name)
        # The platform may keep a metadata-defined record's stable id (records/project_records.py).
        keep = self.txn.system and is_id(given) and str(given)[:3] == obj.key_prefix
        values["Id"] = normalize_id(given) if keep else new_id(obj.key_prefix)
        for schema, value in inputs.values():
            values[schema.name] = value
        values["IsDeleted"] = False
        for name in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
            values[name] = now
        for name in ("CreatedById", "LastModifiedById"):
            values[name] = self.txn.user_id
        env: RecordFormulaEnv | None = None  # built only when a default needs evaluating
        for schema, folded, defaulted, blank in write_plan(obj).fill:
            if folded in inputs or values.has_folded(folded):
                continue
            if defaulted:
                env = env or self._env(obj, values, None)
                values[schema.name] = coerce_value(schema, default_value(schema, env))
            else:
                values.put_folded(folded, schema.name, blank)
        self._apply_record_type_defaults(obj, values, inputs)
        changed = set(inputs)
        apply_derived_fields(obj.name, values, changed, now)
        return _Pending(values, changed=changed)

    @staticmethod
    def _apply_record_type_defaults(obj: ObjectSchema, values: Record, inputs: Mapping[str, Any]) -> None:
        """A new record's picklists the caller left empty take its record type's defaults, which replace the
        field's own default (a record type with no default for a picklist keeps the field's)."""
        record_type = obj.record_type_by_id(values.get("RecordTypeId"))
        for folded, default in record_type.picklist_defaults.items() if record_type is not None else ():
            if folded not in inputs and obj.has_field(folded):
                values[obj.field(folded).name] = default

    def _load_priors(self, obj: ObjectSchema, records: Sequence[Mapping[str, Any]]) -> dict[str, Record]:
        ids = [i for i in (_raw_id(r) for r in records) if i and is_id(i)]
        return load_rows(self.conn, self.tables, obj, [normalize_id(i) for i in ids], include_deleted=True)

    def _prepare_update(self, obj: ObjectSchema, raw: Mapping[str, Any], priors: Mapping[str, Record],
                        now: dt.datetime, ignore_readonly: bool) -> _Pending:
        record_id = self._target_id(obj, _raw_id(raw) if isinstance(raw, Mapping) else None)
        prior = priors.get(record_id)
        if prior is None:
            raise InvalidCrossReferenceKey(fields=[])
        if prior["IsDeleted"]:
            raise EntityIsDeleted()
        inputs = self._read_input(obj, raw, creating=False, ignore_readonly=ignore_readonly)
        values = Record(obj.name, prior)
        for schema, value in inputs.values():
            values[schema.name] = value
        values.update(self._modified_columns_by_field(now))
        changed = set(inputs)
        apply_derived_fields(obj.name, values, changed, now)
        return _Pending(values, prior=prior, changed=changed)

    def _target_id(self, obj: ObjectSchema, raw_id: Any) -> str:
        if raw_id in (None, ""):
            raise MissingArgument("Id not specified in an update call", ["Id"])
        label = f"{obj.label} ID"
        if not is_id(raw_id) or str(raw_id)[:3] != obj.key_prefix:
            raise MalformedIdError.for_field(label, "Id", raw_id)
        return normalize_id(raw_id)

    def _prepare_delete(self, object_name: str | None, raw_id: Any) -> _Pending:
        if not is_id(raw_id):
            raise MalformedIdError(f"malformed id {raw_id}", [])
        record_id = normalize_id(raw_id)
        obj = self.registry.get(object_name) if object_name else self.registry.object_for_id(record_id)
        if obj is None or record_id[:3] != obj.key_prefix:
            raise MalformedIdError(f"malformed id {raw_id}", [])
        self.txn.require_writable(obj, "deleted")
        return _Pending(Record(obj.name, {"Id": record_id}))

    def _check_delete_targets(self, targets: list[_Pending]) -> None:
        for pending in targets:
            if pending.ok:
                row = self._existence(pending.values.sobject_type, pending.values["Id"])
                if row is None:
                    pending.error = InvalidCrossReferenceKey(fields=[])
                elif row:
                    pending.error = EntityIsDeleted()

    def _check_restricted(self, targets: list[_Pending]) -> None:
        """Records that Restrict lookups still point at cannot be deleted (delete_constraints.py)."""
        by_object: dict[str, list[_Pending]] = {}
        for pending in targets:
            if pending.ok:
                by_object.setdefault(pending.values.sobject_type, []).append(pending)
        for name, pendings in by_object.items():
            refused = restricted_deletes(self.conn, self.tables, self.registry, self.registry.get(name),
                                         [p.values["Id"] for p in pendings])
            for pending in pendings:
                pending.error = refused.get(pending.values["Id"], pending.error)

    def _existence(self, object_name: str, record_id: str) -> bool | None:
        """None when there is no such row, else its IsDeleted flag."""
        if record_id in self._known_rows:
            return self._known_rows[record_id]
        table = self.tables.table(object_name)
        return self.conn.execute(sa.select(table.c.isdeleted).where(table.c.id == record_id)).scalar()

    def _match_external_ids(self, obj: ObjectSchema, key: FieldSchema,
                            records: Sequence[Mapping[str, Any]]) -> dict[int, str | RecordError | None]:
        """Record index → matched id, None (insert) or an error (several matches, malformed id)."""
        table = self.tables.table(obj.name)
        column = table.c[key.column_name]
        matches: dict[int, str | RecordError | None] = {}
        for index, raw in enumerate(records):
            value = _raw_value(raw, key.name) if isinstance(raw, Mapping) else None
            if value in (None, ""):
                matches[index] = None if key.type is FieldType.ID else MissingArgument(
                    f"{key.name} not specified", [key.name])
                continue
            try:
                value = coerce_value(key, value)
            except RecordError as error:
                matches[index] = error
                continue
            if key.type is FieldType.ID:  # upsert on Id updates that record, or fails when it does not exist
                matches[index] = value
                continue
            condition = column == value if key.case_sensitive or not key.type.is_text else \
                sa.func.lower(column) == str(value).lower()
            found = self.conn.execute(
                sa.select(table.c.id).where(condition, table.c.isdeleted.is_(sa.false()))
            ).scalars().all()
            if len(found) > 1:
                matches[index] = DuplicateExternalId(
                    f"{key.name}: more than one record found for external id field: [{', '.join(found)}]",
                    [key.name])
            else:
                matches[index] = found[0] if found else None
        return matches

    # --- hooks (records/hooks.py: record-triggered work the runtime plugged in) ------------------------------
    def _before_save(self, obj: ObjectSchema, operation: SaveOperation, pendings: list[_Pending]) -> None:
        """Before-save work may change the records; what it changed is validated like the caller's fields."""
        ready = [p for p in pendings if p.ok]
        if not ready or self.txn.hooks is NO_HOOKS:
            return
        before = [dict(p.values) for p in ready]
        errors = self.txn.hooks.before_save(self.txn, obj, operation, [p.values for p in ready],
                                            [p.prior for p in ready])
        for pending, snapshot, error in zip(ready, before, errors):
            if error is not None:
                pending.error = error
                continue
            for name, value in pending.values.items():
                if name not in snapshot or value != snapshot[name]:
                    pending.changed.add(name.lower())

    def _after_save(self, obj: ObjectSchema | None, pendings: list[_Pending]) -> bool:
        """After-save work for written records; False when it failed some of them (their errors set)."""
        if obj is None or self.txn.hooks is NO_HOOKS:
            return True
        failed = False
        operations: tuple[SaveOperation, ...] = ("insert", "update")
        for operation in operations:
            group = [p for p in pendings if (p.prior is None) == (operation == "insert")]
            if not group:
                continue
            errors = self.txn.hooks.after_save(self.txn, obj, operation, [p.values for p in group],
                                               [p.prior for p in group])
            for pending, error in zip(group, errors):
                if error is not None:
                    pending.error = error
                    failed = True
        return not failed

    def _before_delete(self, targets: list[_Pending]) -> None:
        """Before-delete work sees the stored rows and may refuse the delete, record by record."""
        ready = [p for p in targets if p.ok]
        if not ready or self.txn.hooks is NO_HOOKS:
            return
        by_object: dict[str, list[_Pending]] = {}
        for pending in ready:
            by_object.setdefault(pending.values.sobject_type, []).append(pending)
        for name, group in by_object.items():
            obj = self.registry.get(name)
            rows = load_rows(self.conn, self.tables, obj, [p.values["Id"] for p in group])
            stored = [(p, rows[p.values["Id"]]) for p in group if p.values["Id"] in rows]
            errors = self.txn.hooks.before_delete(self.txn, obj, [row for _, row in stored])
            for (pending, _), error in zip(stored, errors):
                if error is not None:
                    pending.error = error

    # --- validation ----------------------------------------------------------------------------------------
    def _env(self, obj: ObjectSchema, values: Record, prior: Record | None) -> RecordFormulaEnv:
        return RecordFormulaEnv(values, obj, self.txn, user_id=self.txn.user_id, prior=prior, now=self.txn.now())

    def _validate_all(self, obj: ObjectSchema, pendings: list[_Pending]) -> None:
        self._prefetch_references(obj, [p for p in pendings if p.ok])
        try:
            for pending in pendings:
                if pending.ok:
                    pending.error = self._validate(obj, pending)
        finally:
            self._known_rows = {}
        self._check_unique(obj, [p for p in pendings if p.ok])

    def _prefetch_references(self, obj: ObjectSchema, pendings: list[_Pending]) -> None:
        """One query per referenced object for every lookup value of the call (not one per record)."""
        wanted: dict[str, set[str]] = {}
        for schema in obj.stored_fields():
            if schema.type is not FieldType.REFERENCE:
                continue
            for pending in pendings:
                value = pending.values.get(schema.name)
                target = self.registry.object_for_id(value) if isinstance(value, str) else None
                if target is not None and isinstance(value, str):
                    wanted.setdefault(target.name, set()).add(value)
        for object_name, ids in wanted.items():
            table = self.tables.table(object_name)
            for chunk in chunks(sorted(ids), 500):
                rows = self.conn.execute(sa.select(table.c.id, table.c.isdeleted).where(table.c.id.in_(chunk)))
                self._known_rows.update({row.id: bool(row.isdeleted) for row in rows})
            for record_id in ids:
                self._known_rows.setdefault(record_id, None)

    def _validate(self, obj: ObjectSchema, pending: _Pending) -> RecordError | None:
        creating = pending.prior is None
        if creating:
            plan = write_plan(obj)
            required, value_checked, references = plan.required, plan.value_checked, plan.references
        else:
            required = value_checked = references = tuple(obj.field(n) for n in pending.changed)
        error = missing_required(obj, pending.values, list(required))
        if error:
            return error
        values = pending.values
        record_type = obj.record_type_by_id(values.get("RecordTypeId"))
        for schema in value_checked:
            value = values.get(schema.name)
            if isinstance(value, str):  # only text can be too long, off-picklist or a bad email
                error = check_field_value(schema, value) or check_record_type_value(schema, value, record_type)
                if error:
                    return error
        for schema in references:
            if schema.type is FieldType.REFERENCE and schema.name.lower() in pending.changed:
                value = pending.values.get(schema.name)
                if value is not None and (creating or value != pending.prior.get(schema.name)):  # type: ignore[union-attr]
                    error = self._check_reference(schema, value)
                    if error:
                        return error
        if not obj.validation_rules:
            return None
        return run_validation_rules(obj, self._env(obj, pending.values, pending.prior))

    def _check_reference(self, schema: FieldSchema, value: str) -> RecordError | None:
        target = self.registry.object_for_id(value)
        allowed = {name.lower() for name in schema.reference_to}
        if target is None or target.name.lower() not in allowed:
            return MalformedIdError.for_field(schema.label, schema.name, value)
        if target.name == "Organization":
            return None  # the org always exists, though the store keeps no row for it (a setting's default)
        exists = self._existence(target.name, value)
        if exists is None:
            return InvalidCrossReferenceKey(fields=[schema.name])
        if exists:
            return EntityIsDeleted(fields=[schema.name])
        return None

    def _check_unique(self, obj: ObjectSchema, pendings: list[_Pending]) -> None:
        for schema in obj.stored_fields():
            if not schema.unique:
                continue
            candidates = [p for p in pendings if p.ok and schema.name.lower() in p.changed
                          and p.values.get(schema.name) is not None]
            if candidates:
                self._check_unique_field(obj, schema, candidates)

    def _check_unique_field(self, obj: ObjectSchema, schema: FieldSchema, pendings: list[_Pending]) -> None:
        def fold(value: Any) -> Any:
            return value.lower() if isinstance(value, str) and not schema.case_sensitive else value

        seen: dict[Any, _Pending] = {}
        for pending in pendings:
            key = fold(pending.values[schema.name])
            if key in seen:
                pending.error = DuplicateValue(_UNKNOWN_DUPLICATE, [schema.name])
            else:
                seen[key] = pending
        table = self.tables.table(obj.name)
        column = table.c[schema.column_name]
        compared = column if schema.case_sensitive or not schema.type.is_text else sa.func.lower(column)
        for batch in chunks(list(seen)):
            rows = self.conn.execute(
                sa.select(table.c.id, column).where(compared.in_(batch), table.c.isdeleted.is_(sa.false()))
            )
            for existing_id, existing_value in rows:
                pending = seen[fold(existing_value)]
                if pending.ok and pending.id != existing_id:
                    pending.error = DuplicateValue.for_field(schema.name, existing_id)

    def _blame_duplicates(self, obj: ObjectSchema | None, pendings: list[_Pending], error: IntegrityError) -> None:
        """A unique index refused the write: another transaction committed the same value since the check (a
        race). Check again to name the record it duplicates; re-raise anything that is not a uniqueness race."""
        text = str(error.orig)
        objects = [obj] if obj is not None else list({p.values.sobject_type: self.registry.get(p.values.sobject_type)
                                                      for p in pendings}.values())
        for candidate in objects:
            for schema in candidate.stored_fields():
                if schema.unique and schema.type is not FieldType.ID and (
                        unique_index_name(candidate, schema) in text
                        or f"{candidate.table_name}.{schema.column_name}" in text):
                    mine = [p for p in pendings if p.ok and p.values.get(schema.name) is not None
                            and p.values.sobject_type.lower() == candidate.name.lower()]
                    if not mine:
                        raise error
                    self._check_unique_field(candidate, schema, mine)
                    if all(p.ok for p in mine):  # the duplicate is not visible: Salesforce's wording for the race
                        for pending in mine:
                            pending.error = DuplicateValue(_UNKNOWN_DUPLICATE, [schema.name])
                    return
        raise error

    # --- writing -------------------------------------------------------------------------------------------
    def _finish(self, obj: ObjectSchema | None, pendings: list[_Pending], all_or_none: bool,
                write: Callable[[list[_Pending]], None]) -> list[SaveResult]:
        failed = any(not p.ok for p in pendings)
        if failed and all_or_none:
            rolled_back = AllOrNoneRolledBack().to_dml_error()
            return [SaveResult(None, False, [p.error.to_dml_error() if p.error else rolled_back])
                    for p in pendings]
        ok = [p for p in pendings if p.ok]
        while ok:
            # The write and its after-save work succeed together or not at all; when after-save work fails
            # some records, the others are written again without them (Salesforce's partial-save retry).
            marker = self.txn.savepoint()
            try:
                write(ok)
            except IntegrityError as error:
                marker.rollback()
                self._blame_duplicates(obj, ok, error)
                if all_or_none:
                    return self._finish(obj, pendings, all_or_none, write)
                ok = [p for p in ok if p.ok]
                continue
            refresh_roll_ups(self.conn, self.tables, self.registry, [(p.values, p.prior) for p in ok])
            if self._after_save(obj, ok):
                marker.release()
                break
            marker.rollback()
            if all_or_none:
                return self._finish(obj, pendings, all_or_none, write)
            ok = [p for p in ok if p.ok]
        return [
            SaveResult(p.id, True, [], created=p.created) if p.ok
            else SaveResult(None, False, [p.error.to_dml_error()])  # type: ignore[union-attr]
            for p in pendings
        ]

    def _write_inserts(self, obj: ObjectSchema, pendings: list[_Pending], now: dt.datetime) -> None:
        if not pendings:
            return
        for schema in obj.stored_fields():
            if schema.auto_number:
                for pending in pendings:
                    number = self.txn.store.next_auto_number(self.conn, obj.name, schema.name)
                    pending.values[schema.name] = format_auto_number(schema, number, now)
        plan = write_plan(obj)
        matrix = [p.values.values_for(plan.folded) for p in pendings]
        # Columns that are null in every row are left to the column default (NULL): most fields of a new
        # record are unset, and binding them all costs more than the insert itself.
        used = [index for index in range(len(plan.columns)) if any(row[index] is not None for row in matrix)]
        rows = [{plan.columns[index]: row[index] for index in used} for row in matrix]
        self.conn.execute(self.tables.table(obj.name).insert(), rows)

    def _write_updates(self, obj: ObjectSchema, pendings: list[_Pending]) -> None:
        table = self.tables.table(obj.name)
        for pending in pendings:
            assert pending.prior is not None
            columns = {
                f.column_name: pending.values.get(f.name)
                for f in obj.stored_fields()
                if f.type is not FieldType.ID and pending.values.get(f.name) != pending.prior.get(f.name)
            }
            if columns:  # nothing changed (a frozen clock leaves even LastModifiedDate as it was)
                self.conn.execute(table.update().where(table.c.id == pending.id).values(**columns))

    def _modified_columns_by_field(self, now: dt.datetime) -> dict[str, Any]:
        return {"LastModifiedDate": now, "SystemModstamp": now, "LastModifiedById": self.txn.user_id}

    def _modified_columns(self, now: dt.datetime) -> dict[str, Any]:
        return {name.lower(): value for name, value in self._modified_columns_by_field(now).items()}

    def _soft_delete(self, obj: ObjectSchema, ids: list[str], now: dt.datetime) -> None:
        """IsDeleted = true, then the same for children whose relationship cascades (master-detail)."""
        table = self.tables.table(obj.name)
        for batch in chunks(ids):
            self.conn.execute(table.update().where(table.c.id.in_(batch))
                              .values(isdeleted=True, **self._modified_columns(now)))
        clear_lookups(self.conn, self.tables, self.registry, obj, ids, self._modified_columns(now))
        for child in obj.child_relationships:
            if not child.cascade_delete:
                continue
            child_obj = self.registry.get(child.child_sobject)
            child_table = self.tables.table(child_obj.name)
            column = child_table.c[child_obj.field(child.field).column_name]
            child_ids: list[str] = []
            for batch in chunks(ids):
                child_ids += self.conn.execute(
                    sa.select(child_table.c.id).where(column.in_(batch), child_table.c.isdeleted.is_(sa.false()))
                ).scalars().all()
            if child_ids:
                self._soft_delete(child_obj, child_ids, now)


def _raw_id(raw: Mapping[str, Any]) -> Any:
    return _raw_value(raw, "Id")


def _raw_value(raw: Mapping[str, Any], name: str) -> Any:
    folded = name.lower()
    return next((v for k, v in raw.items() if k.lower() == folded), None)


def _without(raw: Mapping[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k.lower() != name.lower()}


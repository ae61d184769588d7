"""Assembles a :class:`SchemaRegistry` from mutable drafts: standard objects first, then project metadata.

Drafts exist because SFDX metadata arrives piecemeal (object file, then one file per field, possibly extending a
standard object), while the registry's objects are immutable and need cross-object facts (child relationships,
custom key prefixes) that are only known once everything is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flowforce.records.field_builders import SYSTEM_FIELD_NAMES, reference
from flowforce.records.ids import KEY_PREFIXES, custom_key_prefix, stable_id
from flowforce.records.schema import (
    ChildRelationship,
    FieldSchema,
    ObjectSchema,
    PicklistValue,
    ProjectRecord,
    RecordTypeInfo,
    SchemaRegistry,
    ValidationRule,
)


@dataclass
class ObjectDraft:
    name: str
    label: str
    label_plural: str
    custom: bool
    key_prefix: str | None = None
    fields: dict[str, FieldSchema] = field(default_factory=dict)
    validation_rules: list[ValidationRule] = field(default_factory=list)
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    queryable: bool = True
    enable_activities: bool = False
    custom_setting: str | None = None
    record_types: list[RecordTypeInfo] = field(default_factory=list)

    def add_field(self, schema: FieldSchema) -> None:
        """Add or replace a field; a replaced field keeps its place in definition order."""
        self.fields[schema.name.lower()] = schema


# Polymorphic activity / feed references whose targets grow with custom objects that enable activities.
_ACTIVITY_REFERENCES = {("task", "whatid"), ("event", "whatid")}


def record_type_id(object_name: str, developer_name: str) -> str:
    """The stable id of a record type (the same key the RecordType record is synced under)."""
    return stable_id(KEY_PREFIXES["RecordType"], record_type_key(object_name, developer_name))


def record_type_key(object_name: str, developer_name: str) -> str:
    return f"{object_name}.{developer_name}"


def _zero_when_empty(operation: str) -> dict[str, Any]:
    """COUNT and SUM of no children read 0 (a new parent's too); MIN and MAX read null."""
    return {"default_value": "0", "default_is_formula": False} if operation in ("count", "sum") else {}


@dataclass(frozen=True)
class RecordDraft:
    """A metadata-defined record before its object's key prefix is known (the id is derived from *key*)."""

    object_name: str
    key: str
    values: Mapping[str, Any]


class RegistryBuilder:
    def __init__(self, *, include_standard: bool = True) -> None:
        self.drafts: dict[str, ObjectDraft] = {}
        self.warnings: list[str] = []
        self.records: list[RecordDraft] = []
        self.namespace: str | None = None
        self.labels: dict[str, str] = {}
        #: permission set / profile name (lower-case) → the custom permissions it enables (lower-case)
        self.custom_permission_grants: dict[str, set[str]] = {}
        #: global value sets (lower-case name → values), read before the fields that name them
        self.value_sets: dict[str, tuple[PicklistValue, ...]] = {}
        if include_standard:
            from flowforce.records.standard_objects import standard_drafts

            for draft in standard_drafts():
                self.drafts[draft.name.lower()] = draft

    def draft(self, name: str) -> ObjectDraft | None:
        return self.drafts.get(name.lower())

    def add_object(self, draft: ObjectDraft) -> ObjectDraft:
        existing = self.drafts.get(draft.name.lower())
        if existing is not None:
            # Re-declaring keeps fields already read (field files may be read before the object file).
            draft.fields = {**existing.fields, **{k: v for k, v in draft.fields.items()
                                                   if k not in existing.fields or k in SYSTEM_FIELD_NAMES}}
            draft.validation_rules = existing.validation_rules + draft.validation_rules
        self.drafts[draft.name.lower()] = draft
        return draft

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def add_record(self, object_name: str, key: str, values: Mapping[str, Any]) -> None:
        self.records.append(RecordDraft(object_name, key, values))

    def build(self) -> SchemaRegistry:
        self._extend_activity_targets()
        self._resolve_roll_ups()
        self._apply_record_types()
        prefixes = self._assign_key_prefixes()
        children = self._child_relationships()
        objects = []
        for key, draft in self.drafts.items():
            objects.append(
                ObjectSchema(
                    name=draft.name,
                    label=draft.label,
                    label_plural=draft.label_plural,
                    key_prefix=prefixes[key],
                    custom=draft.custom,
                    fields={f.name: f for f in draft.fields.values()},
                    child_relationships=tuple(children.get(key, ())),
                    validation_rules=tuple(draft.validation_rules),
                    record_types=tuple(draft.record_types),
                    namespace=self.namespace,
                    custom_setting=draft.custom_setting,
                    queryable=draft.queryable,
                    createable=draft.createable,
                    updateable=draft.updateable,
                    deletable=draft.deletable,
                    undeletable=draft.deletable,
                )
            )
        drafts = [*self.records, *self._entity_definitions(prefixes)]
        records = [ProjectRecord(r.object_name, stable_id(prefixes[r.object_name.lower()], r.key), r.values)
                   for r in drafts if r.object_name.lower() in prefixes]
        return SchemaRegistry(objects, self.warnings, project_records=records, namespace=self.namespace,
                              labels=self.labels, custom_permission_grants=self.custom_permission_grants)

    def _entity_definitions(self, prefixes: dict[str, str]) -> list[RecordDraft]:
        """One EntityDefinition record per object (flows look an object up by KeyPrefix or QualifiedApiName)."""
        if "entitydefinition" not in self.drafts:
            return []
        return [RecordDraft("EntityDefinition", f"EntityDefinition.{d.name}", {
            "DurableId": d.name, "QualifiedApiName": d.name, "DeveloperName": d.name.split("__")[-2]
            if d.custom and "__" in d.name else d.name, "MasterLabel": d.label, "Label": d.label,
            "PluralLabel": d.label_plural, "KeyPrefix": prefixes.get(key), "IsCustomizable": True,
            "NamespacePrefix": self.namespace if d.custom else None, "IsQueryable": d.queryable,
            "IsCustomSetting": d.custom_setting is not None, "IsEverCreatable": d.createable,
            "IsEverUpdatable": d.updateable, "IsEverDeletable": d.deletable,
        }) for key, d in sorted(self.drafts.items())]

    def _resolve_roll_ups(self) -> None:
        """A roll-up takes its summarized field's type (COUNT is a whole number), summarized roll-ups first; one
        whose child object or fields are unknown, or that summarizes itself in a cycle, is dropped with a
        warning."""
        pending = {(d.name.lower(), k) for d in self.drafts.values() for k, f in d.fields.items() if f.roll_up}
        while pending:
            ready = [key for key in sorted(pending) if self._roll_up_source(key) not in pending]
            if not ready:
                ready = sorted(pending)  # a cycle: each is dropped below as unresolvable
            for key in ready:
                pending.discard(key)
                self._resolve_roll_up(*key, cyclic=self._roll_up_source(key) in pending)

    def _roll_up_source(self, key: tuple[str, str]) -> tuple[str, str] | None:
        roll_up = self.drafts[key[0]].fields[key[1]].roll_up
        if roll_up is None or roll_up.summarized_field is None:
            return None
        return roll_up.child_object.lower(), roll_up.summarized_field.lower()

    def _resolve_roll_up(self, draft_key: str, key: str, *, cyclic: bool) -> None:
        draft = self.drafts[draft_key]
        schema = draft.fields[key]
        roll_up = schema.roll_up
        assert roll_up is not None
        child = self.drafts.get(roll_up.child_object.lower())
        wanted = [roll_up.foreign_key, *(f.field for f in roll_up.filters)]
        if roll_up.summarized_field:
            wanted.append(roll_up.summarized_field)
        missing = [n for n in wanted if child is None or n.lower() not in child.fields]
        if child is None or missing or cyclic:
            self.warn(f"{draft.name}.{schema.name}: roll-up over {roll_up.child_object} "
                      f"({', '.join(missing) or ('a cycle' if cyclic else 'unknown object')}) cannot be computed; "
                      "field skipped")
            del draft.fields[key]
        elif roll_up.summarized_field:
            source = child.fields[roll_up.summarized_field.lower()]
            draft.fields[key] = replace(schema, type=source.type, precision=source.precision or 18,
                                        scale=source.scale, **_zero_when_empty(roll_up.operation))
        else:
            draft.fields[key] = replace(schema, precision=18, scale=0, **_zero_when_empty("count"))

    def _apply_record_types(self) -> None:
        """Objects with record types get `RecordTypeId` (defaulting to the first active one by developer name,
        a flowforce choice: profiles decide it in Salesforce) and RecordType records."""
        for draft in self.drafts.values():
            if not draft.record_types:
                continue
            draft.record_types.sort(key=lambda rt: rt.developer_name.lower())
            active = [rt for rt in draft.record_types if rt.active]
            existing = draft.fields.get("recordtypeid")
            schema = existing or reference("RecordTypeId", ("RecordType",), "RecordType", label="Record Type ID")
            draft.add_field(replace(schema, default_value=active[0].record_id if active else None,
                                    default_is_formula=False))
            for rt in draft.record_types:
                self.records.append(RecordDraft("RecordType", record_type_key(draft.name, rt.developer_name), {
                    "Name": rt.label, "DeveloperName": rt.developer_name, "SobjectType": draft.name,
                    "IsActive": rt.active, "Description": rt.description, "NamespacePrefix": self.namespace,
                }))

    def _extend_activity_targets(self) -> None:
        extra = tuple(d.name for d in self.drafts.values() if d.custom and d.enable_activities)
        for obj_key, field_key in _ACTIVITY_REFERENCES:
            draft = self.drafts.get(obj_key)
            if draft and field_key in draft.fields and extra:
                schema = draft.fields[field_key]
                draft.fields[field_key] = replace(schema, reference_to=schema.reference_to + extra)

    def _assign_key_prefixes(self) -> dict[str, str]:
        """Standard prefixes are fixed; custom ones are hashed, in sorted order so collisions resolve stably."""
        prefixes = {key: d.key_prefix for key, d in self.drafts.items() if d.key_prefix}
        taken = set(prefixes.values())
        for key in sorted(k for k, d in self.drafts.items() if not d.key_prefix):
            prefix = custom_key_prefix(self.drafts[key].name, taken)
            prefixes[key] = prefix
            taken.add(prefix)
        return {k: v for k, v in prefixes.items() if v}

    def _child_relationships(self) -> dict[str, list[ChildRelationship]]:
        children: dict[str, list[ChildRelationship]] = {}
        for draft in self.drafts.values():
            for schema in draft.fields.values():
                if not schema.child_relationship_name:
                    continue
                for target in schema.reference_to:
                    if target.lower() not in self.drafts:
                        continue
                    children.setdefault(target.lower(), []).append(
                        ChildRelationship(
                            relationship_name=schema.child_relationship_name,
                            child_sobject=draft.name,
                            field=schema.name,
                            cascade_delete=schema.cascade_delete,
                            restricted_delete=schema.restrict_delete,
                        )
                    )
        return children

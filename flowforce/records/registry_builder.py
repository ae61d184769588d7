"""Assembles a :class:`SchemaRegistry` from mutable drafts: standard objects first, then project metadata.

Drafts exist because SFDX metadata arrives piecemeal (object file, then one file per field, possibly extending a
standard object), while the registry's objects are immutable and need cross-object facts (child relationships,
custom key prefixes) that are only known once everything is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flowforce.records.field_builders import SYSTEM_FIELD_NAMES
from flowforce.records.ids import custom_key_prefix
from flowforce.records.schema import ChildRelationship, FieldSchema, ObjectSchema, SchemaRegistry, ValidationRule


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
    enable_activities: bool = False

    def add_field(self, schema: FieldSchema) -> None:
        """Add or replace a field; a replaced field keeps its place in definition order."""
        self.fields[schema.name.lower()] = schema


# Polymorphic activity / feed references whose targets grow with custom objects that enable activities.
_ACTIVITY_REFERENCES = {("task", "whatid"), ("event", "whatid")}


class RegistryBuilder:
    def __init__(self, *, include_standard: bool = True) -> None:
        self.drafts: dict[str, ObjectDraft] = {}
        self.warnings: list[str] = []
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

    def build(self) -> SchemaRegistry:
        self._extend_activity_targets()
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
                    createable=draft.createable,
                    updateable=draft.updateable,
                    deletable=draft.deletable,
                    undeletable=draft.deletable,
                )
            )
        return SchemaRegistry(objects, self.warnings)

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
                        )
                    )
        return children

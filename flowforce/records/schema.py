"""The sObject schema: immutable object and field descriptions shared by DML, SOQL, describe and flows.

Names keep their API casing for output but every lookup is case-insensitive, as in Salesforce. The registry
is built once (standard objects plus the SFDX project's custom objects and fields) and never mutated after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from flowforce.records.errors import InvalidFieldError, InvalidTypeError


class FieldType(StrEnum):
    """Salesforce describe ``type`` values (reference/api-surface.md §6.7)."""

    ID = "id"
    STRING = "string"
    TEXTAREA = "textarea"
    DOUBLE = "double"
    INT = "int"
    CURRENCY = "currency"
    PERCENT = "percent"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    PICKLIST = "picklist"
    MULTIPICKLIST = "multipicklist"
    REFERENCE = "reference"
    BASE64 = "base64"
    ADDRESS = "address"
    LOCATION = "location"
    ENCRYPTEDSTRING = "encryptedstring"
    COMBOBOX = "combobox"
    ANYTYPE = "anyType"

    @property
    def is_text(self) -> bool:
        return self in _TEXT_TYPES

    @property
    def is_decimal(self) -> bool:
        return self in (FieldType.DOUBLE, FieldType.CURRENCY, FieldType.PERCENT)


_TEXT_TYPES = frozenset(
    {
        FieldType.ID,
        FieldType.STRING,
        FieldType.TEXTAREA,
        FieldType.EMAIL,
        FieldType.PHONE,
        FieldType.URL,
        FieldType.PICKLIST,
        FieldType.MULTIPICKLIST,
        FieldType.REFERENCE,
        FieldType.BASE64,
        FieldType.ENCRYPTEDSTRING,
        FieldType.COMBOBOX,
    }
)


@dataclass(frozen=True)
class PicklistValue:
    value: str
    label: str
    default: bool = False
    active: bool = True


@dataclass(frozen=True)
class ChildRelationship:
    relationship_name: str
    child_sobject: str
    field: str
    cascade_delete: bool = False
    restricted_delete: bool = False


@dataclass(frozen=True)
class ValidationRule:
    name: str
    formula: str
    error_message: str
    error_field: str | None = None
    active: bool = True


@dataclass(frozen=True)
class SummaryFilter:
    """One ``summaryFilterItems`` criterion of a roll-up: child field, operation (``equals``…) and value."""

    field: str
    operation: str
    value: str | None


@dataclass(frozen=True)
class RollUp:
    """A roll-up summary field's definition: ``operation`` (count/sum/min/max) over the children of
    ``child_object`` whose ``foreign_key`` points at the parent, optionally of ``summarized_field``."""

    operation: str
    child_object: str
    foreign_key: str
    summarized_field: str | None = None
    filters: tuple[SummaryFilter, ...] = ()


@dataclass(frozen=True)
class RecordTypeInfo:
    """A ``recordTypes/`` definition; ``record_id`` is stable (derived from the object and developer name)."""

    record_id: str
    developer_name: str
    label: str
    active: bool = True
    description: str | None = None
    #: picklist field (lower-case) → values this record type offers
    picklist_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: picklist field (lower-case) → its default for this record type
    picklist_defaults: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectRecord:
    """A record the project's metadata defines (a record type, a custom metadata record): the store keeps it
    in line with the metadata at every start (records/project_records.py)."""

    object_name: str
    record_id: str
    values: Mapping[str, object]


@dataclass(frozen=True)
class FieldSchema:
    """One field as describe reports it, plus what the store needs to keep it."""

    name: str
    label: str
    type: FieldType
    length: int = 0
    precision: int = 0
    scale: int = 0
    nillable: bool = True
    unique: bool = False
    external_id: bool = False
    case_sensitive: bool = False
    picklist_values: tuple[PicklistValue, ...] = ()
    restricted_picklist: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    child_relationship_name: str | None = None
    cascade_delete: bool = False
    #: lookup ``deleteConstraint Restrict``: deleting the parent fails while children point at it
    restrict_delete: bool = False
    default_value: str | None = None
    default_is_formula: bool = False
    formula: str | None = None
    auto_number: bool = False
    display_format: str | None = None
    custom: bool = False
    createable: bool = True
    updateable: bool = True
    filterable: bool = True
    sortable: bool = True
    groupable: bool = True
    name_field: bool = False
    id_lookup: bool = False
    html_formatted: bool = False
    digits: int = 0
    roll_up: RollUp | None = None
    #: a compound field (address, geolocation): its value's keys and the stored fields they come from
    components: tuple[tuple[str, str], ...] = ()

    @property
    def calculated(self) -> bool:
        return self.formula is not None

    @property
    def required(self) -> bool:
        """Salesforce's "required on create": createable, not nillable and nothing fills it in."""
        return self.createable and not self.nillable and self.default_value is None and not self.auto_number

    @property
    def column_name(self) -> str:
        return self.name.lower()

    @property
    def stored(self) -> bool:
        """Formula and compound fields have no column: they are computed when read."""
        return self.formula is None and not self.components

    @property
    def is_master_detail(self) -> bool:
        return self.type is FieldType.REFERENCE and self.cascade_delete and not self.nillable

    def default_picklist_value(self) -> str | None:
        return next((v.value for v in self.picklist_values if v.default and v.active), None)

    def picklist_value(self, value: str) -> PicklistValue | None:
        """The active picklist entry matching *value* (Salesforce matches picklist values case-insensitively)."""
        folded = value.lower()
        return next((v for v in self.picklist_values if v.active and v.value.lower() == folded), None)


@dataclass(frozen=True)
class ObjectSchema:
    name: str
    label: str
    label_plural: str
    key_prefix: str
    custom: bool
    fields: Mapping[str, FieldSchema]
    child_relationships: tuple[ChildRelationship, ...] = ()
    validation_rules: tuple[ValidationRule, ...] = ()
    record_types: tuple[RecordTypeInfo, ...] = ()
    #: the project's namespace (sfdx-project.json): ``ns__Field__c`` names ``Field__c`` inside the project
    namespace: str | None = None
    #: ``Hierarchy`` or ``List`` for a custom setting (records/custom_settings.py), else None
    custom_setting: str | None = None
    queryable: bool = True
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    undeletable: bool = True
    searchable: bool = True
    _by_lower: Mapping[str, FieldSchema] = field(default_factory=dict, repr=False, compare=False)
    _by_relationship: Mapping[str, FieldSchema] = field(default_factory=dict, repr=False, compare=False)
    _children: Mapping[str, ChildRelationship] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = MappingProxyType(dict(self.fields))
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "_by_lower", {f.name.lower(): f for f in fields.values()})
        object.__setattr__(
            self,
            "_by_relationship",
            {f.relationship_name.lower(): f for f in fields.values() if f.relationship_name},
        )
        object.__setattr__(
            self, "_children", {c.relationship_name.lower(): c for c in self.child_relationships}
        )

    @property
    def table_name(self) -> str:
        return self.name.lower()

    def _key(self, name: str) -> str:
        """The lower-cased name; a name carrying the project's own namespace (``ns__Amount__c``) without it."""
        folded = name.lower()
        if self.namespace and folded not in self._by_lower and folded not in self._by_relationship \
                and folded not in self._children:
            return strip_namespace(folded, self.namespace)
        return folded

    def field(self, name: str) -> FieldSchema:
        try:
            return self._by_lower[self._key(name)]
        except KeyError:
            raise InvalidFieldError.for_query(self.name, name) from None

    def has_field(self, name: str) -> bool:
        return self._key(name) in self._by_lower

    def parent_relationship(self, name: str) -> FieldSchema:
        """The reference field behind a parent relationship name (``Account``, ``Owner``, ``Parent__r``)."""
        try:
            return self._by_relationship[self._key(name)]
        except KeyError:
            raise InvalidFieldError.for_query(self.name, name) from None

    def has_parent_relationship(self, name: str) -> bool:
        return self._key(name) in self._by_relationship

    def record_type(self, developer_name: str) -> RecordTypeInfo | None:
        folded = developer_name.lower()
        return next((rt for rt in self.record_types if rt.developer_name.lower() == folded), None)

    def record_type_by_id(self, record_id: object) -> RecordTypeInfo | None:
        """The record type a record's ``RecordTypeId`` names (15- or 18-character id), if the object has it."""
        if not isinstance(record_id, str) or not self.record_types:
            return None
        return next((rt for rt in self.record_types if rt.record_id[:15] == record_id[:15]), None)

    def child_relationship(self, name: str) -> ChildRelationship:
        try:
            return self._children[self._key(name)]
        except KeyError:
            raise InvalidFieldError.for_query(self.name, name) from None

    def has_child_relationship(self, name: str) -> bool:
        return self._key(name) in self._children

    @property
    def name_field(self) -> FieldSchema | None:
        return next((f for f in self.fields.values() if f.name_field), None)

    def stored_fields(self) -> list[FieldSchema]:
        return list(self._stored_fields)

    @cached_property
    def _stored_fields(self) -> tuple[FieldSchema, ...]:
        """Asked for per record on every DML call; the schema never changes, so compute it once."""
        return tuple(f for f in self.fields.values() if f.stored)

    def formula_fields(self) -> list[FieldSchema]:
        return [f for f in self.fields.values() if f.calculated]

    def computed_fields(self) -> list[FieldSchema]:
        """Formula and compound fields: the ones computed when a record is read."""
        return [f for f in self.fields.values() if not f.stored]


def strip_namespace(folded: str, namespace: str) -> str:
    """``ns__thing__c`` → ``thing__c`` for the project's own namespace (lower-case in, lower-case out)."""
    prefix = namespace.lower() + "__"
    if folded.startswith(prefix) and "__" in folded[len(prefix):]:
        return folded[len(prefix):]
    return folded


def find_label(labels: Mapping[str, str], name: str) -> str | None:
    """A custom label's value (``$Label.Name``); names match case-insensitively."""
    found = labels.get(name)
    if found is None:
        folded = name.lower()
        found = next((v for k, v in labels.items() if k.lower() == folded), None)
    return found


class SchemaRegistry:
    """All sObject types the server knows, looked up case-insensitively by name or key prefix.

    *project_records* are the records the metadata itself defines (record types, custom metadata records);
    *namespace* is the project's own prefix, which names resolve with or without."""

    def __init__(self, objects: Iterable[ObjectSchema], warnings: Iterable[str] = (), *,
                 project_records: Iterable[ProjectRecord] = (), namespace: str | None = None,
                 labels: Mapping[str, str] | None = None,
                 custom_permission_grants: Mapping[str, Iterable[str]] | None = None) -> None:
        self._objects: dict[str, ObjectSchema] = {}
        for obj in objects:
            self._objects[obj.name.lower()] = obj
        self._by_prefix = {obj.key_prefix: obj for obj in self._objects.values()}
        self.warnings: list[str] = list(warnings)
        self.project_records: tuple[ProjectRecord, ...] = tuple(project_records)
        self.namespace = namespace
        #: custom labels (``labels/``) by name, for ``$Label``
        self.labels: Mapping[str, str] = MappingProxyType(dict(labels or {}))
        #: permission set / profile name → custom permissions it enables (both lower-case), for ``$Permission``
        self.custom_permission_grants: Mapping[str, frozenset[str]] = MappingProxyType(
            {holder.lower(): frozenset(p.lower() for p in names) for holder, names in
             (custom_permission_grants or {}).items()})

    def label(self, name: str) -> str | None:
        return find_label(self.labels, name)

    def grants_custom_permission(self, holders: Iterable[str], permission: str) -> bool:
        """``$Permission.Name``: whether any of *holders* (a user's profile and permission sets) enables it."""
        wanted = permission.lower()
        return any(wanted in self.custom_permission_grants.get(holder.lower(), ()) for holder in holders)

    def custom_metadata_value(self, type_name: str, record_name: str, field_name: str) -> object:
        """``$CustomMetadata.Type__mdt.Record.Field__c``: a custom metadata record's value, typed."""
        return self._custom_metadata.get(self._key(type_name), {}).get(record_name.lower(), {}).get(
            field_name.lower())

    @cached_property
    def _custom_metadata(self) -> dict[str, dict[str, dict[str, object]]]:
        from flowforce.records.coercion import coerce_value  # it builds on this module

        found: dict[str, dict[str, dict[str, object]]] = {}
        for record in self.project_records:
            obj = self._objects.get(record.object_name.lower())
            if obj is None or not obj.name.lower().endswith("__mdt"):
                continue
            values = {name.lower(): coerce_value(obj.field(name), value) for name, value in record.values.items()}
            values["id"] = record.record_id
            found.setdefault(obj.name.lower(), {})[str(record.values.get("DeveloperName", "")).lower()] = values
        return found

    def _key(self, name: str) -> str:
        folded = name.lower()
        if self.namespace and folded not in self._objects:
            return strip_namespace(folded, self.namespace)
        return folded

    def get(self, name: str) -> ObjectSchema:
        try:
            return self._objects[self._key(name)]
        except KeyError:
            raise InvalidTypeError.for_object(name) from None

    def has(self, name: str) -> bool:
        return self._key(name) in self._objects

    def by_key_prefix(self, prefix: str) -> ObjectSchema | None:
        return self._by_prefix.get(prefix[:3])

    def object_for_id(self, record_id: str) -> ObjectSchema | None:
        return self.by_key_prefix(record_id[:3]) if isinstance(record_id, str) else None

    def objects(self) -> list[ObjectSchema]:
        return list(self._objects.values())

    def roll_ups_over(self, child_object: str) -> list[tuple[ObjectSchema, FieldSchema]]:
        """The (parent object, roll-up field) pairs that summarize *child_object*'s records."""
        return self._roll_ups.get(child_object.lower(), [])

    @property
    def has_roll_ups(self) -> bool:
        return bool(self._roll_ups)

    @cached_property
    def _roll_ups(self) -> dict[str, list[tuple[ObjectSchema, FieldSchema]]]:
        found: dict[str, list[tuple[ObjectSchema, FieldSchema]]] = {}
        for obj in self._objects.values():
            for schema in obj.fields.values():
                if schema.roll_up is not None:
                    found.setdefault(schema.roll_up.child_object.lower(), []).append((obj, schema))
        return found

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._objects.values())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.has(name)

    @classmethod
    def standard(cls) -> SchemaRegistry:
        from flowforce.records.registry_builder import RegistryBuilder

        return RegistryBuilder().build()

    @classmethod
    def load(cls, project_dir: str | Path) -> SchemaRegistry:
        """Standard objects plus every custom object / field / validation rule of an SFDX project."""
        from flowforce.records.registry_builder import RegistryBuilder
        from flowforce.records.sfdx_loader import load_project

        builder = RegistryBuilder()
        load_project(Path(project_dir), builder)
        return builder.build()

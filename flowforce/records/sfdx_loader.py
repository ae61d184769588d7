"""Reads an SFDX project's schema into a :class:`RegistryBuilder`: custom objects, custom metadata types
(``__mdt``) and platform events (``__e``), their fields, validation rules and record types, plus the custom
metadata records of ``customMetadata/``, the custom labels of ``labels/`` and the project's namespace
(sfdx-project.json).

Source format is ``objects/<Object>/<Object>.object-meta.xml`` plus ``objects/<Object>/fields/*.field-meta.xml``,
``validationRules/*.validationRule-meta.xml`` and ``recordTypes/*.recordType-meta.xml``; the older single-file
format with inline ``<fields>`` / ``<validationRules>`` / ``<recordTypes>`` is read too. Fields on
standard-object folders extend those objects; fields on ``Activity`` extend Task and Event. Roll-up summaries
are stored columns kept current by DML (records/roll_ups.py); a geolocation is its latitude and longitude
components. Anything this server cannot represent (unknown types, unknown standard objects) becomes a warning
and is skipped — a project never fails to load because of one field.
XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.records.field_builders import compound, label_for, readonly, system_fields, text
from flowforce.records.registry_builder import ObjectDraft, RegistryBuilder, record_type_id
from flowforce.records.schema import (
    FieldSchema,
    FieldType,
    PicklistValue,
    RecordTypeInfo,
    RollUp,
    SummaryFilter,
    ValidationRule,
)

_SKIPPED_DIRS = {"node_modules", ".sfdx", ".sf", ".flowforce", ".git"}
_UNSUPPORTED_SUFFIXES = ("__b", "__x", "__kav", "__share", "__history", "__feed")
#: Fields declared on the Activity folder apply to both Task and Event (Salesforce's shared activity fields).
_ACTIVITY_OBJECTS = ("Task", "Event")

# SFDX field type → (describe type, default length)
_SIMPLE_TYPES: dict[str, tuple[FieldType, int]] = {
    "Text": (FieldType.STRING, 255),
    "TextArea": (FieldType.TEXTAREA, 255),
    "LongTextArea": (FieldType.TEXTAREA, 32768),
    "Html": (FieldType.TEXTAREA, 32768),
    "Email": (FieldType.EMAIL, 80),
    "Phone": (FieldType.PHONE, 40),
    "Url": (FieldType.URL, 255),
    "Number": (FieldType.DOUBLE, 0),
    "Currency": (FieldType.CURRENCY, 0),
    "Percent": (FieldType.PERCENT, 0),
    "Checkbox": (FieldType.BOOLEAN, 0),
    "Date": (FieldType.DATE, 0),
    "DateTime": (FieldType.DATETIME, 0),
    "Time": (FieldType.TIME, 0),
    "Picklist": (FieldType.PICKLIST, 255),
    "MultiselectPicklist": (FieldType.MULTIPICKLIST, 4099),
    "EncryptedText": (FieldType.ENCRYPTEDSTRING, 175),
    "AutoNumber": (FieldType.STRING, 30),
    "Lookup": (FieldType.REFERENCE, 18),
    "MasterDetail": (FieldType.REFERENCE, 18),
    # Roll-up summaries take the summarized field's type once every object is read (RegistryBuilder).
    "Summary": (FieldType.DOUBLE, 0),
    # Custom metadata relationships hold the related entity's qualified API name.
    "MetadataRelationship": (FieldType.STRING, 255),
}
_ROLL_UP_OPERATIONS = {"count", "sum", "min", "max"}
# Formula result types (formula fields declare the result in <type>).
_FORMULA_TYPES = {"Text", "Number", "Currency", "Percent", "Checkbox", "Date", "DateTime", "Time"}


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: Any, name: str) -> Any | None:
    return next((c for c in element if _local(c) == name), None)


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if _local(c) == name]


def _text(element: Any, name: str, default: str | None = None) -> str | None:
    found = _child(element, name)
    return found.text.strip() if found is not None and found.text is not None else default


def _flag(element: Any, name: str, default: bool = False) -> bool:
    value = _text(element, name)
    return default if value is None else value.lower() == "true"


def _int(element: Any, name: str, default: int = 0) -> int:
    value = _text(element, name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse(path: Path) -> Any:
    return parse_xml(path.read_bytes())


def _picklist_values(element: Any) -> tuple[tuple[PicklistValue, ...], bool, str | None]:
    value_set = _child(element, "valueSet")
    if value_set is None:  # pre-API-38 format
        legacy = _child(element, "picklist")
        entries = _children(legacy, "picklistValues") if legacy is not None else []
        values = tuple(PicklistValue(_text(v, "fullName") or "", _text(v, "fullName") or "", _flag(v, "default"))
                       for v in entries)
        return values, False, None
    definition = _child(value_set, "valueSetDefinition")
    entries = _children(definition, "value") if definition is not None else []
    values = tuple(
        PicklistValue(
            value=_text(v, "fullName") or "",
            label=_text(v, "label") or _text(v, "fullName") or "",
            default=_flag(v, "default"),
            active=_flag(v, "isActive", True),
        )
        for v in entries
    )
    return values, _flag(value_set, "restricted"), _text(value_set, "valueSetName")


def field_schemas(element: Any, object_name: str, builder: RegistryBuilder) -> list[FieldSchema]:
    """The stored fields one ``CustomField`` element declares (a geolocation declares its latitude and
    longitude components); the one place a field definition becomes schema, for project files and deploys."""
    name = _text(element, "fullName")
    if name and name.endswith("__c") and _text(element, "type") == "Location":
        return _location_components(element, name[:-3])
    schema = parse_field(element, object_name, builder)
    return [schema] if schema is not None else []


def _location_components(element: Any, base: str) -> list[FieldSchema]:
    label = _text(element, "label") or label_for(base)
    scale = _int(element, "scale", 15)
    required = _flag(element, "required")
    parts = [FieldSchema(name=f"{base}__{part}__s", label=f"{label} ({part})", type=FieldType.DOUBLE, custom=True,
                         precision=18, scale=scale, nillable=not required)
             for part in ("Latitude", "Longitude")]
    whole = compound(f"{base}__c", FieldType.LOCATION, [("latitude", parts[0].name), ("longitude", parts[1].name)],
                     label=label)
    return [*parts, replace(whole, custom=True)]


def parse_field(element: Any, object_name: str, builder: RegistryBuilder) -> FieldSchema | None:
    name = _text(element, "fullName")
    sfdx_type = _text(element, "type")
    formula = _text(element, "formula")
    where = f"{object_name}.{name}"
    if not name or not sfdx_type:
        builder.warn(f"{where}: field without fullName or type skipped")
        return None
    if not name.endswith("__c"):
        return None  # standard-field customisations (picklist values, help text) keep the built-in definition
    if sfdx_type not in _SIMPLE_TYPES or (formula is not None and sfdx_type not in _FORMULA_TYPES):
        builder.warn(f"{where}: field type {sfdx_type} is not supported; field skipped")
        return None
    field_type, length = _SIMPLE_TYPES[sfdx_type]
    attrs: dict[str, Any] = {
        "name": name,
        "label": _text(element, "label") or label_for(name),
        "type": field_type,
        "custom": True,
        "length": _int(element, "length", length) if length else 0,
        "precision": _int(element, "precision", 18) if field_type.is_decimal else 0,
        "scale": _int(element, "scale", 0) if field_type.is_decimal else 0,
        "nillable": not _flag(element, "required"),
        "unique": _flag(element, "unique"),
        "external_id": _flag(element, "externalId"),
        "case_sensitive": _flag(element, "caseSensitive"),
        "html_formatted": sfdx_type == "Html",
    }
    attrs["id_lookup"] = attrs["unique"] or attrs["external_id"]
    default = _text(element, "defaultValue")
    if default is not None:
        attrs.update(default_value=default, default_is_formula=True)
    if field_type is FieldType.BOOLEAN:
        attrs.update(nillable=False, default_value=default or "false", default_is_formula=True)
    if field_type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST):
        values, restricted, global_set = _picklist_values(element)
        shared = builder.value_sets.get(global_set.lower()) if global_set else None
        if global_set and shared is None:
            builder.warn(f"{where}: global value set {global_set} is not in the project; any value is accepted")
        elif shared is not None:
            values, restricted = shared, True  # a global value set's picklists are always restricted
        attrs.update(picklist_values=values, restricted_picklist=restricted and (shared is not None or not global_set))
        chosen = next((v.value for v in values if v.default), None)
        if chosen is not None and default is None:
            attrs.update(default_value=chosen, default_is_formula=False)
    if sfdx_type == "AutoNumber":
        attrs.update(auto_number=True, display_format=_text(element, "displayFormat"), nillable=False,
                     createable=False, updateable=False)
    if field_type is FieldType.REFERENCE:
        _reference_attrs(element, sfdx_type, name, attrs)
    if sfdx_type == "Summary":
        roll_up = _roll_up(element)
        if roll_up is None:
            builder.warn(f"{where}: roll-up summary without a supported operation and foreign key; field skipped")
            return None
        attrs.update(roll_up=roll_up, createable=False, updateable=False, nillable=True, precision=18)
    if formula is not None:
        attrs.update(formula=formula, createable=False, updateable=False, nillable=True)
    return FieldSchema(**attrs)


def _roll_up(element: Any) -> RollUp | None:
    operation = (_text(element, "summaryOperation") or "").lower()
    child, _, foreign_key = (_text(element, "summaryForeignKey") or "").partition(".")
    if operation not in _ROLL_UP_OPERATIONS or not child or not foreign_key:
        return None
    summarized = (_text(element, "summarizedField") or "").partition(".")[2] or None
    filters = tuple(SummaryFilter(field=(_text(item, "field") or "").partition(".")[2],
                                  operation=_text(item, "operation") or "equals", value=_text(item, "value"))
                    for item in _children(element, "summaryFilterItems"))
    return RollUp(operation, child, foreign_key, None if operation == "count" else summarized, filters)


def _reference_attrs(element: Any, sfdx_type: str, name: str, attrs: dict[str, Any]) -> None:
    master_detail = sfdx_type == "MasterDetail"
    target = _text(element, "referenceTo") or ""
    child_name = _text(element, "relationshipName")
    attrs.update(
        reference_to=(target,),
        relationship_name=name[:-3] + "__r",
        child_relationship_name=f"{child_name}__r" if child_name else None,
        cascade_delete=master_detail or _text(element, "deleteConstraint") == "Cascade",
        restrict_delete=not master_detail and _text(element, "deleteConstraint") == "Restrict",
    )
    if master_detail:
        attrs.update(nillable=False, updateable=_flag(element, "reparentableMasterDetail"))


def parse_validation_rule(element: Any) -> ValidationRule | None:
    name = _text(element, "fullName")
    formula = _text(element, "errorConditionFormula")
    if not name or formula is None:
        return None
    return ValidationRule(
        name=name,
        formula=formula,
        error_message=_text(element, "errorMessage") or "",
        error_field=_text(element, "errorDisplayField"),
        active=_flag(element, "active", True),
    )


def _custom_object_draft(name: str, root: Any | None) -> ObjectDraft:
    label = (_text(root, "label") if root is not None else None) or label_for(name)
    draft = ObjectDraft(
        name=name,
        label=label,
        label_plural=(_text(root, "pluralLabel") if root is not None else None) or f"{label}s",
        custom=True,
        enable_activities=_flag(root, "enableActivities") if root is not None else False,
    )
    for schema in system_fields(label, owner=True):
        draft.add_field(schema)
    name_field = _child(root, "nameField") if root is not None else None
    draft.add_field(_name_field(label, name_field))
    _apply_custom_setting(draft, root)
    return draft


def _apply_custom_setting(draft: ObjectDraft, root: Any | None) -> None:
    """A custom setting has no owner; a hierarchy one belongs to the org, a profile or a user (SetupOwnerId)."""
    kind = _text(root, "customSettingsType") if root is not None else None
    if kind not in ("Hierarchy", "List"):
        return
    draft.custom_setting = kind
    draft.fields.pop("ownerid", None)
    if kind == "Hierarchy":
        draft.add_field(FieldSchema(name="SetupOwnerId", label="Location", type=FieldType.REFERENCE, length=18,
                                    reference_to=("Organization", "Profile", "User"), relationship_name="SetupOwner",
                                    nillable=False))
        draft.add_field(replace(draft.fields["name"], nillable=True))


def _name_field(object_label: str, element: Any | None) -> FieldSchema:
    label = (_text(element, "label") if element is not None else None) or f"{object_label} Name"
    if element is not None and _text(element, "type") == "AutoNumber":
        return FieldSchema(name="Name", label=label, type=FieldType.STRING, length=30, nillable=False,
                           name_field=True, auto_number=True, display_format=_text(element, "displayFormat"),
                           createable=False, updateable=False)
    return FieldSchema(name="Name", label=label, type=FieldType.STRING, length=80, nillable=False,
                       name_field=True)


def _metadata_dirs(project: Path, folder: str) -> list[Path]:
    """Every *folder* (``objects``, ``customMetadata``) of any package directory, tool folders left out."""
    return [directory for directory in sorted(project.rglob(folder))
            if directory.is_dir() and not (_SKIPPED_DIRS & set(directory.relative_to(project).parts))]


def _object_dirs(project: Path) -> list[Path]:
    return [p for objects_dir in _metadata_dirs(project, "objects") for p in sorted(objects_dir.iterdir())
            if p.is_dir()]


def _load_object_dir(directory: Path, builder: RegistryBuilder) -> None:
    name = directory.name
    if name.endswith(_UNSUPPORTED_SUFFIXES):
        builder.warn(f"{name}: object kind not supported; skipped")
        return
    object_file = directory / f"{name}.object-meta.xml"
    root = _safe_parse(object_file, builder) if object_file.exists() else None
    if name.lower() == "activity":
        for target in _ACTIVITY_OBJECTS:
            activity = builder.draft(target)
            if activity is not None:
                _add_fields(directory, root, activity, builder, first=target == _ACTIVITY_OBJECTS[0])
        return
    draft = _object_draft(name, root, builder)
    if draft is None:
        builder.warn(f"{name}: standard object not supported by this server; its fields are skipped")
        return
    _add_fields(directory, root, draft, builder)
    rules = list(_children(root, "validationRules")) if root is not None else []
    rules += _parse_all(directory, "validationRules/*.validationRule-meta.xml", builder)
    for element in rules:
        rule = parse_validation_rule(element)
        if rule is not None:
            draft.validation_rules.append(rule)
    record_types = list(_children(root, "recordTypes")) if root is not None else []
    record_types += _parse_all(directory, "recordTypes/*.recordType-meta.xml", builder)
    for element in record_types:
        record_type = parse_record_type(element, draft.name)
        if record_type is not None:
            draft.record_types.append(record_type)
    _apply_master_detail_ownership(draft)


def _object_draft(name: str, root: Any | None, builder: RegistryBuilder) -> ObjectDraft | None:
    """The draft a folder adds to: a new custom object, custom metadata type or platform event, or the
    standard object it extends (None when this server does not know that standard object)."""
    draft = builder.draft(name)
    kind = next((k for k in _CUSTOM_KINDS if name.endswith(k)), None)
    if kind is not None and (draft is None or root is not None):
        draft = builder.add_object(_CUSTOM_KINDS[kind](name, root))
    return draft


def _add_fields(directory: Path, root: Any | None, draft: ObjectDraft, builder: RegistryBuilder, *,
                first: bool = True) -> None:
    """*first* False: a second copy of shared (Activity) fields, without a second child relationship of the
    same name on the parent (UNCONFIRMED how Salesforce names Event's)."""
    elements = list(_children(root, "fields")) if root is not None else []
    elements += _parse_all(directory, "fields/*.field-meta.xml", builder)
    for element in elements:
        for schema in field_schemas(element, draft.name, builder):
            draft.add_field(schema if first else replace(schema, child_relationship_name=None))


def _parse_all(directory: Path, pattern: str, builder: RegistryBuilder) -> list[Any]:
    return [e for e in (_safe_parse(p, builder) for p in sorted(directory.glob(pattern))) if e is not None]


def parse_record_type(element: Any, object_name: str) -> RecordTypeInfo | None:
    developer_name = _text(element, "fullName")
    if not developer_name:
        return None
    values: dict[str, tuple[str, ...]] = {}
    defaults: dict[str, str] = {}
    for entry in _children(element, "picklistValues"):
        picklist = (_text(entry, "picklist") or "").lower()
        options = _children(entry, "values")
        values[picklist] = tuple(unquote(_text(v, "fullName") or "") for v in options)
        chosen = next((unquote(_text(v, "fullName") or "") for v in options if _flag(v, "default")), None)
        if chosen is not None:
            defaults[picklist] = chosen
    return RecordTypeInfo(
        record_id=record_type_id(object_name, developer_name), developer_name=developer_name,
        label=_text(element, "label") or developer_name, active=_flag(element, "active", True),
        description=_text(element, "description"), picklist_values=values, picklist_defaults=defaults,
    )


def _special_draft(name: str, root: Any | None, suffix: str, fields: list[FieldSchema], *, createable: bool = True,
                   updateable: bool = True, deletable: bool = True, queryable: bool = True) -> ObjectDraft:
    """A custom metadata type or platform event: its labels from the object file, no owner, *fields* added."""
    label = (_text(root, "label") if root is not None else None) or label_for(name[: -len(suffix)])
    plural = (_text(root, "pluralLabel") if root is not None else None) or f"{label}s"
    draft = ObjectDraft(name=name, label=label, label_plural=plural, custom=True, createable=createable,
                        updateable=updateable, deletable=deletable, queryable=queryable)
    for schema in [*system_fields(label, owner=False), *fields]:
        draft.add_field(schema)
    return draft


def _custom_metadata_type_draft(name: str, root: Any | None) -> ObjectDraft:
    """A custom metadata type (``__mdt``): read-only records with DeveloperName, MasterLabel, QualifiedApiName."""
    return _special_draft(name, root, "__mdt", [
        text("DeveloperName", 40, "Custom Metadata Record Name", nillable=False, unique=True, id_lookup=True),
        text("MasterLabel", 40, "Label", nillable=False, name_field=True), text("Label", 40),
        text("Language", 40, "Master Language"), text("NamespacePrefix", 15),
        text("QualifiedApiName", 70, "Qualified API Name"),
    ], createable=False, updateable=False, deletable=False)


def _platform_event_draft(name: str, root: Any | None) -> ObjectDraft:
    """A platform event (``__e``): its schema only; publishing is an insert the triggers work handles."""
    return _special_draft(name, root, "__e", [
        readonly(text("ReplayId", 255, "Replay ID")), readonly(text("EventUuid", 36, "Event UUID")),
    ], updateable=False, deletable=False, queryable=False)


_CUSTOM_KINDS = {"__c": _custom_object_draft,
                 "__mdt": _custom_metadata_type_draft, "__e": _platform_event_draft}


def _apply_master_detail_ownership(draft: ObjectDraft) -> None:
    """A detail object's records are owned by their master: no OwnerId (sharing model ControlledByParent)."""
    if draft.custom and any(f.is_master_detail for f in draft.fields.values()):
        draft.fields.pop("ownerid", None)


def _safe_parse(path: Path, builder: RegistryBuilder) -> Any | None:
    try:
        return _parse(path)
    except (UnsafeXmlError, OSError) as error:
        builder.warn(f"{path}: cannot be read ({error}); skipped")
        return None


def load_project(project: Path, builder: RegistryBuilder) -> None:
    """Add every object directory under *project* (any package directory) to *builder*, then the custom
    metadata records of ``customMetadata/`` folders."""
    builder.namespace = project_namespace(project)
    for path in _metadata_files(project, "globalValueSets", "*.globalValueSet-meta.xml"):
        _load_global_value_set(path, builder)
    for directory in _object_dirs(project):
        _load_object_dir(directory, builder)
    for path in _metadata_files(project, "customMetadata", "*.md-meta.xml"):
        _load_custom_metadata_record(path, builder)
    for path in _metadata_files(project, "labels", "*.labels-meta.xml"):
        _load_labels(path, builder)
    for path in _metadata_files(project, "notificationtypes", "*.notiftype-meta.xml"):
        _load_notification_type(path, builder)
    for folder, suffix in (("permissionsets", ".permissionset-meta.xml"), ("profiles", ".profile-meta.xml")):
        for path in _metadata_files(project, folder, f"*{suffix}"):
            _load_custom_permission_grants(path, path.name[: -len(suffix)], builder)


#: Profile metadata files name the standard profiles by their API names, users by their labels.
_PROFILE_FILE_NAMES = {"admin": "System Administrator", "standard": "Standard User"}


def _load_custom_permission_grants(path: Path, name: str, builder: RegistryBuilder) -> None:
    """A permission set's or profile's enabled ``customPermissions``, for ``$Permission`` of users holding it."""
    root = _safe_parse(path, builder)
    if root is None:
        return
    enabled = {permission for item in _children(root, "customPermissions")
               if _flag(item, "enabled") and (permission := _text(item, "name"))}
    if enabled:
        holder = _PROFILE_FILE_NAMES.get(name.lower(), name)
        builder.custom_permission_grants.setdefault(holder.lower(), set()).update(p.lower() for p in enabled)


def _load_global_value_set(path: Path, builder: RegistryBuilder) -> None:
    """``globalValueSets/Name.globalValueSet-meta.xml``: the values picklists naming it offer."""
    root = _safe_parse(path, builder)
    if root is not None:
        builder.value_sets[path.name[: -len(".globalValueSet-meta.xml")].lower()] = tuple(
            PicklistValue(value=_text(v, "fullName") or "", label=_text(v, "label") or _text(v, "fullName") or "",
                          default=_flag(v, "default"), active=_flag(v, "isActive", True))
            for v in _children(root, "customValue"))


def _load_notification_type(path: Path, builder: RegistryBuilder) -> None:
    """``notificationtypes/Name.notiftype-meta.xml`` → a CustomNotificationType record (flows look one up by
    DeveloperName to send a custom notification)."""
    root = _safe_parse(path, builder)
    if root is None:
        return
    developer_name = path.name[: -len(".notiftype-meta.xml")]
    label = _text(root, "masterLabel") or developer_name
    builder.add_record("CustomNotificationType", f"CustomNotificationType.{developer_name}", {
        "DeveloperName": developer_name, "MasterLabel": label,
        "CustomNotifTypeName": _text(root, "customNotifTypeName") or label,
        "Description": _text(root, "description"), "Desktop": _flag(root, "desktop"), "Mobile": _flag(root, "mobile"),
        "NamespacePrefix": builder.namespace,
    })


def _load_labels(path: Path, builder: RegistryBuilder) -> None:
    """``labels/CustomLabels.labels-meta.xml``: each label's value (the default language's) for ``$Label``."""
    root = _safe_parse(path, builder)
    for label in _children(root, "labels") if root is not None else []:
        name = _text(label, "fullName")
        value = _child(label, "value")
        if name:
            builder.labels[name] = (value.text or "") if value is not None else ""


def project_namespace(project: Path) -> str | None:
    """``namespace`` of sfdx-project.json (None when absent, empty or unreadable)."""
    try:
        data = json.loads((project / "sfdx-project.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    namespace = data.get("namespace") if isinstance(data, dict) else None
    return namespace.strip() or None if isinstance(namespace, str) else None


def _metadata_files(project: Path, folder: str, pattern: str) -> list[Path]:
    return [path for directory in _metadata_dirs(project, folder) for path in sorted(directory.glob(pattern))]


_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _load_custom_metadata_record(path: Path, builder: RegistryBuilder) -> None:
    """``customMetadata/Type.Record.md-meta.xml`` → a record of ``Type__mdt`` (read-only, stable id)."""
    type_name, _, developer_name = path.name[: -len(".md-meta.xml")].partition(".")
    object_name = f"{type_name}__mdt"
    draft = builder.draft(object_name)
    if draft is None or not developer_name:
        builder.warn(f"{path.name}: custom metadata type {object_name} is not defined; record skipped")
        return
    root = _safe_parse(path, builder)
    if root is None:
        return
    label = _text(root, "label") or developer_name
    qualified = f"{builder.namespace}__{developer_name}" if builder.namespace else developer_name
    values: dict[str, Any] = {"DeveloperName": developer_name, "MasterLabel": label, "Label": label,
                              "Language": "en_US", "NamespacePrefix": builder.namespace,
                              "QualifiedApiName": qualified}
    for item in _children(root, "values"):
        field_name = _text(item, "field")
        value = _child(item, "value")
        if not field_name or field_name.lower() not in draft.fields:
            builder.warn(f"{path.name}: field {field_name} is not on {object_name}; value skipped")
            continue
        nil = value is None or (value.get(_XSI_NIL) or "").lower() == "true"
        values[draft.fields[field_name.lower()].name] = None if value is None or nil else (value.text or "")
    builder.add_record(object_name, f"{object_name}.{developer_name}", values)

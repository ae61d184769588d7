"""Reads custom objects, custom fields and validation rules from an SFDX project into a :class:`RegistryBuilder`.

Source format is ``objects/<Object>/<Object>.object-meta.xml`` plus ``objects/<Object>/fields/*.field-meta.xml``
and ``objects/<Object>/validationRules/*.validationRule-meta.xml``; the older single-file format with inline
``<fields>`` / ``<validationRules>`` is read too. Fields on standard-object folders extend those objects.
Anything this server cannot represent (roll-up summaries, geolocation, unknown types, unknown standard
objects) becomes a warning and is skipped — a project never fails to load because of one field.
XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.records.field_builders import label_for, system_fields
from flowforce.records.registry_builder import ObjectDraft, RegistryBuilder
from flowforce.records.schema import FieldSchema, FieldType, PicklistValue, ValidationRule

_SKIPPED_DIRS = {"node_modules", ".sfdx", ".sf", ".flowforce", ".git"}
_UNSUPPORTED_SUFFIXES = ("__mdt", "__b", "__x", "__kav", "__share", "__history", "__feed")

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
}
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
        if global_set:
            builder.warn(f"{where}: global value set {global_set} is not loaded; any value is accepted")
        attrs.update(picklist_values=values, restricted_picklist=restricted and not global_set)
        chosen = next((v.value for v in values if v.default), None)
        if chosen is not None and default is None:
            attrs.update(default_value=chosen, default_is_formula=False)
    if sfdx_type == "AutoNumber":
        attrs.update(auto_number=True, display_format=_text(element, "displayFormat"), nillable=False,
                     createable=False, updateable=False)
    if field_type is FieldType.REFERENCE:
        _reference_attrs(element, sfdx_type, name, attrs)
    if formula is not None:
        attrs.update(formula=formula, createable=False, updateable=False, nillable=True)
    return FieldSchema(**attrs)


def _reference_attrs(element: Any, sfdx_type: str, name: str, attrs: dict[str, Any]) -> None:
    master_detail = sfdx_type == "MasterDetail"
    target = _text(element, "referenceTo") or ""
    child_name = _text(element, "relationshipName")
    attrs.update(
        reference_to=(target,),
        relationship_name=name[:-3] + "__r",
        child_relationship_name=f"{child_name}__r" if child_name else None,
        cascade_delete=master_detail or _text(element, "deleteConstraint") == "Cascade",
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
    return draft


def _platform_event_draft(name: str, root: Any | None) -> ObjectDraft:
    """A platform event (`X__e`): published by creating one; never updated or deleted, no owner, no name
    (flows triggered by it run after the publishing transaction commits — runtime/trigger_hooks.py)."""
    label = (_text(root, "label") if root is not None else None) or label_for(name)
    draft = ObjectDraft(name=name, label=label, label_plural=(_text(root, "pluralLabel") if root is not None
                                                                else None) or f"{label}s",
                        custom=True, updateable=False, deletable=False)
    for schema in system_fields(label, owner=False):
        draft.add_field(schema)
    return draft


def _name_field(object_label: str, element: Any | None) -> FieldSchema:
    label = (_text(element, "label") if element is not None else None) or f"{object_label} Name"
    if element is not None and _text(element, "type") == "AutoNumber":
        return FieldSchema(name="Name", label=label, type=FieldType.STRING, length=30, nillable=False,
                           name_field=True, auto_number=True, display_format=_text(element, "displayFormat"),
                           createable=False, updateable=False)
    return FieldSchema(name="Name", label=label, type=FieldType.STRING, length=80, nillable=False,
                       name_field=True)


def _object_dirs(project: Path) -> list[Path]:
    found = []
    for objects_dir in sorted(project.rglob("objects")):
        if objects_dir.is_dir() and not (_SKIPPED_DIRS & set(objects_dir.relative_to(project).parts)):
            found += sorted(p for p in objects_dir.iterdir() if p.is_dir())
    return found


def _load_object_dir(directory: Path, builder: RegistryBuilder) -> None:
    name = directory.name
    if name.endswith(_UNSUPPORTED_SUFFIXES):
        builder.warn(f"{name}: object kind not supported; skipped")
        return
    object_file = directory / f"{name}.object-meta.xml"
    root = _safe_parse(object_file, builder) if object_file.exists() else None
    draft = builder.draft(name)
    if name.endswith("__e"):
        draft = builder.add_object(_platform_event_draft(name, root))
    elif name.endswith("__c"):
        if draft is None or root is not None:
            draft = builder.add_object(_custom_object_draft(name, root))
    elif draft is None:
        builder.warn(f"{name}: standard object not supported by this server; its fields are skipped")
        return
    elements = list(_children(root, "fields")) if root is not None else []
    elements += [e for e in (_safe_parse(p, builder) for p in sorted(directory.glob("fields/*.field-meta.xml")))
                 if e is not None]
    for element in elements:
        schema = parse_field(element, draft.name, builder)
        if schema is not None:
            draft.add_field(schema)
    rules = list(_children(root, "validationRules")) if root is not None else []
    rules += [e for e in (_safe_parse(p, builder)
                          for p in sorted(directory.glob("validationRules/*.validationRule-meta.xml")))
              if e is not None]
    for element in rules:
        rule = parse_validation_rule(element)
        if rule is not None:
            draft.validation_rules.append(rule)
    _apply_master_detail_ownership(draft)


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
    """Add every object directory under *project* (any package directory) to *builder*."""
    for directory in _object_dirs(project):
        _load_object_dir(directory, builder)

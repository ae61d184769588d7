"""describeGlobal (`GET sobjects`), basic info (`GET sobjects/X`) and `GET sobjects/X/describe` bodies.

reference/api-surface.md §6.6–6.7: every key of a field entry is always present; `type` is lower case,
`soapType` the XML schema type. Capabilities Salesforce would report but flowforce does not model
(layouts, feeds, record types) have Salesforce's defaults for a plain object.
"""

from __future__ import annotations

from typing import Any

from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema

SOAP_TYPES = {
    FieldType.ID: "tns:ID", FieldType.REFERENCE: "tns:ID", FieldType.BOOLEAN: "xsd:boolean",
    FieldType.DOUBLE: "xsd:double", FieldType.CURRENCY: "xsd:double", FieldType.PERCENT: "xsd:double",
    FieldType.INT: "xsd:int", FieldType.DATE: "xsd:date", FieldType.DATETIME: "xsd:dateTime",
    FieldType.TIME: "xsd:time", FieldType.BASE64: "xsd:base64Binary", FieldType.ADDRESS: "urn:address",
    FieldType.LOCATION: "urn:location", FieldType.ANYTYPE: "xsd:anyType",
}  # fmt: skip
NOT_GROUPABLE = frozenset({FieldType.DOUBLE, FieldType.CURRENCY, FieldType.PERCENT, FieldType.TEXTAREA,
                           FieldType.MULTIPICKLIST, FieldType.DATETIME, FieldType.ADDRESS, FieldType.LOCATION})


def object_urls(obj: ObjectSchema, version: str) -> dict[str, str]:
    base = f"/services/data/v{version}/sobjects/{obj.name}"
    return {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"}


def global_entry(obj: ObjectSchema, version: str) -> dict[str, Any]:
    return {
        "activateable": False, "createable": obj.createable, "custom": obj.custom, "customSetting": False,
        "deletable": obj.deletable, "deprecatedAndHidden": False, "feedEnabled": False,
        "keyPrefix": obj.key_prefix, "label": obj.label, "labelPlural": obj.label_plural,
        "layoutable": obj.createable, "mergeable": False, "name": obj.name, "queryable": obj.queryable,
        "replicateable": True, "retrieveable": True, "searchable": obj.searchable, "triggerable": obj.createable,
        "undeletable": obj.undeletable, "updateable": obj.updateable, "urls": object_urls(obj, version),
    }  # fmt: skip


def describe_global(objects: list[ObjectSchema], version: str) -> dict[str, Any]:
    return {"encoding": "UTF-8", "maxBatchSize": 200,
            "sobjects": [global_entry(obj, version) for obj in sorted(objects, key=lambda o: o.name.lower())]}


def basic_info(obj: ObjectSchema, version: str) -> dict[str, Any]:
    """`GET sobjects/X` (shape UNCONFIRMED in the reference): the global entry plus recent items."""
    return {"objectDescribe": global_entry(obj, version), "recentItems": []}


def _byte_length(field: FieldSchema) -> int:
    if field.type in (FieldType.ID, FieldType.REFERENCE):
        return 18
    return field.length * 3 if field.type.is_text else 0


def _default_value(field: FieldSchema) -> Any:
    if field.default_value is None or field.default_is_formula:
        return None
    if field.type is FieldType.BOOLEAN:
        return field.default_value.lower() == "true"
    return field.default_value


def _picklist_values(field: FieldSchema) -> list[dict[str, Any]]:
    return [{"active": value.active, "defaultValue": value.default, "label": value.label, "validFor": None,
             "value": value.value} for value in field.picklist_values]


def field_describe(field: FieldSchema) -> dict[str, Any]:
    system = not field.createable and not field.updateable
    return {
        "autoNumber": field.auto_number, "byteLength": _byte_length(field), "calculated": field.calculated,
        "calculatedFormula": field.formula, "caseSensitive": field.case_sensitive, "controllerName": None,
        "createable": field.createable, "custom": field.custom, "defaultValue": _default_value(field),
        "defaultValueFormula": field.default_value if field.default_is_formula else None,
        "defaultedOnCreate": field.default_value is not None or field.auto_number or (system and not field.calculated),
        "dependentPicklist": False, "deprecatedAndHidden": False, "digits": field.digits,
        "externalId": field.external_id, "filterable": field.filterable,
        "groupable": field.groupable and field.type not in NOT_GROUPABLE, "htmlFormatted": field.html_formatted,
        "idLookup": field.id_lookup, "inlineHelpText": None, "label": field.label,
        "length": field.length if field.type.is_text else 0, "name": field.name, "nameField": field.name_field,
        "namePointing": len(field.reference_to) > 1, "nillable": field.nillable,
        "picklistValues": _picklist_values(field), "precision": field.precision,
        "referenceTo": list(field.reference_to), "relationshipName": field.relationship_name,
        "relationshipOrder": None, "restrictedPicklist": field.restricted_picklist, "scale": field.scale,
        "soapType": SOAP_TYPES.get(field.type, "xsd:string"), "sortable": field.sortable, "type": str(field.type),
        "unique": field.unique, "updateable": field.updateable, "writeRequiresMasterRead": False,
    }  # fmt: skip


MASTER_RECORD_TYPE = "012000000000000AAA"


def record_type_infos(obj: ObjectSchema, version: str) -> list[dict[str, Any]]:
    """The object's record types plus Salesforce's Master; the default is the one new records get."""
    if not obj.record_types:
        return []
    default = obj.field("RecordTypeId").default_value if obj.has_field("RecordTypeId") else None
    layout = f"/services/data/v{version}/sobjects/{obj.name}/describe/layouts/"
    entries = [(rt.record_id, rt.developer_name, rt.label, rt.active, False) for rt in obj.record_types]
    entries.append((MASTER_RECORD_TYPE, "Master", "Master", True, True))
    return [{"active": active, "available": active, "defaultRecordTypeMapping": record_id == default,
             "developerName": developer_name, "master": master, "name": label, "recordTypeId": record_id,
             "urls": {"layout": layout + record_id}}
            for record_id, developer_name, label, active, master in entries]


def describe_object(obj: ObjectSchema, version: str) -> dict[str, Any]:
    urls: dict[str, str | None] = {**object_urls(obj, version)}
    urls.update({"uiDetailTemplate": None, "uiEditTemplate": None, "uiNewRecord": None})
    entry = global_entry(obj, version)
    entry.update({
        "childRelationships": [
            {"cascadeDelete": child.cascade_delete, "childSObject": child.child_sobject, "deprecatedAndHidden": False,
             "field": child.field, "junctionIdListNames": [], "junctionReferenceTo": [],
             "relationshipName": child.relationship_name, "restrictedDelete": child.restricted_delete}
            for child in obj.child_relationships
        ],
        "fields": [field_describe(field) for field in obj.fields.values()],
        "listviewable": None, "lookupLayoutable": None, "recordTypeInfos": record_type_infos(obj, version),
        "searchLayoutable": obj.searchable,
        "urls": urls,
    })  # fmt: skip
    return dict(sorted(entry.items()))

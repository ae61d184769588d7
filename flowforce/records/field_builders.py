"""Small constructors for :class:`FieldSchema` so the standard-object table and the SFDX loader read as data.

Lengths and flags follow what Salesforce describe reports for each kind of field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from flowforce.records.schema import FieldSchema, FieldType, PicklistValue


def label_for(name: str) -> str:
    """A readable label from an API name: ``AnnualRevenue`` → ``Annual Revenue``, ``Due_Date__c`` → ``Due Date``."""
    base = re.sub(r"__c$", "", name).replace("_", " ")
    base = re.sub(r"Id$", " ID", base) if name.endswith("Id") and len(name) > 2 else base
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).replace("  ", " ").strip()


def _make(name: str, type_: FieldType, label: str | None, **kw: Any) -> FieldSchema:
    return FieldSchema(name=name, label=label or label_for(name), type=type_, **kw)


def text(name: str, length: int = 255, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.STRING, label, length=length, **kw)


def textarea(name: str, length: int = 32000, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.TEXTAREA, label, length=length, **kw)


def email(name: str, label: str | None = None, length: int = 80, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.EMAIL, label, length=length, **kw)


def phone(name: str, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.PHONE, label, length=40, **kw)


def url(name: str, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.URL, label, length=255, **kw)


def boolean(name: str, label: str | None = None, default: bool = False, **kw: Any) -> FieldSchema:
    # Checkboxes are never null in Salesforce: describe reports nillable=false with a default.
    return _make(
        name, FieldType.BOOLEAN, label, nillable=False, default_value="true" if default else "false", **kw
    )


def number(
    name: str, precision: int = 18, scale: int = 0, label: str | None = None, **kw: Any
) -> FieldSchema:
    return _make(name, FieldType.DOUBLE, label, precision=precision, scale=scale, **kw)


def currency(
    name: str, precision: int = 18, scale: int = 2, label: str | None = None, **kw: Any
) -> FieldSchema:
    return _make(name, FieldType.CURRENCY, label, precision=precision, scale=scale, **kw)


def percent(
    name: str, precision: int = 3, scale: int = 0, label: str | None = None, **kw: Any
) -> FieldSchema:
    return _make(name, FieldType.PERCENT, label, precision=precision, scale=scale, **kw)


def integer(name: str, digits: int = 9, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.INT, label, digits=digits, **kw)


def date(name: str, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.DATE, label, **kw)


def datetime_(name: str, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.DATETIME, label, **kw)


def time_(name: str, label: str | None = None, **kw: Any) -> FieldSchema:
    return _make(name, FieldType.TIME, label, **kw)


def picklist_values(values: Iterable[str], default: str | None = None) -> tuple[PicklistValue, ...]:
    return tuple(PicklistValue(v, v, default=(v == default)) for v in values)


def picklist(
    name: str,
    values: Sequence[str],
    label: str | None = None,
    default: str | None = None,
    restricted: bool = False,
    multi: bool = False,
    **kw: Any,
) -> FieldSchema:
    return _make(
        name,
        FieldType.MULTIPICKLIST if multi else FieldType.PICKLIST,
        label,
        length=4099 if multi else 255,
        picklist_values=picklist_values(values, default),
        restricted_picklist=restricted,
        default_value=default,
        **kw,
    )


def reference(
    name: str,
    targets: Sequence[str],
    relationship: str,
    child: str | None = None,
    label: str | None = None,
    **kw: Any,
) -> FieldSchema:
    return _make(
        name,
        FieldType.REFERENCE,
        label,
        length=18,
        reference_to=tuple(targets),
        relationship_name=relationship,
        child_relationship_name=child,
        **kw,
    )


def compound(name: str, type_: FieldType, components: Sequence[tuple[str, str]], label: str | None = None
             ) -> FieldSchema:
    """A compound field read as one value (``{"city": …}``) from its component fields; never written, filtered or
    sorted on directly (as in Salesforce)."""
    return _make(name, type_, label, components=tuple(components), createable=False, updateable=False,
                 filterable=False, sortable=False, groupable=False)


def readonly(field: FieldSchema) -> FieldSchema:
    """The same field, not writable by DML (system-maintained)."""
    from dataclasses import replace

    return replace(field, createable=False, updateable=False)


def id_field(label: str) -> FieldSchema:
    return FieldSchema(
        name="Id",
        label=label,
        type=FieldType.ID,
        length=18,
        nillable=False,
        createable=False,
        updateable=False,
        id_lookup=True,
        default_value=None,
    )


def system_fields(object_label: str, *, owner: bool) -> list[FieldSchema]:
    """Id, OwnerId and the audit fields every record carries (set by the store, never by callers)."""
    audit_user: dict[str, Any] = {"nillable": False, "createable": False, "updateable": False}
    fields = [id_field(f"{object_label} ID")]
    if owner:
        fields.append(
            reference("OwnerId", ("User", "Group"), "Owner", label="Owner ID", nillable=False, updateable=True,
                      createable=True, default_value="$User.Id")
        )
    fields += [
        boolean("IsDeleted", label="Deleted", createable=False, updateable=False),
        datetime_("CreatedDate", label="Created Date", nillable=False, createable=False, updateable=False),
        reference("CreatedById", ("User",), "CreatedBy", label="Created By ID", **audit_user),
        datetime_("LastModifiedDate", label="Last Modified Date", nillable=False, createable=False,
                  updateable=False),
        reference("LastModifiedById", ("User",), "LastModifiedBy", label="Last Modified By ID", **audit_user),
        datetime_("SystemModstamp", label="System Modstamp", nillable=False, createable=False, updateable=False),
    ]
    return fields


SYSTEM_FIELD_NAMES = frozenset(
    {"id", "isdeleted", "createddate", "createdbyid", "lastmodifieddate", "lastmodifiedbyid", "systemmodstamp"}
)

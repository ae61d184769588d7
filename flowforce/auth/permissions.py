"""Profiles, permission sets and what they grant.

Only the permissions flowforce acts on are modelled: the system permissions below and object CRUD. A profile or
permission set grants object access through *rules* whose selector is an object name or one of three groups,
expanded against the schema registry when a session is built, so custom objects and fields added to the
project later are covered by ``*`` without touching stored data:

- ``*``: every object;
- ``standard``: standard objects that are not setup objects (Salesforce's Standard User edits those);
- ``setup``: User, Profile, PermissionSet, Organization, Group, RecordType.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flowforce.auth.errors import AuthAdminError
from flowforce.records.schema import SchemaRegistry

# System permission names, as the Session carries them (Salesforce's PermissionsXxx without the prefix).
API_ENABLED = "ApiEnabled"
RUN_FLOW = "RunFlow"
FLOW_USER = "FlowUser"  # the user checkbox UserPermissionsInteractionUser, not a profile permission
MODIFY_ALL_DATA = "ModifyAllData"
VIEW_ALL_DATA = "ViewAllData"
MANAGE_FLOWS = "ManageFlows"
SYSTEM_PERMISSIONS = frozenset({API_ENABLED, RUN_FLOW, MODIFY_ALL_DATA, VIEW_ALL_DATA, MANAGE_FLOWS})

OPERATIONS = frozenset({"read", "create", "edit", "delete"})
ALL_OPERATIONS = OPERATIONS
SETUP_OBJECTS = frozenset({"user", "profile", "permissionset", "organization", "group", "recordtype"})
GROUP_SELECTORS = ("*", "standard", "setup")


def parse_operations(value: str | Iterable[str]) -> frozenset[str]:
    """``"read,create"``, ``["read", "edit"]`` or ``"all"`` → a set of operations (edit implies read, as in
    Salesforce's object settings)."""
    items = [part.strip().lower() for part in (value.split(",") if isinstance(value, str) else value)]
    ops = set(OPERATIONS) if "all" in items else {item for item in items if item}
    unknown = ops - OPERATIONS
    if unknown:
        raise AuthAdminError(f"unknown object operation(s): {', '.join(sorted(unknown))}")
    if ops & {"create", "edit", "delete"}:
        ops.add("read")
    if "delete" in ops:
        ops.add("edit")
    return frozenset(ops)


@dataclass(frozen=True)
class PermissionSetDefinition:
    """A named bundle of system permissions and object rules (a profile is one with ``is_profile``)."""

    name: str
    label: str
    permissions: frozenset[str] = frozenset()
    object_rules: tuple[tuple[str, frozenset[str]], ...] = ()
    description: str = ""
    is_profile: bool = False

    def __post_init__(self) -> None:
        unknown = self.permissions - SYSTEM_PERMISSIONS
        if unknown:
            raise AuthAdminError(f"{self.name}: unknown permission(s) {', '.join(sorted(unknown))}; "
                                 f"known: {', '.join(sorted(SYSTEM_PERMISSIONS))}")

    def to_json(self) -> str:
        return json.dumps({
            "name": self.name, "label": self.label, "description": self.description,
            "permissions": sorted(self.permissions),
            "objects": {selector: sorted(ops) for selector, ops in self.object_rules},
        })  # fmt: skip

    @classmethod
    def from_mapping(cls, name: str, data: Mapping[str, object]) -> PermissionSetDefinition:
        """From a ``flowforce.toml`` table or :meth:`to_json`'s output: ``label``, ``description``,
        ``permissions`` (list), ``objects`` (table of selector → operations)."""
        objects = data.get("objects") or {}
        if not isinstance(objects, Mapping):
            raise AuthAdminError(f"permission set {name}: 'objects' must be a table of object = operations")
        permissions = data.get("permissions") or ()
        if isinstance(permissions, str) or not isinstance(permissions, Iterable):
            raise AuthAdminError(f"permission set {name}: 'permissions' must be a list")
        return cls(
            name=name,
            label=str(data.get("label") or name.replace("_", " ")),
            description=str(data.get("description") or ""),
            permissions=frozenset(str(p) for p in permissions),
            object_rules=tuple((str(sel), parse_operations(ops)) for sel, ops in objects.items()),  # type: ignore[arg-type]
        )


SYSTEM_ADMINISTRATOR = PermissionSetDefinition(
    "System Administrator", "System Administrator", is_profile=True,
    permissions=frozenset({API_ENABLED, RUN_FLOW, MODIFY_ALL_DATA, VIEW_ALL_DATA, MANAGE_FLOWS}),
    object_rules=(("*", ALL_OPERATIONS),),
)  # fmt: skip
STANDARD_USER = PermissionSetDefinition(
    "Standard User", "Standard User", is_profile=True,
    permissions=frozenset({API_ENABLED, RUN_FLOW}),
    object_rules=(("standard", ALL_OPERATIONS), ("setup", frozenset({"read"}))),
)  # fmt: skip
MINIMUM_ACCESS_API_ONLY = PermissionSetDefinition(
    "Minimum Access - API Only", "Minimum Access - API Only", is_profile=True,
    permissions=frozenset({API_ENABLED}),
)  # fmt: skip
# No permission at all, not even API access: a user who can hold a session but whose API calls are refused.
MINIMUM_ACCESS_SALESFORCE = PermissionSetDefinition(
    "Minimum Access - Salesforce", "Minimum Access - Salesforce", is_profile=True,
)
BUILTIN_PROFILES: dict[str, PermissionSetDefinition] = {
    p.name.lower(): p
    for p in (SYSTEM_ADMINISTRATOR, STANDARD_USER, MINIMUM_ACCESS_API_ONLY, MINIMUM_ACCESS_SALESFORCE)
}
BUILTIN_PERMISSION_SETS: dict[str, PermissionSetDefinition] = {
    p.name.lower(): p
    for p in (
        PermissionSetDefinition("Flow_Runner", "Flow Runner", frozenset({RUN_FLOW}),
                                description="Run flows shared with the user."),
        PermissionSetDefinition("API_Access", "API Access", frozenset({API_ENABLED})),
        PermissionSetDefinition("Standard_Object_Editor", "Standard Object Editor",
                                object_rules=(("standard", ALL_OPERATIONS),)),
        PermissionSetDefinition("View_All_Data", "View All Data", frozenset({VIEW_ALL_DATA})),
        PermissionSetDefinition("Flow_Admin", "Flow Admin", frozenset({API_ENABLED, MANAGE_FLOWS, RUN_FLOW})),
    )
}


@dataclass(frozen=True)
class Grants:
    """Everything a user may do, resolved once per session."""

    permissions: frozenset[str]
    object_permissions: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _selector_matches(selector: str, object_name: str, custom: bool) -> bool:
    folded = object_name.lower()
    if selector == "*":
        return True
    if selector == "setup":
        return folded in SETUP_OBJECTS
    if selector == "standard":
        return not custom and folded not in SETUP_OBJECTS
    return selector.lower() == folded


def resolve_grants(definitions: Iterable[PermissionSetDefinition], flow_user: bool,
                   registry: SchemaRegistry) -> Grants:
    """Union the profile's and permission sets' grants (Salesforce permissions only ever add)."""
    definitions = list(definitions)
    permissions = set().union(*(d.permissions for d in definitions)) if definitions else set()
    if flow_user:
        permissions.add(FLOW_USER)
    rules = [rule for d in definitions for rule in d.object_rules]
    objects: dict[str, frozenset[str]] = {}
    for obj in registry.objects():
        ops = frozenset().union(*(o for sel, o in rules if _selector_matches(sel, obj.name, obj.custom)))
        if ops:
            objects[obj.name.lower()] = ops
    return Grants(frozenset(permissions), objects)

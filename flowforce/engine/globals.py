"""`$`-prefixed global resources (reference/flow-metadata.md §4.4), resolved against the interview and context.

"References to global variables in formulas aren't validated" (H-FORMULA): unknown ones read as null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flowforce.engine.interview import Interview
from flowforce.metadata.references import RECORD_GLOBALS

if TYPE_CHECKING:
    Getter = Callable[[Interview], Any]

ORIGIN_DATETIME = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
RECORD_KEY = "$record"
PRIOR_KEY = "$record__prior"
CURRENT_RECORD_KEY = "$flow.currentrecord"

FLOW_GLOBALS: dict[str, Getter] = {
    "currentdate": lambda iv: iv.context.today(),
    "currentdatetime": lambda iv: iv.context.now(),
    "interviewstarttime": lambda iv: iv.start_time,
    "interviewguid": lambda iv: iv.guid,
    "faultmessage": lambda iv: iv.fault_message,
    "currentrecord": lambda iv: iv.values.get(CURRENT_RECORD_KEY),
    "currentstage": lambda iv: iv.values.get("$flow.currentstage"),
    "activestages": lambda iv: iv.values.get("$flow.activestages"),
}

GLOBAL_CONSTANTS: dict[str, Any] = {"true": True, "false": False, "emptystring": ""}
#: One table of record globals (metadata/references.py, where validation reads it too): root → object type.
RECORD_GLOBAL_TYPES = {name.lower(): object_type for name, object_type in RECORD_GLOBALS.items()}


def api_value(iv: Interview, name: str) -> Any:
    lowered = name.lower()
    if lowered == "session_id":
        return iv.context.session_id
    for kind, letter in (("enterprise_server_url_", "c"), ("partner_server_url_", "u")):
        if lowered.startswith(kind):
            digits = lowered[len(kind):]
            version = f"{digits[:-1]}.{digits[-1]}" if digits.isdigit() and len(digits) > 1 else digits
            return f"{iv.context.instance_url}/services/Soap/{letter}/{version}"
    return None


def global_root(parts: tuple[str, ...]) -> tuple[Getter, int]:
    """A getter for the value the global names, and how many path parts it consumed."""
    root = parts[0].lower()
    second = parts[1] if len(parts) > 1 else ""
    if root == "$flow":
        return FLOW_GLOBALS.get(second.lower(), lambda iv: None), 2
    if root in (RECORD_KEY, PRIOR_KEY):
        return (lambda iv: iv.values.get(root)), 1
    if root == "$globalconstant":
        constant = GLOBAL_CONSTANTS.get(second.lower())
        return (lambda iv: constant), 2
    object_type = RECORD_GLOBAL_TYPES.get(root)
    if object_type is not None:  # $User, $Profile, $UserRole, $Organization: the run's records of those types
        return (lambda iv: iv.context.global_record(object_type)), 1
    if root == "$api":
        return (lambda iv: api_value(iv, second)), 2
    if root == "$system":
        return (lambda iv: ORIGIN_DATETIME if second.lower() == "origindatetime" else None), 2
    if root == "$label":
        return (lambda iv: iv.context.label(second)), 2
    if root == "$setup":
        setting = tuple(parts[:3])
        return (lambda iv: iv.context.setup_value(setting)), 3
    if root == "$custommetadata":
        wanted = tuple(parts[:4])
        return (lambda iv: iv.context.custom_metadata_value(wanted)), 4
    if root == "$permission":
        return (lambda iv: iv.context.has_custom_permission(second)), 2
    return (lambda iv: None), len(parts)

"""Read-only standard fields Salesforce maintains from other fields of the same record.

These are not formula fields in Salesforce (they are stored and filterable), so the store computes them on
every write: compound names, Opportunity ``IsClosed``/``IsWon``/default ``Probability``, Case and Task
``IsClosed``, Case ``ClosedDate``, Contact-point ``EmailDomain``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from decimal import Decimal
from typing import Any

from flowforce.records.standard_objects import OPPORTUNITY_STAGES

Values = MutableMapping[str, Any]


def _compound_name(values: Values, changed: set[str], now: dt.datetime) -> None:
    parts = [values.get("FirstName"), values.get("LastName")]
    values["Name"] = " ".join(p for p in parts if p) or None


def _opportunity(values: Values, changed: set[str], now: dt.datetime) -> None:
    stage = values.get("StageName")
    values["IsClosed"] = stage in ("Closed Won", "Closed Lost")
    values["IsWon"] = stage == "Closed Won"
    if "stagename" in changed and "probability" not in changed and stage in OPPORTUNITY_STAGES:
        values["Probability"] = Decimal(OPPORTUNITY_STAGES[stage])


def _case(values: Values, changed: set[str], now: dt.datetime) -> None:
    closed = values.get("Status") == "Closed"
    if closed and not values.get("IsClosed"):
        values["ClosedDate"] = now
    elif not closed:
        values["ClosedDate"] = None
    values["IsClosed"] = closed


def _task(values: Values, changed: set[str], now: dt.datetime) -> None:
    values["IsClosed"] = values.get("Status") == "Completed"


def _contact_point_email(values: Values, changed: set[str], now: dt.datetime) -> None:
    address = values.get("EmailAddress")
    values["EmailDomain"] = address.split("@", 1)[1] if address and "@" in address else None
    values["Name"] = address


def _contact_point_phone(values: Values, changed: set[str], now: dt.datetime) -> None:
    values["Name"] = values.get("TelephoneNumber")


_DERIVERS: dict[str, Callable[[Values, set[str], dt.datetime], None]] = {
    "contact": _compound_name,
    "lead": _compound_name,
    "user": _compound_name,
    "individual": _compound_name,
    "opportunity": _opportunity,
    "case": _case,
    "task": _task,
    "contactpointemail": _contact_point_email,
    "contactpointphone": _contact_point_phone,
}


def apply_derived_fields(object_name: str, values: Values, changed: set[str], now: dt.datetime) -> None:
    """Recompute *object_name*'s derived fields in *values* (the full record after the write's changes).

    *changed* holds the lower-cased names of fields the caller set in this write.
    """
    derive = _DERIVERS.get(object_name.lower())
    if derive is not None:
        derive(values, changed, now)

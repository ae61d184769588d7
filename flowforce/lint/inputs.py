"""Inputs `flowforce check --run` gives a flow: one typical value per input variable, and none at all.

Collections get three items so that a loop goes round more than once and per-item work shows up as a count
above one; the empty input walks the paths a missing value takes (null checks, fault paths).
"""

from __future__ import annotations

from typing import Any

from flowforce.metadata import model

COLLECTION_SIZE = 3
# A well-formed record id that matches no record: lookups by id run and find nothing, as for a deleted record.
MISSING_RECORD_ID = "000000000000000AAA"
SAMPLES: dict[str, Any] = {
    "String": "flowforce", "Picklist": "flowforce", "Multipicklist": "flowforce", "LongTextArea": "flowforce",
    "Number": 3, "Currency": 3, "Boolean": True, "Date": "2026-01-15", "DateTime": "2026-01-15T09:30:00.000Z",
    "Time": "09:30:00.000Z",
}


def sample_value(variable: model.Variable, item: int = 0) -> Any:
    """A value of the variable's type (the item number makes collection items differ), None when unknown."""
    if variable.data_type == "SObject":
        return {"attributes": {"type": variable.object_type}} if variable.object_type else None
    if variable.data_type == "String" and variable.name.lower().endswith(("id", "ids")):
        return MISSING_RECORD_ID
    sample = SAMPLES.get(variable.data_type)
    if isinstance(sample, str) and variable.data_type in ("String", "LongTextArea") and item:
        return f"{sample} {item + 1}"
    if isinstance(sample, int) and not isinstance(sample, bool):
        return sample + item
    return sample


def generated_inputs(flow: model.Flow) -> list[tuple[str, dict[str, Any]]]:
    """(label, inputs) pairs: `typical` (every input set) and `empty` (none set)."""
    typical: dict[str, Any] = {}
    for variable in flow.inputs:
        if variable.is_collection:
            values = [sample_value(variable, item) for item in range(COLLECTION_SIZE)]
            if all(value is not None for value in values):
                typical[variable.name] = values
        else:
            value = sample_value(variable)
            if value is not None:
                typical[variable.name] = value
    return [("typical", typical), ("empty", {})] if typical else [("empty", {})]

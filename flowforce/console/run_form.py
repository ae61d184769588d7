"""The "run" form of a flow: one field per input of its describe, turned back into the REST `inputs` array.

Values are read the way a JSON body would carry them: numbers for DOUBLE/CURRENCY, true/false for BOOLEAN,
JSON for collections and records; an empty field is left out (the flow sees its default). What the form
builds is exactly the body the curl command beside the result sends.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

FIELD_PREFIX = "in."
NUMERIC = frozenset({"DOUBLE", "CURRENCY", "INTEGER", "LONG", "PERCENT"})


class FormInputError(ValueError):
    """A field's text cannot be the value its input takes; the message names the input."""


def form_fields(inputs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What the template draws for each describe input: its name, type and the widget that fits."""
    fields = []
    for entry in inputs:
        kind = str(entry.get("type") or "STRING")
        many = int(entry.get("maxOccurs") or 1) > 1
        widget = "json" if many or kind == "SOBJECT" or entry.get("type") is None else (
            "checkbox" if kind == "BOOLEAN" else "number" if kind in NUMERIC else "text")
        fields.append({"name": entry["name"], "field": FIELD_PREFIX + str(entry["name"]), "type": kind,
                       "collection": many, "widget": widget, "sobject": entry.get("sobjectType"),
                       "description": entry.get("description")})
    return fields


def _value(field: Mapping[str, Any], text: str) -> Any:
    if field["widget"] == "checkbox":
        return text.lower() in ("on", "true", "1")
    if field["widget"] == "json":
        try:
            return json.loads(text)
        except ValueError as error:
            raise FormInputError(f"{field['name']}: not valid JSON ({error.args[0]})") from None
    if field["widget"] == "number":
        try:
            number = float(text)
        except ValueError:
            raise FormInputError(f"{field['name']}: {text!r} is not a number") from None
        return int(number) if number.is_integer() and "." not in text else number
    return text


def inputs_from_form(fields: Sequence[Mapping[str, Any]], form: Mapping[str, str]) -> dict[str, Any]:
    """One interview's inputs from the submitted form."""
    values: dict[str, Any] = {}
    for field in fields:
        text = form.get(field["field"], "")
        if field["widget"] == "checkbox":
            if field["field"] + ".set" in form:  # the hidden marker: the box was on the form
                values[field["name"]] = _value(field, text)
            continue
        if text.strip():
            values[field["name"]] = _value(field, text.strip())
    return values


def curl_command(base_url: str, path: str, body: Any) -> str:
    """The same call from a shell (the token comes from the environment, never from the page)."""
    data = json.dumps(body, separators=(",", ":"))
    return (f"curl -X POST {shlex.quote(base_url.rstrip('/') + path)} \\\n"
            "  -H \"Authorization: Bearer $FLOWFORCE_TOKEN\" -H 'Content-Type: application/json' \\\n"
            f"  -d {shlex.quote(data)}")

"""SOQL error codes, one class each, with Salesforce's framed message.

reference/api-surface.md §5: a query error message starts with a newline, echoes the SOQL line, puts
a caret under the offending column, then `ERROR at Row:r:Column:c` and the detail.
"""

from __future__ import annotations

from typing import ClassVar

from flowforce.records import errors as record_errors
from flowforce.soql.ast import Position


class SoqlError(record_errors.RecordError):
    """Base class: `status_code` is the REST errorCode (records' convention), `message` the framed text."""

    status_code: ClassVar[str] = "MALFORMED_QUERY"
    http_status: ClassVar[int] = 400

    def __init__(self, detail: str, position: Position | None = None, source: str | None = None) -> None:
        super().__init__(frame_message(detail, position, source))
        self.detail = detail
        self.position = position
        self.source = source

    @property
    def error_code(self) -> str:
        return self.status_code

    def located(self, position: Position | None, source: str | None) -> SoqlError:
        """The same error framed against *source* (used when a hand-built query is re-parsed)."""
        return type(self)(self.detail, position, source)

    def to_dict(self) -> dict[str, str]:
        return {"message": self.message, "errorCode": self.status_code}


class MalformedQueryError(SoqlError):
    status_code = "MALFORMED_QUERY"


class InvalidFieldError(SoqlError, record_errors.InvalidFieldError):
    status_code = "INVALID_FIELD"


class InvalidTypeError(SoqlError, record_errors.InvalidTypeError):
    status_code = "INVALID_TYPE"


class InvalidQueryFilterOperatorError(SoqlError):
    """Bad filter values such as a malformed Id (`invalid ID field: foo`)."""

    status_code = "INVALID_QUERY_FILTER_OPERATOR"


class NumberOutsideValidRangeError(SoqlError):
    """`OFFSET` above 2,000."""

    status_code = "NUMBER_OUTSIDE_VALID_RANGE"


def frame_message(detail: str, position: Position | None, source: str | None) -> str:
    if position is None or source is None:
        return detail
    lines = source.split("\n")
    line = lines[position.row - 1] if 0 < position.row <= len(lines) else ""
    caret = " " * (position.column - 1) + "^"
    return f"\n{line}\n{caret}\nERROR at Row:{position.row}:Column:{position.column}\n{detail}"


def no_such_column(name: str, entity: str) -> str:
    return (
        f"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, be sure "
        "to append the '__c' after the custom field name. Please reference your WSDL or the describe call "
        "for the appropriate names."
    )


def no_such_relationship(name: str) -> str:
    return (
        f"Didn't understand relationship '{name}' in field path. If you are attempting to use a custom "
        "relationship, be sure to append the '__r' after the custom relationship name. Please reference "
        "your WSDL or the describe call for the appropriate names."
    )


def no_such_child_relationship(name: str) -> str:
    return (
        f"Didn't understand relationship '{name}' in FROM part of query call. If you are attempting to use a "
        "custom relationship, be sure to append the '__r' after the custom relationship name. Please "
        "reference your WSDL or the describe call for the appropriate names."
    )


def unsupported_type(name: str) -> str:
    return (
        f"sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure to "
        "append the '__c' after the entity name. Please reference your WSDL or the describe call for the "
        "appropriate names."
    )

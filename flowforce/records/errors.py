"""Salesforce DML / schema error codes, one exception class per code.

Every class knows its Salesforce ``status_code`` (the ``errorCode`` / ``statusCode`` string clients switch on), a
``message`` worded as Salesforce words it, and the ``fields`` it concerns; the REST layer renders them in one
place (reference/api-surface.md §2) and per-record DML results carry them as :class:`DmlError` values.
Where the wording is not confirmed by the reference, the message is Salesforce's well-known text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class DmlError:
    """One error of one record in a DML result (Salesforce's ``Database.Error``)."""

    status_code: str
    message: str
    fields: list[str] = field(default_factory=list)


class RecordError(Exception):
    """Base of all record-store errors that Salesforce reports with an error code."""

    status_code: ClassVar[str] = "UNKNOWN_EXCEPTION"

    def __init__(self, message: str, fields: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fields = list(fields)

    def to_dml_error(self) -> DmlError:
        return DmlError(self.status_code, self.message, list(self.fields))


class RequiredFieldMissing(RecordError):
    status_code = "REQUIRED_FIELD_MISSING"

    @classmethod
    def for_fields(cls, names: Sequence[str]) -> RequiredFieldMissing:
        return cls(f"Required fields are missing: [{', '.join(names)}]", names)


class StringTooLong(RecordError):
    status_code = "STRING_TOO_LONG"

    @classmethod
    def for_value(cls, label: str, name: str, value: str, max_length: int) -> StringTooLong:
        # Salesforce prefixes the field *label* and lists the API name in fields.
        return cls(f"{label}: data value too large: {value} (max length={max_length})", [name])


class InvalidOrNullForRestrictedPicklist(RecordError):
    status_code = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"

    @classmethod
    def for_value(cls, name: str, value: str) -> InvalidOrNullForRestrictedPicklist:
        return cls(f"bad value for restricted picklist field: {value}", [name])


class FieldCustomValidationException(RecordError):
    status_code = "FIELD_CUSTOM_VALIDATION_EXCEPTION"


class CannotExecuteFlowTrigger(RecordError):
    """A record-triggered flow failed, so the record that fired it is not saved (api-surface.md §7: "We can't
    save this record because the “X” process failed …")."""

    status_code = "CANNOT_EXECUTE_FLOW_TRIGGER"

    @classmethod
    def for_flow(cls, label: str, details: str) -> CannotExecuteFlowTrigger:
        return cls(f"We can't save this record because the “{label}” process failed. Give your Salesforce admin "
                   f"these details. {details}")


class DuplicateValue(RecordError):
    status_code = "DUPLICATE_VALUE"

    @classmethod
    def for_field(cls, name: str, existing_id: str) -> DuplicateValue:
        return cls(f"duplicate value found: {name} duplicates value on record with id: {existing_id}", [name])


class InvalidCrossReferenceKey(RecordError):
    status_code = "INVALID_CROSS_REFERENCE_KEY"

    def __init__(self, message: str = "invalid cross reference id", fields: Sequence[str] = ()) -> None:
        super().__init__(message, fields)


class MalformedIdError(RecordError, ValueError):
    status_code = "MALFORMED_ID"

    @classmethod
    def for_field(cls, label: str, name: str, value: object) -> MalformedIdError:
        return cls(f"{label}: id value of incorrect type: {value}", [name])


class InvalidFieldError(RecordError, KeyError):
    status_code = "INVALID_FIELD"

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return self.message

    @classmethod
    def for_query(cls, object_name: str, field_name: str) -> InvalidFieldError:
        # reference/api-surface.md §5 (the SOQL engine adds the row/column framing in front).
        return cls(
            f"No such column '{field_name}' on entity '{object_name}'. If you are attempting to use a custom "
            "field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
            "describe call for the appropriate names.",
            [field_name],
        )

    @classmethod
    def for_write(cls, object_name: str, field_name: str) -> InvalidFieldError:
        # reference/api-surface.md §2: REST writes use a shorter wording than SOQL.
        return cls(f"No such column '{field_name}' on sobject of type {object_name}", [field_name])


class InvalidTypeError(RecordError, KeyError):
    status_code = "INVALID_TYPE"

    def __str__(self) -> str:
        return self.message

    @classmethod
    def for_object(cls, object_name: str) -> InvalidTypeError:
        return cls(
            f"sObject type '{object_name}' is not supported. If you are attempting to use a custom object, be "
            "sure to append the '__c' after the entity name. Please reference your WSDL or the describe call "
            "for the appropriate names."
        )


class EntityIsDeleted(RecordError):
    status_code = "ENTITY_IS_DELETED"

    def __init__(self, message: str = "entity is deleted", fields: Sequence[str] = ()) -> None:
        super().__init__(message, fields)


class InvalidFieldForInsertUpdate(RecordError):
    status_code = "INVALID_FIELD_FOR_INSERT_UPDATE"

    @classmethod
    def for_fields(cls, names: Sequence[str]) -> InvalidFieldForInsertUpdate:
        return cls(
            f"Unable to create/update fields: {', '.join(names)}. Please check the security settings of this field and "
            "verify that it is read/write for your profile or permission set.",
            names,
        )


class InvalidType(RecordError):
    """A value of the wrong Python/JSON type for its field (Salesforce's INVALID_TYPE_ON_FIELD_IN_RECORD)."""

    status_code = "INVALID_TYPE_ON_FIELD_IN_RECORD"

    @classmethod
    def for_value(cls, label: str, name: str, value: object) -> InvalidType:
        return cls(f"{label}: value not of required type: {value}", [name])


class InvalidEmailAddress(RecordError):
    status_code = "INVALID_EMAIL_ADDRESS"

    @classmethod
    def for_value(cls, label: str, name: str, value: str) -> InvalidEmailAddress:
        # reference/api-surface.md §2 (composite sample): "Email: invalid email address: Not a real email address"
        return cls(f"{label}: invalid email address: {value}", [name])


class NumberOutsideValidRange(RecordError):
    status_code = "NUMBER_OUTSIDE_VALID_RANGE"

    @classmethod
    def for_value(cls, label: str, name: str, value: object) -> NumberOutsideValidRange:
        return cls(f"{label}: value outside of valid range on numeric field: {value}", [name])


class FieldIntegrityException(RecordError):
    status_code = "FIELD_INTEGRITY_EXCEPTION"

    @classmethod
    def nul_character(cls, label: str, name: str) -> FieldIntegrityException:
        # UNCONFIRMED wording; PostgreSQL cannot store NUL in text, and SQLite would keep what Salesforce cannot.
        return cls(f"{label}: text values cannot contain the NUL character (\\u0000)", [name])


class InvalidTypeForOperation(RecordError):
    """DML on an object the platform keeps itself (Flow, FlowDefinitionView, FlowInterview…).

    UNCONFIRMED wording: Salesforce's SOAP status code for the case, with "entity type cannot be <verb>".
    """

    status_code = "INVALID_TYPE_FOR_OPERATION"

    @classmethod
    def for_operation(cls, verb: str, object_label: str) -> InvalidTypeForOperation:
        return cls(f"entity type cannot be {verb}: {object_label}")


class AllOrNoneRolledBack(RecordError):
    """Marks the innocent records of an all-or-none call that failed (reference/api-surface.md §7.2)."""

    status_code = "ALL_OR_NONE_OPERATION_ROLLED_BACK"

    def __init__(
        self,
        message: str = "Record rolled back because not all records were valid and the request was using "
        "AllOrNone header",
        fields: Sequence[str] = (),
    ) -> None:
        super().__init__(message, fields)


class LimitException(Exception):
    """A governor limit was exceeded: not a per-record DML error, it stops the whole transaction.

    reference/confirmations.md §7: the flow fault message carries the bare text, e.g. ``Too many SOQL queries: 101``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SchemaMigrationError(Exception):
    """The metadata asks for a storage change that cannot be applied without losing or rewriting data."""


class DmlException(Exception):
    """Raised by callers that want an exception for a failed all-or-none DML call; carries the first error."""

    def __init__(self, error: DmlError) -> None:
        super().__init__(f"{error.status_code}: {error.message}")
        self.error = error

"""Salesforce REST errors: one class per errorCode, each knowing its HTTP status, rendered in one place.

reference/api-surface.md §2: every error body is a JSON array of `{"message", "errorCode"[, "fields"]}`
(key order as Salesforce sends it). Record-store and SOQL exceptions carry their own `status_code`; they are
mapped onto these classes by `from_record_error`. Messages marked UNCONFIRMED in the reference are
Salesforce's well-known wording.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.responses import json_response
from flowforce.records.errors import RecordError

log = logging.getLogger("flowforce.api")


class ApiError(Exception):
    """A Salesforce REST error; subclasses fix `error_code`, `status` and the default message."""

    error_code: ClassVar[str] = "UNKNOWN_EXCEPTION"
    status: ClassVar[int] = 400
    default_message: ClassVar[str] = ""

    def __init__(self, message: str | None = None, fields: Sequence[str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.fields = list(fields) if fields is not None else None
        self.headers = headers
        super().__init__(self.message)

    @property
    def http_status(self) -> int:
        return self.status

    @property
    def code(self) -> str:
        return self.error_code

    def entry(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "errorCode": self.code}
        if self.fields:
            body["fields"] = self.fields
        return body

    def body(self) -> list[dict[str, Any]]:
        return [self.entry()]


class InvalidSessionId(ApiError):
    error_code, status, default_message = "INVALID_SESSION_ID", 401, "Session expired or invalid"


class NotFound(ApiError):
    error_code, status, default_message = "NOT_FOUND", 404, "The requested resource does not exist"


METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class MethodNotAllowed(ApiError):
    error_code, status = "METHOD_NOT_ALLOWED", 405

    @classmethod
    def for_method(cls, method: str, allowed: str) -> MethodNotAllowed:
        # UNCONFIRMED wording (api-surface.md §2).
        return cls(f"HTTP Method '{method}' not allowed. Allowed are {allowed}", headers={"Allow": allowed})


class JsonParserError(ApiError):
    error_code, status = "JSON_PARSER_ERROR", 400


class MalformedQuery(ApiError):
    error_code, status = "MALFORMED_QUERY", 400


class InvalidField(ApiError):
    error_code, status = "INVALID_FIELD", 400


class InvalidType(ApiError):
    error_code, status = "INVALID_TYPE", 400


class InvalidQueryLocator(ApiError):
    # UNCONFIRMED message (api-surface.md §5).
    error_code, status, default_message = "INVALID_QUERY_LOCATOR", 400, "invalid query locator"


class MalformedId(ApiError):
    error_code, status = "MALFORMED_ID", 400


class EntityIsDeleted(ApiError):
    # api-surface.md §6.4: deleting twice answers 404 (UNCONFIRMED).
    error_code, status, default_message = "ENTITY_IS_DELETED", 404, "entity is deleted"


class InsufficientAccess(ApiError):
    error_code, status, default_message = "INSUFFICIENT_ACCESS", 403, "insufficient access rights on object id"


class InsufficientAccessOrReadonly(ApiError):
    error_code, status = "INSUFFICIENT_ACCESS_OR_READONLY", 400
    default_message = "insufficient access rights on object id"


class ApiDisabled(ApiError):
    # The auth layer's wording for a user without API Enabled (flowforce/auth/errors.py).
    error_code, status, default_message = "API_CURRENTLY_DISABLED", 403, "API is disabled for this User"


class RequestLimitExceeded(ApiError):
    error_code, status, default_message = "REQUEST_LIMIT_EXCEEDED", 403, "TotalRequests Limit exceeded."


class UnsupportedMediaType(ApiError):
    error_code, status = "UNSUPPORTED_MEDIA_TYPE", 415

    @classmethod
    def for_type(cls, content_type: str) -> UnsupportedMediaType:
        return cls(f"Content type '{content_type}' not supported")


class RequestTooLarge(ApiError):
    # UNCONFIRMED errorCode: Salesforce documents only the 413 status for oversized bodies.
    error_code, status = "REQUEST_ENTITY_TOO_LARGE", 413

    @classmethod
    def for_limit(cls, limit: int) -> RequestTooLarge:
        return cls(f"The request body exceeds the maximum size of {limit} bytes.")


class UnsupportedApiVersion(ApiError):
    # api-surface.md §2: retired versions answer 410 GONE (body UNCONFIRMED).
    error_code, status = "UNSUPPORTED_API_VERSION", 410


class ProcessingHalted(ApiError):
    error_code, status = "PROCESSING_HALTED", 400
    default_message = ("The transaction was rolled back since another operation in the same transaction "
                       "failed.")


class RecordApiError(ApiError):
    """A record-store / SOQL error code that has no class of its own: its code, status 400."""

    def __init__(self, error_code: str, message: str, fields: Sequence[str] | None = None,
                 status: int = 400) -> None:
        super().__init__(message, fields)
        self._code = error_code
        self._status = status

    @property
    def code(self) -> str:
        return self._code

    @property
    def http_status(self) -> int:
        return self._status


class UnknownException(ApiError):
    error_code, status = "UNKNOWN_EXCEPTION", 500

    @classmethod
    def with_error_id(cls) -> UnknownException:
        error_id = f"{uuid.uuid4().int % 10**10}-{uuid.uuid4().int % 10**6} ({uuid.uuid4().int % 10**10})"
        return cls(f"An unexpected error occurred. Please include this ErrorId if you contact support: {error_id}")


BY_CODE: dict[str, type[ApiError]] = {
    cls.error_code: cls
    for cls in (NotFound, JsonParserError, MalformedQuery, InvalidField, InvalidType, InvalidQueryLocator,
                MalformedId, EntityIsDeleted, InsufficientAccess, InsufficientAccessOrReadonly)
}


def from_record_error(error: RecordError) -> ApiError:
    """Map a records/SOQL exception by its `status_code` (SOQL errors also carry `http_status`)."""
    fields = error.fields or None
    known = BY_CODE.get(error.status_code)
    if known is not None:
        return known(error.message, fields)
    return RecordApiError(error.status_code, error.message, fields, getattr(error, "http_status", 400))


def from_dml_errors(errors: Sequence[Any]) -> ApiError:
    """A failed single-record SaveResult as the REST error array (statusCode → errorCode)."""
    first = errors[0]
    known = BY_CODE.get(first.status_code)
    if known is not None:
        return known(first.message, first.fields)
    return RecordApiError(first.status_code, first.message, first.fields)


def error_response(error: ApiError) -> Response:
    return json_response(error.body(), error.http_status, error.headers)


# --- handlers (the one place errors become responses) --------------------------------------------------


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def record_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RecordError)
    return error_response(from_record_error(exc))


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's routing errors (unknown path, wrong method) in Salesforce's shape."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        given = [method.strip() for method in (exc.headers or {}).get("Allow", "GET").split(",")]
        allowed = ",".join(sorted(given, key=METHOD_ORDER.index))
        return error_response(MethodNotAllowed.for_method(request.method, allowed))
    if exc.status_code == 404:
        return error_response(NotFound())
    return error_response(RecordApiError("UNKNOWN_EXCEPTION", str(exc.detail), status=exc.status_code))


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    """No stack trace ever reaches a client: log it with the ErrorId the client sees."""
    error = UnknownException.with_error_id()
    log.error("%s %s failed: %s", request.method, request.url.path, error.message, exc_info=exc)
    return error_response(error)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ApiError: api_error_handler,
    RecordError: record_error_handler,
    HTTPException: http_error_handler,
    Exception: unexpected_error_handler,
}

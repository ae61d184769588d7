"""What the REST layer needs from the auth service, and the per-request session it hands back.

The auth service (`flowforce.auth.service.AuthService`) is built elsewhere; these protocols are the contract
the routes code against, so a test can pass a small fake.
"""

from __future__ import annotations

from typing import Any, Protocol

from starlette.requests import Request

from flowforce.api.errors import ApiError, InsufficientAccess, InsufficientAccessOrReadonly, RecordApiError


class Session(Protocol):
    @property
    def user_id(self) -> str: ...

    @property
    def org_id(self) -> str: ...

    @property
    def permissions(self) -> frozenset[str]: ...

    @property
    def session_id(self) -> str: ...

    @property
    def user_record(self) -> Any: ...


class FlowAccess(Protocol):
    @property
    def allowed(self) -> bool: ...


class AuthPort(Protocol):
    @property
    def org_id(self) -> str: ...

    def authenticate(self, bearer_value: str) -> Session | None: ...

    def can_run_flow(self, session: Any, flow_api_name: str) -> FlowAccess: ...

    def can_access_object(self, session: Any, object_name: str, op: str) -> bool: ...


def current_session(request: Request) -> Session:
    """The session the auth middleware attached (every route behind it has one)."""
    session: Session = request.scope["state"]["session"]
    return session


def flow_access_error(access: Any) -> ApiError:
    """The Salesforce error a refused flow run answers with, as the auth service describes it.

    The auth service owns the wording; this reads whichever of its attributes are present (an ApiError,
    an `error` object, or `error_code`/`message`/`http_status` fields) and defaults to 403 INSUFFICIENT_ACCESS.
    """
    error = getattr(access, "error", None)
    if isinstance(error, ApiError):
        return error
    source = error if error is not None else access
    code = getattr(source, "error_code", None) or getattr(source, "errorCode", None)
    message = getattr(source, "message", None)
    status = getattr(source, "http_status", None) or getattr(source, "status", None)
    if isinstance(source, dict):
        code = source.get("errorCode", code)
        message = source.get("message", message)
        status = source.get("status", status)
    if not code:
        return InsufficientAccess(message) if message else InsufficientAccess()
    return RecordApiError(str(code), str(message or ""), status=int(status or 403))


def require_object_access(auth: AuthPort, session: Session, object_name: str, op: str) -> None:
    """Object permissions for DML (UNCONFIRMED wording; reads are handled as "not visible" by callers)."""
    if not auth.can_access_object(session, object_name, op):
        raise InsufficientAccessOrReadonly()

"""The per-request session the auth gate attached, and the REST errors access decisions turn into."""

from __future__ import annotations

from starlette.requests import Request

from flowforce.api.errors import ApiError, InsufficientAccessOrReadonly, RecordApiError
from flowforce.auth.service import AuthService
from flowforce.auth.session import FlowAccess, Session

__all__ = ["Session", "current_session", "flow_access_error", "require_object_access"]


def current_session(request: Request) -> Session:
    """The session the auth middleware attached (every route behind it has one)."""
    session: Session = request.scope["state"]["session"]
    return session


def flow_access_error(access: FlowAccess) -> ApiError:
    """The Salesforce error a refused flow run answers with; the auth service owns its wording."""
    assert access.error is not None, "a refused flow run carries its error"
    error = access.error
    return RecordApiError(error.error_code, error.message, status=error.status)


def require_object_access(auth: AuthService, session: Session, object_name: str, op: str) -> None:
    """Object permissions for DML (UNCONFIRMED wording; reads are handled as "not visible" by callers)."""
    if not auth.can_access_object(session, object_name, op):
        raise InsufficientAccessOrReadonly()

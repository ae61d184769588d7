"""What an authenticated request carries, and the access decisions made from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flowforce.auth.errors import API_DISABLED_FOR_USER, FLOW_ACCESS_DENIED, RestError
from flowforce.auth.permissions import (
    API_ENABLED,
    FLOW_USER,
    MANAGE_FLOWS,
    MODIFY_ALL_DATA,
    RUN_FLOW,
    VIEW_ALL_DATA,
)
from flowforce.records.record import Record


@dataclass(frozen=True, eq=False)
class Session:
    """The caller of one request: who, with which permissions, through which app, until when.

    ``user_record`` is the store's User record (the flow engine's ``$User``); it is shared by every request of
    the session while cached, so copy it before changing it. ``session_id`` is the bearer value itself
    (``$Api.Session_ID``).
    """

    user_id: str
    username: str
    org_id: str
    profile_name: str
    permissions: frozenset[str]
    object_permissions: Mapping[str, frozenset[str]]
    client_id: str | None
    issued_at: dt.datetime
    expires_at: dt.datetime
    user_record: Record
    session_id: str

    @property
    def api_enabled(self) -> bool:
        return API_ENABLED in self.permissions

    @property
    def is_flow_admin(self) -> bool:
        return bool(self.permissions & {MODIFY_ALL_DATA, MANAGE_FLOWS})


@dataclass(frozen=True)
class FlowAccess:
    """Whether a session may run a flow; when not, the REST error Salesforce answers."""

    allowed: bool
    error: RestError | None = None

    @property
    def status(self) -> int | None:
        return self.error.status if self.error else None

    @property
    def error_code(self) -> str | None:
        return self.error.error_code if self.error else None

    @property
    def message(self) -> str | None:
        return self.error.message if self.error else None


ALLOWED = FlowAccess(True)


def needs_share_lookup(session: Session) -> bool:
    """Whether `decide_flow_access` depends on the flow being shared with this user."""
    return session.api_enabled and not session.is_flow_admin and bool(session.permissions & {RUN_FLOW, FLOW_USER})


def decide_flow_access(session: Session, shared_with_user: bool) -> FlowAccess:
    """Flow admins (Modify All Data or Manage Flows) run any flow; others need Run Flows or the Flow User
    checkbox *and* a share of the flow (seed 003: "the flow must be shared with the user … make sure the user
    is a Flow User"). Everything needs API Enabled, since the flow is invoked through the API."""
    if not session.api_enabled:
        return FlowAccess(False, API_DISABLED_FOR_USER)
    if session.is_flow_admin:
        return ALLOWED
    if session.permissions & {RUN_FLOW, FLOW_USER} and shared_with_user:
        return ALLOWED
    return FlowAccess(False, FLOW_ACCESS_DENIED)


def object_access(session: Session, object_name: str, op: str) -> bool:
    """Object CRUD: Modify All Data grants everything, View All Data grants read, else the resolved rules."""
    if MODIFY_ALL_DATA in session.permissions:
        return True
    if op == "read" and VIEW_ALL_DATA in session.permissions:
        return True
    return op in session.object_permissions.get(object_name.lower(), frozenset())

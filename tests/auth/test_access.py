"""Who may run which flow, and object CRUD."""

from __future__ import annotations

import pytest

from flowforce.auth.service import AuthService, DevOrg
from flowforce.auth.session import Session

from .conftest import CLIENT_ID, CLIENT_SECRET, make_user

FLOW = "Create_Order"


def session_for(auth: AuthService, username: str, **options: object) -> Session:
    person = make_user(auth, username, **options)
    token = auth.token_password(CLIENT_ID, CLIENT_SECRET, person.username, person.password_plus_token).access_token
    session = auth.authenticate(token)
    assert session is not None
    return session


@pytest.mark.parametrize(
    ("options", "shared", "allowed", "error_code"),
    [
        ({"profile": "System Administrator", "flow_user": False}, False, True, None),
        ({"profile": "Minimum Access - API Only", "flow_user": True}, True, True, None),
        ({"profile": "Minimum Access - API Only", "flow_user": True}, False, False, "INSUFFICIENT_ACCESS"),
        ({"profile": "Standard User", "flow_user": False}, True, True, None),  # Run Flows + share
        ({"profile": "Standard User", "flow_user": False}, False, False, "INSUFFICIENT_ACCESS"),
        ({"profile": "Minimum Access - API Only", "flow_user": False}, True, False, "INSUFFICIENT_ACCESS"),
        ({"profile": "Minimum Access - API Only", "flow_user": False, "permission_sets": ["Flow_Runner"]}, True,
         True, None),
        ({"profile": "Minimum Access - API Only", "flow_user": False, "permission_sets": ["Flow_Admin"]}, False,
         True, None),
        ({"profile": "Minimum Access - Salesforce", "flow_user": True}, True, False, "API_CURRENTLY_DISABLED"),
    ],
)
def test_can_run_flow(auth: AuthService, dev: DevOrg, options: dict, shared: bool, allowed: bool,
                      error_code: str | None) -> None:
    session = session_for(auth, "u@example.com", **options)
    if shared:
        auth.share_flow(FLOW, session.username)
    access = auth.can_run_flow(session, FLOW)
    assert access.allowed is allowed
    assert access.error_code == error_code
    if not allowed:
        assert access.status == 403 and access.message


def test_share_is_per_flow_and_case_insensitive(auth: AuthService, dev: DevOrg) -> None:
    session = session_for(auth, "u@example.com", profile="Standard User")
    auth.share_flow("create_order", session.username)
    assert auth.can_run_flow(session, "Create_Order").allowed
    assert not auth.can_run_flow(session, "Other_Flow").allowed


def test_unshare(auth: AuthService, dev: DevOrg) -> None:
    session = session_for(auth, "u@example.com", profile="Standard User")
    auth.share_flow(FLOW, session.username)
    auth.share_flow(FLOW, session.username)  # idempotent
    assert auth.flow_shares(FLOW) == [session.username]
    assert auth.unshare_flow(FLOW, session.username)
    assert auth.flow_shares(FLOW) == []
    assert not auth.can_run_flow(session, FLOW).allowed


def test_object_access_by_profile(auth: AuthService, dev: DevOrg) -> None:
    admin = session_for(auth, "a@example.com", profile="System Administrator")
    standard = session_for(auth, "s@example.com", profile="Standard User")
    api_only = session_for(auth, "m@example.com", profile="Minimum Access - API Only")
    assert auth.can_access_object(admin, "User", "delete")
    assert auth.can_access_object(standard, "Account", "delete")
    assert auth.can_access_object(standard, "User", "read")
    assert not auth.can_access_object(standard, "User", "edit")
    assert not auth.can_access_object(api_only, "Account", "read")


def test_view_all_data_reads_everything(auth: AuthService, dev: DevOrg) -> None:
    viewer = session_for(auth, "v@example.com", profile="Minimum Access - API Only", permission_sets=["View_All_Data"])
    assert auth.can_access_object(viewer, "Opportunity", "read")
    assert not auth.can_access_object(viewer, "Opportunity", "create")


def test_custom_permission_set_grants_object_crud(auth: AuthService, dev: DevOrg) -> None:
    auth.configure_from({"permission_sets": {"Case_Desk": {"objects": {"Case": "create"}}}})
    session = session_for(auth, "c@example.com", profile="Minimum Access - API Only", permission_sets=["Case_Desk"])
    assert session.object_permissions["case"] == {"read", "create"}
    assert auth.can_access_object(session, "case", "create")
    assert not auth.can_access_object(session, "Case", "delete")


def test_permission_change_applies_to_live_sessions(auth: AuthService, dev: DevOrg) -> None:
    session = session_for(auth, "u@example.com", profile="Minimum Access - API Only", flow_user=False)
    auth.share_flow(FLOW, session.username)
    assert not auth.can_run_flow(session, FLOW).allowed
    auth.update_user(session.username, flow_user=True)
    refreshed = auth.authenticate(session.session_id)
    assert refreshed is not None and auth.can_run_flow(refreshed, FLOW).allowed

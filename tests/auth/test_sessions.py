"""Using tokens: authenticate, expiry (fake clock), revoke, introspect, userinfo, identity URL."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from flowforce.auth.service import AuthService, DevOrg

from .conftest import ADMIN, CLIENT_ID, CLIENT_SECRET, INSTANCE_URL, FakeClock

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


@pytest.fixture
def token(auth: AuthService, dev: DevOrg) -> str:
    return auth.token_client_credentials(CLIENT_ID, CLIENT_SECRET).access_token


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def test_session_fields(auth: AuthService, token: str) -> None:
    session = auth.authenticate(token)
    assert session is not None
    assert session.username == ADMIN
    assert session.org_id == auth.org_id
    assert session.profile_name == "System Administrator"
    assert session.client_id == CLIENT_ID
    assert session.session_id == token
    assert session.user_record["Username"] == ADMIN
    assert {"ApiEnabled", "ModifyAllData", "ManageFlows", "FlowUser"} <= session.permissions
    assert session.object_permissions["account"] == {"read", "create", "edit", "delete"}
    assert (session.expires_at - session.issued_at).total_seconds() == 3600


def test_authorization_header_value_is_accepted(auth: AuthService, token: str) -> None:
    assert auth.authenticate(f"Bearer {token}") is not None


@pytest.mark.parametrize("value", ["", "garbage", "00D000000000001!nope"])
def test_unknown_tokens(auth: AuthService, dev: DevOrg, value: str) -> None:
    assert auth.authenticate(value) is None


def test_token_expires_after_the_session_timeout(auth: AuthService, token: str, clock: FakeClock) -> None:
    clock.advance(3601)
    assert auth.authenticate(token) is None


def test_expiry_slides_when_used_after_half_the_timeout(auth: AuthService, token: str, clock: FakeClock) -> None:
    clock.advance(2000)  # past half of 3600 s
    assert auth.authenticate(token) is not None
    clock.advance(3000)  # 5000 s after issue, 3000 s after the last use
    assert auth.authenticate(token) is not None
    clock.advance(3601)
    assert auth.authenticate(token) is None


def test_revoke_then_token_no_longer_authenticates(client: TestClient, auth: AuthService, token: str) -> None:
    assert auth.authenticate(token) is not None  # cached now: revoking must drop the cache too
    response = client.post("/services/oauth2/revoke", data={"token": token})
    assert response.status_code == 200
    assert response.content == b""
    assert auth.authenticate(token) is None
    assert client.get("/services/oauth2/userinfo", headers=bearer(token)).status_code == 401


def test_revoke_with_get(client: TestClient, auth: AuthService, token: str) -> None:
    assert client.get("/services/oauth2/revoke", params={"token": token}).status_code == 200
    assert auth.authenticate(token) is None


def test_revoking_a_refresh_token_revokes_its_access_tokens(auth: AuthService, dev: DevOrg) -> None:
    refresh = auth.issue_refresh_token(CLIENT_ID, ADMIN)
    access = auth.token_refresh(CLIENT_ID, CLIENT_SECRET, refresh).access_token
    other = auth.token_client_credentials(CLIENT_ID, CLIENT_SECRET).access_token
    auth.revoke(refresh)
    assert auth.authenticate(access) is None
    assert auth.authenticate(other) is not None


def test_revoke_unknown_token(client: TestClient, dev: DevOrg) -> None:
    response = client.post("/services/oauth2/revoke", data={"token": "nope"})
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_token_type",
                               "error_description": "this token type is not supported"}


def test_introspect_active_token(client: TestClient, auth: AuthService, token: str, clock: FakeClock) -> None:
    response = client.post("/services/oauth2/introspect", data={
        "token": token, "token_type_hint": "access_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200
    body = response.json()
    user_id = auth.users.require(ADMIN).user_id
    assert body == {"active": True, "scope": "api refresh_token", "client_id": CLIENT_ID, "username": ADMIN,
                    "sub": f"{INSTANCE_URL}/id/{auth.org_id}/{user_id}", "token_type": "access_token",
                    "exp": int(clock.now) + 3600, "iat": int(clock.now), "nbf": int(clock.now)}


def test_introspect_revoked_token(client: TestClient, auth: AuthService, token: str) -> None:
    auth.revoke(token)
    response = client.post("/services/oauth2/introspect",
                           data={"token": token, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.json() == {"active": False}


def test_introspect_needs_client_credentials(client: TestClient, token: str) -> None:
    response = client.post("/services/oauth2/introspect",
                           data={"token": token, "client_id": CLIENT_ID, "client_secret": "wrong"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


def test_userinfo(client: TestClient, auth: AuthService, token: str) -> None:
    response = client.get("/services/oauth2/userinfo", headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    body = response.json()
    user_id = auth.users.require(ADMIN).user_id
    assert body["user_id"] == user_id
    assert body["organization_id"] == auth.org_id
    assert body["preferred_username"] == ADMIN
    assert body["sub"] == f"{INSTANCE_URL}/id/{auth.org_id}/{user_id}"
    assert body["email"] == ADMIN
    assert body["active"] is True


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_userinfo_without_a_valid_session(client: TestClient, dev: DevOrg, headers: dict[str, str]) -> None:
    response = client.get("/services/oauth2/userinfo", headers=headers)
    assert response.status_code == 401
    assert response.json() == INVALID_SESSION


def test_identity_url_from_the_token_response(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    body = auth.token_client_credentials(CLIENT_ID, CLIENT_SECRET).as_json()
    path = body["id"].removeprefix(INSTANCE_URL)
    response = client.get(path, params={"format": "json", "oauth_token": body["access_token"]})  # jsforce identity()
    assert response.status_code == 200
    identity = response.json()
    assert identity["id"] == body["id"]
    assert identity["user_id"] == path.split("/")[-1]
    assert identity["organization_id"] == auth.org_id
    assert identity["username"] == ADMIN
    assert identity["urls"]["rest"] == f"{INSTANCE_URL}/services/data/v{{version}}/"


def test_identity_accepts_15_char_ids(client: TestClient, auth: AuthService, token: str) -> None:
    user_id = auth.users.require(ADMIN).user_id
    response = client.get(f"/id/{auth.org_id[:15]}/{user_id[:15]}", headers=bearer(token))
    assert response.status_code == 200


def test_identity_of_another_user_is_not_found(client: TestClient, auth: AuthService, token: str) -> None:
    other = auth.add_user("other@example.com", "pw")
    response = client.get(f"/id/{auth.org_id}/{other.user_id}", headers=bearer(token))
    assert response.status_code == 404


def test_identity_needs_a_session(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    user_id = auth.users.require(ADMIN).user_id
    response = client.get(f"/id/{auth.org_id}/{user_id}")
    assert response.status_code == 401
    assert response.json() == INVALID_SESSION

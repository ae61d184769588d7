"""POST /services/oauth2/token: every grant's success body and every §4.2 error body."""

from __future__ import annotations

import base64
import re

import pytest
from starlette.testclient import TestClient

from flowforce.auth.service import AuthService, DevOrg

from .conftest import ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, INSTANCE_URL, make_user

TOKEN_RE = re.compile(r"^00D\w{12}![.\w]+$")  # reference/clients.md §1.10: what sf accepts
JSON_TYPE = "application/json;charset=UTF-8"


def post_token(client: TestClient, **form: str):
    return client.post("/services/oauth2/token", data=form)


def assert_token_body(body: dict, auth: AuthService, user_id: str, keys: set[str]) -> None:
    assert set(body) == keys
    assert TOKEN_RE.match(body["access_token"])
    assert body["access_token"].startswith(auth.org_id[:15] + "!")
    assert body["instance_url"] == INSTANCE_URL
    assert body["id"] == f"{INSTANCE_URL}/id/{auth.org_id}/{user_id}"
    assert body["id"].split("/")[-2:] == [auth.org_id, user_id]  # what jsforce's parseIdUrl takes
    assert body["token_type"] == "Bearer"


def test_client_credentials_form_fields(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    response = post_token(client, grant_type="client_credentials", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_TYPE
    body = response.json()
    admin_id = auth.users.require(ADMIN).user_id
    assert_token_body(body, auth, admin_id, {"access_token", "signature", "scope", "token_format", "instance_url",
                                             "id", "token_type", "issued_at"})
    assert body["token_format"] == "opaque"
    assert body["issued_at"] == str(1_800_000_000 * 1000)  # a string of epoch milliseconds
    assert base64.b64decode(body["signature"]) and len(base64.b64decode(body["signature"])) == 32
    assert auth.authenticate(body["access_token"]).username == ADMIN


def test_client_credentials_http_basic_like_simple_salesforce(client: TestClient, auth: AuthService,
                                                              dev: DevOrg) -> None:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    response = client.post("/services/oauth2/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200
    assert auth.authenticate(response.json()["access_token"]) is not None


def test_client_credentials_without_run_as_user(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    app = auth.add_app("No Run As", client_secret="other-secret")
    response = post_token(client, grant_type="client_credentials", client_id=app.client_id,
                          client_secret="other-secret")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "no client credentials user enabled"}


def test_password_grant_with_security_token(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "ops@example.com", profile="Standard User")
    response = post_token(client, grant_type="password", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                          username=person.username, password=person.password_plus_token)
    assert response.status_code == 200
    body = response.json()
    user_id = auth.users.require(person.username).user_id
    assert_token_body(body, auth, user_id, {"access_token", "instance_url", "id", "token_type", "issued_at",
                                            "signature", "scope"})
    assert "refresh_token" not in body  # §4.1: the password grant never issues one


def test_password_grant_requires_the_token_for_untrusted_users(client: TestClient, auth: AuthService,
                                                               dev: DevOrg) -> None:
    person = make_user(auth, "ops@example.com")
    response = post_token(client, grant_type="password", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                          username=person.username, password=person.password)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "authentication failure"}


def test_password_grant_trusted_user_without_token(client: TestClient, dev: DevOrg) -> None:
    response = post_token(client, grant_type="password", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                          username=ADMIN, password=ADMIN_PASSWORD)
    assert response.status_code == 200


def test_username_is_case_insensitive(client: TestClient, dev: DevOrg) -> None:
    response = post_token(client, grant_type="password", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                          username=ADMIN.upper(), password=ADMIN_PASSWORD)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"username": ADMIN, "password": "wrong"}, ("invalid_grant", "authentication failure")),
        ({"username": "nobody@example.com", "password": ADMIN_PASSWORD}, ("invalid_grant", "authentication failure")),
        ({"username": ADMIN, "password": ADMIN_PASSWORD, "client_id": "unknown"},
         ("invalid_client_id", "client identifier invalid")),
        ({"username": ADMIN, "password": ADMIN_PASSWORD, "client_secret": "wrong"},
         ("invalid_client", "invalid client credentials")),
    ],
)
def test_password_grant_errors(client: TestClient, dev: DevOrg, form: dict, expected: tuple[str, str]) -> None:
    data = {"grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form}
    response = post_token(client, **data)
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON_TYPE
    assert response.json() == {"error": expected[0], "error_description": expected[1]}


def test_inactive_user_cannot_log_in(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "gone@example.com")
    user_id = auth.users.require(person.username).user_id
    with auth.store.transaction() as txn:
        txn.update("User", [{"Id": user_id, "IsActive": False}])
    response = post_token(client, grant_type="password", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                          username=person.username, password=person.password_plus_token)
    assert response.json() == {"error": "invalid_grant", "error_description": "authentication failure"}


def test_unsupported_grant_type(client: TestClient, dev: DevOrg) -> None:
    response = post_token(client, grant_type="urn:example:magic-link", code="x", client_id=CLIENT_ID)
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type", "error_description": "grant type not supported"}


def test_refresh_token_grant(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    refresh = auth.issue_refresh_token(CLIENT_ID, ADMIN)
    response = post_token(client, grant_type="refresh_token", refresh_token=refresh, client_id=CLIENT_ID,
                          client_secret=CLIENT_SECRET)
    assert response.status_code == 200
    body = response.json()
    assert_token_body(body, auth, auth.users.require(ADMIN).user_id,
                      {"access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"})
    assert "refresh_token" not in body  # no rotation
    assert auth.authenticate(body["access_token"]).username == ADMIN


def test_refresh_token_grant_secret_is_optional(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    refresh = auth.issue_refresh_token(CLIENT_ID, ADMIN)
    response = post_token(client, grant_type="refresh_token", refresh_token=refresh, client_id=CLIENT_ID)
    assert response.status_code == 200


@pytest.mark.parametrize("refresh", ["not-a-token", ""])
def test_bad_refresh_token(client: TestClient, dev: DevOrg, refresh: str) -> None:
    response = post_token(client, grant_type="refresh_token", refresh_token=refresh, client_id=CLIENT_ID,
                          client_secret=CLIENT_SECRET)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "expired access/refresh token"}


def test_refresh_token_of_another_app_is_refused(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    other = auth.add_app("Other", client_secret="other-secret", run_as_username=ADMIN)
    refresh = auth.issue_refresh_token(other.client_id, ADMIN)
    response = post_token(client, grant_type="refresh_token", refresh_token=refresh, client_id=CLIENT_ID,
                          client_secret=CLIENT_SECRET)
    assert response.json()["error_description"] == "expired access/refresh token"


def test_token_endpoint_behind_a_path_prefix(client: TestClient, dev: DevOrg) -> None:
    """simple_salesforce with domain='host:port/x' posts to /x.salesforce.com/services/oauth2/token."""
    response = client.post("/x.salesforce.com/services/oauth2/token",
                           data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                 "client_secret": CLIENT_SECRET})
    assert response.status_code == 200


def test_get_is_not_a_token_request(client: TestClient, dev: DevOrg) -> None:
    assert client.get("/services/oauth2/token").status_code == 405

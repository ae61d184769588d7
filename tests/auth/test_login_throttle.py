"""Login throttling (issue 9 item 7): 200 wrong passwords, client secrets or SOAP logins in a row once left the
right one working, never answered 429, and unknown usernames answered sooner than known ones."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

import flowforce.auth.users as users_module
from flowforce.auth.service import AuthService, DevOrg

from .conftest import ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, FakeClock, make_user
from .test_soap_login import envelope, login

AUTH_FAILURE = {"error": "invalid_grant", "error_description": "authentication failure"}
BAD_SECRET = {"error": "invalid_client", "error_description": "invalid client credentials"}
LOCKED_OR_WRONG = "Invalid username, password, security token; or user locked out."


def password_grant(client: TestClient, username: str, password: str) -> tuple[int, dict[str, str]]:
    response = client.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "username": username, "password": password})
    return response.status_code, response.json()


def secret_grant(client: TestClient, secret: str) -> tuple[int, dict[str, str]]:
    response = client.post("/services/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": secret})
    return response.status_code, response.json()


def test_ten_wrong_passwords_lock_the_user_for_fifteen_minutes(client: TestClient, auth: AuthService, dev: DevOrg,
                                                               clock: FakeClock) -> None:
    person = make_user(auth, "victim@example.com")
    for _ in range(10):
        assert password_grant(client, person.username, "wrong" + person.token) == (400, AUTH_FAILURE)
    assert password_grant(client, person.username, person.password_plus_token) == (400, AUTH_FAILURE)
    assert password_grant(client, ADMIN, ADMIN_PASSWORD)[0] == 200  # other users are not affected
    clock.advance(15 * 60 + 1)
    assert password_grant(client, person.username, person.password_plus_token)[0] == 200


def test_a_success_resets_the_count(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "careless@example.com")
    for _ in range(3):
        for _ in range(9):
            assert password_grant(client, person.username, "wrong")[0] == 400
        assert password_grant(client, person.username, person.password_plus_token)[0] == 200


def test_soap_login_shares_the_lockout(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "soap@example.com")
    for _ in range(10):
        assert LOCKED_OR_WRONG in login(client, envelope(person.username, "wrong")).text
    locked = login(client, envelope(person.username, person.password_plus_token))
    assert locked.status_code == 500 and "INVALID_LOGIN" in locked.text and LOCKED_OR_WRONG in locked.text
    assert password_grant(client, person.username, person.password_plus_token) == (400, AUTH_FAILURE)


def test_wrong_client_secrets_lock_the_consumer_key(client: TestClient, dev: DevOrg, clock: FakeClock) -> None:
    for _ in range(10):
        assert secret_grant(client, "guess") == (400, BAD_SECRET)
    assert secret_grant(client, CLIENT_SECRET) == (400, BAD_SECRET)
    clock.advance(15 * 60 + 1)
    assert secret_grant(client, CLIENT_SECRET)[0] == 200


def test_a_burst_of_failures_from_one_address_gets_429(client: TestClient, auth: AuthService, dev: DevOrg,
                                                       clock: FakeClock) -> None:
    for n in range(30):
        assert password_grant(client, f"nobody{n}@example.com", "wrong")[0] == 400
    response = client.post("/services/oauth2/token", data={"grant_type": "password"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert response.json()["error"] == "rate_limit_exceeded"
    assert login(client, envelope(ADMIN, ADMIN_PASSWORD)).status_code == 429
    clock.advance(61)
    assert password_grant(client, ADMIN, ADMIN_PASSWORD)[0] == 200


def test_lockout_limits_are_configurable(store: object, clock: FakeClock) -> None:
    from .conftest import settings

    service = AuthService(store, settings(max_login_failures=3, lockout_minutes=1), clock=clock)  # type: ignore[arg-type]
    service.ensure_schema()
    person = make_user(service, "strict@example.com")
    for _ in range(3):
        assert service.users.verify_login(person.username, "wrong") is None
    assert service.users.verify_login(person.username, person.password_plus_token) is None
    clock.advance(61)
    assert service.users.verify_login(person.username, person.password_plus_token) is not None


@pytest.fixture
def hashing_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real: Callable[[str, str | None], bool] = users_module.verify_secret

    def counting(plain: str, encoded: str | None) -> bool:
        calls.append(plain)
        return real(plain, encoded)

    monkeypatch.setattr(users_module, "verify_secret", counting)
    return calls


def test_unknown_usernames_cost_the_same_hashing_as_known_ones(auth: AuthService, dev: DevOrg,
                                                               hashing_calls: list[str]) -> None:
    """Unknown names answered in 2 ms and known ones in 85 ms: the scrypt work told which usernames exist."""
    person = make_user(auth, "known@example.com")
    costs = {}
    for name, attempt in {"unknown": ("ghost@example.com", "x" * 40), "known": (person.username, "x" * 40),
                          "unknown short": ("ghost@example.com", "pw"), "known short": (person.username, "pw")
                          }.items():
        hashing_calls.clear()
        assert auth.users.verify_login(*attempt) is None
        costs[name] = len(hashing_calls)
    assert costs == {"unknown": 1, "known": 1, "unknown short": 1, "known short": 1}

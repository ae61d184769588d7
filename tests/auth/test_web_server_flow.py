"""The OAuth 2.0 web server flow over the wire: /services/oauth2/authorize (login page, CSRF, callback check)
and the authorization_code grant with PKCE, refresh tokens and single-use codes."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from flowforce.api.oauth import oauth_routes
from flowforce.api.oauth_authorize import CSRF_COOKIE, authorize_routes
from flowforce.auth.service import AuthService, DevOrg
from flowforce.auth.web_server_flow import CLI_CALLBACK_URL, CLI_CLIENT_ID

from .conftest import ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, INSTANCE_URL, FakeClock

CALLBACK = "http://localhost:3000/oauth/callback"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).decode().rstrip("=")
HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


@pytest.fixture
def web(auth: AuthService) -> Iterator[TestClient]:
    app = Starlette(routes=[*oauth_routes(auth), *authorize_routes(auth)])
    with TestClient(app, base_url=INSTANCE_URL, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def seed_app(auth: AuthService, dev: DevOrg) -> str:
    """Seed 003's app: callback URL, refresh_token/offline_access scopes, secret and PKCE required."""
    auth.apps.update_app("flowforce-dev", scope="api refresh_token offline_access")
    auth.web_flow.configure(CLIENT_ID, callback_urls=[CALLBACK], require_secret=True, require_pkce=True)
    return CLIENT_ID


def authorize_params(**overrides: str) -> dict[str, str]:
    params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": CALLBACK, "state": "st-1",
              "code_challenge": CHALLENGE, "code_challenge_method": "S256"}
    params.update(overrides)
    return {key: value for key, value in params.items() if value}


def login(web: TestClient, username: str = ADMIN, password: str = ADMIN_PASSWORD, **overrides: str):
    """What a browser does: GET the page, POST its form (hidden fields + CSRF token, cookie kept by the client)."""
    page = web.get("/services/oauth2/authorize", params=authorize_params(**overrides))
    assert page.status_code == 200, page.text
    form = dict(HIDDEN.findall(page.text))
    return web.post("/services/oauth2/authorize", data={**form, "username": username, "password": password})


def code_from(response) -> str:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def exchange(web: TestClient, code: str, **overrides: str):
    form = {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "redirect_uri": CALLBACK, "code_verifier": VERIFIER}
    form.update(overrides)
    return web.post("/services/oauth2/token", data={key: value for key, value in form.items() if value})


def test_login_page_is_a_form_with_csrf_token_and_cookie(web: TestClient, seed_app: str) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params())
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    form = dict(HIDDEN.findall(page.text))
    assert form["client_id"] == CLIENT_ID and form["redirect_uri"] == CALLBACK and form["csrf_token"]
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" in cookie  # the page was served over https


def test_code_exchange_issues_access_and_refresh_tokens(web: TestClient, auth: AuthService, seed_app: str) -> None:
    response = exchange(web, code_from(login(web, scope="api refresh_token")))
    assert response.status_code == 200, response.text
    body = response.json()
    admin_id = auth.users.require(ADMIN).user_id
    assert set(body) == {"access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type",
                         "issued_at"}
    assert body["scope"] == "api refresh_token"
    assert body["instance_url"] == INSTANCE_URL
    assert body["id"] == f"{INSTANCE_URL}/id/{auth.org_id}/{admin_id}"
    session = auth.authenticate(body["access_token"])
    assert session is not None and session.user_id == admin_id
    refreshed = web.post("/services/oauth2/token", data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                                          "client_secret": CLIENT_SECRET,
                                                          "refresh_token": body["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    assert auth.authenticate(refreshed.json()["access_token"]) is not None


def test_offline_access_counts_as_refresh_token(web: TestClient, seed_app: str) -> None:
    body = exchange(web, code_from(login(web, scope="api offline_access"))).json()
    assert body["scope"] == "api refresh_token"
    assert "refresh_token" in body


def test_no_refresh_token_without_the_scope(web: TestClient, seed_app: str) -> None:
    body = exchange(web, code_from(login(web, scope="api"))).json()
    assert body["scope"] == "api"
    assert "refresh_token" not in body


def test_no_scope_grants_the_apps_scopes(web: TestClient, seed_app: str) -> None:
    body = exchange(web, code_from(login(web))).json()
    assert body["scope"] == "api refresh_token"
    assert "refresh_token" in body


def test_a_code_works_once(web: TestClient, seed_app: str) -> None:
    code = code_from(login(web))
    assert exchange(web, code).status_code == 200
    again = exchange(web, code)
    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant",
                                                       "error_description": "invalid authorization code"})


def test_a_code_expires_after_15_minutes(web: TestClient, clock: FakeClock, seed_app: str) -> None:
    code = code_from(login(web))
    clock.advance(15 * 60 + 1)
    assert exchange(web, code).json() == {"error": "invalid_grant", "error_description": "invalid authorization code"}


def test_wrong_code_verifier_is_refused_and_spends_the_code(web: TestClient, seed_app: str) -> None:
    code = code_from(login(web))
    wrong = exchange(web, code, code_verifier="x" * 43)
    assert (wrong.status_code, wrong.json()) == (400, {"error": "invalid_grant",
                                                       "error_description": "invalid code verifier"})
    assert exchange(web, code).status_code == 400


def test_missing_code_verifier_is_refused(web: TestClient, seed_app: str) -> None:
    response = exchange(web, code_from(login(web)), code_verifier="")
    assert response.json()["error_description"] == "invalid code verifier"


def test_redirect_uri_must_match_the_authorize_request(web: TestClient, seed_app: str) -> None:
    response = exchange(web, code_from(login(web)), redirect_uri="http://localhost:3000/other")
    assert response.status_code == 400
    assert response.json() == {"error": "redirect_uri_mismatch",
                               "error_description": "redirect_uri must match configuration"}


def test_secret_required_for_web_flow(web: TestClient, seed_app: str) -> None:
    response = exchange(web, code_from(login(web)), client_secret="")
    assert response.json() == {"error": "invalid_client", "error_description": "invalid client credentials"}
    wrong = exchange(web, code_from(login(web)), client_secret="nope")
    assert wrong.json() == {"error": "invalid_client", "error_description": "invalid client credentials"}


def test_unregistered_callback_is_shown_not_redirected(web: TestClient, seed_app: str) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params(redirect_uri="https://evil.example/cb"))
    assert page.status_code == 400
    assert "location" not in page.headers
    assert "redirect_uri_mismatch: redirect_uri must match configuration" in page.text


def test_unknown_client_is_shown_not_redirected(web: TestClient, seed_app: str) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params(client_id="nobody"))
    assert page.status_code == 400
    assert "invalid_client_id: client identifier invalid" in page.text


def test_pkce_required_redirects_with_error(web: TestClient, seed_app: str) -> None:
    response = web.get("/services/oauth2/authorize", params=authorize_params(code_challenge=""))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query == {"error": ["invalid_request"], "error_description": ["missing required code challenge"],
                     "state": ["st-1"]}


def test_scope_the_app_lacks_redirects_with_invalid_scope(web: TestClient, seed_app: str) -> None:
    response = web.get("/services/oauth2/authorize", params=authorize_params(scope="api chatter_api"))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["invalid_scope"]


def test_wrong_password_shows_the_form_again(web: TestClient, seed_app: str) -> None:
    response = login(web, password="wrong")
    assert response.status_code == 200
    assert "Please check your username and password." in response.text
    assert dict(HIDDEN.findall(response.text))["csrf_token"]


def test_post_without_csrf_cookie_is_refused(web: TestClient, seed_app: str) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params())
    form = dict(HIDDEN.findall(page.text))
    web.cookies.clear()
    response = web.post("/services/oauth2/authorize", data={**form, "username": ADMIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 403
    assert "location" not in response.headers


def test_post_with_forged_csrf_token_is_refused(web: TestClient, seed_app: str) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params())
    form = {**dict(HIDDEN.findall(page.text)), "csrf_token": "forged"}
    response = web.post("/services/oauth2/authorize", data={**form, "username": ADMIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 403


def test_page_escapes_what_it_echoes(web: TestClient, seed_app: str) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params(state='"><script>x</script>'))
    assert "<script>" not in page.text
    assert "&quot;&gt;&lt;script&gt;" in page.text


def test_dev_org_has_the_cli_app_for_sf_org_login_web(web: TestClient, auth: AuthService, dev: DevOrg) -> None:
    """`sf org login web` sends client_id=PlatformCLI, no secret, PKCE, redirect to localhost:1717."""
    params = {"client_id": CLI_CLIENT_ID, "redirect_uri": CLI_CALLBACK_URL, "scope": "refresh_token api web"}
    response = login(web, **params)
    assert response.status_code == 302
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    assert response.headers["location"].startswith(CLI_CALLBACK_URL + "?")
    body = exchange(web, code, client_id=CLI_CLIENT_ID, client_secret="", redirect_uri=CLI_CALLBACK_URL).json()
    assert body["scope"] == "refresh_token api web"
    assert "refresh_token" in body
    assert auth.authenticate(body["access_token"]) is not None


def test_flowforce_toml_configures_seed_003s_app(auth: AuthService, dev: DevOrg) -> None:
    auth.configure_from({"auth": {"apps": [{
        "name": "Seed 003", "client_id": "3MVG9seed003", "client_secret": "s3cret", "scope": "api refresh_token",
        "callback_urls": ["http://localhost:3000/oauth/callback"], "require_secret_for_web_flow": True,
        "require_pkce": True}]}})
    web = auth.web_flow.settings_for("3MVG9seed003")
    assert web is not None
    assert (web.callback_urls, web.require_secret, web.require_pkce) == (
        ("http://localhost:3000/oauth/callback",), True, True)


def test_an_app_without_callback_urls_cannot_use_the_web_flow(web: TestClient, dev: DevOrg) -> None:
    page = web.get("/services/oauth2/authorize", params=authorize_params())
    assert page.status_code == 400
    assert "redirect_uri_mismatch" in page.text

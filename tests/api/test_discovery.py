"""Versions, resource map, limits, usage header, and the session gate (reference/api-surface.md §0, §2, §3)."""

from __future__ import annotations

from .conftest import VERSION, Api

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
NOT_FOUND = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def test_versions_are_public_ascending_and_labelled(api: Api) -> None:
    response = api.client.get("/services/data")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    body = response.json()
    assert body[0] == {"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"}
    assert body[-1] == {"label": "Spring '26", "url": "/services/data/v66.0", "version": "66.0"}
    assert {"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"} in body
    assert [entry["version"] for entry in body] == [f"{n}.0" for n in range(31, 67)]


def test_trailing_slash_and_double_slashes_are_accepted(api: Api) -> None:
    assert api.client.get("/services/data/").status_code == 200
    assert api.get("http://testserver//services/data/v66.0/limits/").status_code == 200


def test_resource_map_has_relative_urls_and_absolute_identity(api: Api) -> None:
    response = api.get(f"/services/data/v{VERSION}/")
    assert response.status_code == 200
    body = response.json()
    assert body["sobjects"] == "/services/data/v66.0/sobjects"
    assert body["query"] == "/services/data/v66.0/query"
    session = api.org.auth.authenticate(api.token)
    assert session is not None
    assert body["identity"] == f"http://127.0.0.1:8000/id/{session.org_id}/{session.user_id}"


def test_every_supported_version_works_on_every_route(api: Api) -> None:
    for version in ("31.0", "51.0", "66.0"):
        assert api.get(f"/services/data/v{version}/sobjects/Account/describe").status_code == 200


def test_retired_version_is_gone(api: Api) -> None:
    response = api.get("/services/data/v30.0/sobjects")
    assert response.status_code == 410
    assert response.json() == [{"message": "API version 30.0 is no longer supported.",
                                "errorCode": "UNSUPPORTED_API_VERSION"}]


def test_unknown_or_malformed_version_is_not_found(api: Api) -> None:
    assert api.get("/services/data/v67.0/sobjects").json() == NOT_FOUND
    assert api.get("/services/data/v66/sobjects").status_code == 404
    assert api.get("/services/data/vX/sobjects").status_code == 404


def test_no_token_is_401_invalid_session(api: Api) -> None:
    response = api.client.get("/services/data/v66.0/limits")
    assert response.status_code == 401
    assert response.json() == INVALID_SESSION


def test_bad_token_is_401_invalid_session(api: Api) -> None:
    response = api.client.get("/services/data/v66.0/limits", headers={"Authorization": "Bearer 00Dxx!nope"})
    assert response.status_code == 401
    assert response.json() == INVALID_SESSION


def test_resource_map_needs_a_session(api: Api) -> None:
    assert api.client.get("/services/data/v66.0").status_code == 401


def test_limits_counts_requests_live(api: Api) -> None:
    first = api.get("limits").json()["DailyApiRequests"]
    second = api.get("limits").json()["DailyApiRequests"]
    assert first["Max"] == 15000
    assert second["Remaining"] == first["Remaining"] - 1
    assert api.get("limits").json()["SingleEmail"] == {"Max": 15, "Remaining": 15}


def test_sforce_limit_info_header(api: Api) -> None:
    response = api.get("limits")
    used = api.server.usage.used
    assert response.headers["sforce-limit-info"] == f"api-usage={used}/15000"


def test_enforced_limit_answers_request_limit_exceeded(api: Api) -> None:
    settings = api.org.settings
    api.server.usage.daily_max = 1
    object.__setattr__(settings, "enforce_api_limit", True)
    api.get("limits")
    response = api.get("limits")
    assert response.status_code == 403
    assert response.json() == [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]


def test_the_resource_map_lists_only_what_is_served(api: Api) -> None:
    body = api.get(f"/services/data/v{VERSION}").json()
    listed = {name: url for name, url in body.items() if name != "identity"}
    assert set(listed) == {"tooling", "metadata", "query", "queryAll", "limits", "sobjects", "actions", "composite"}
    for name, url in listed.items():
        response = api.get(url)
        assert response.status_code != 404, (name, response.text)

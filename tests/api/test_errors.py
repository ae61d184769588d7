"""Error bodies and statuses for unknown routes, methods, media types, sizes and unexpected failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Api, make_settings, open_api


def test_unknown_route_is_not_found(api: Api) -> None:
    response = api.get("nothing/here")
    assert (response.status_code, response.json()) == (404, [{"message": "The requested resource does not exist",
                                                               "errorCode": "NOT_FOUND"}])


def test_wrong_method_lists_the_allowed_ones(api: Api) -> None:
    response = api.request("PUT", "actions/custom/flow/Add_Numbers", json={})
    assert response.status_code == 405
    assert response.json() == [{"message": "HTTP Method 'PUT' not allowed. Allowed are GET,HEAD,POST",
                                "errorCode": "METHOD_NOT_ALLOWED"}]
    assert response.headers["allow"] == "GET,HEAD,POST"


def test_body_that_is_not_json_is_415(api: Api) -> None:
    response = api.post("actions/custom/flow/Add_Numbers", content=b"inputs=1",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert response.json() == [{"message": "Content type 'application/x-www-form-urlencoded' not supported",
                                "errorCode": "UNSUPPORTED_MEDIA_TYPE"}]


@pytest.fixture
def small_api(project_dir: Path) -> Any:
    yield from open_api(make_settings(project_dir, "sqlite://", max_body_bytes=150))


def test_body_over_the_limit_is_413(small_api: Api) -> None:
    big = b'{"inputs": [' + b'{"a": 1},' * 20 + b'{}]}'
    response = small_api.post("actions/custom/flow/Add_Numbers", content=big,
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == [{"message": "The request body exceeds the maximum size of 150 bytes.",
                                "errorCode": "REQUEST_ENTITY_TOO_LARGE"}]


def test_chunked_body_over_the_limit_is_413(small_api: Api) -> None:
    def chunks() -> Any:
        for _ in range(10):
            yield b'{"inputs": [{"a": 1}]}'

    response = small_api.post("actions/custom/flow/Add_Numbers", content=chunks(),
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_unexpected_error_hides_the_stack_trace(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api.org.engine, "run_program", explode)
    response = api.post("actions/custom/flow/Add_Numbers", json={"inputs": [{}]})
    assert response.status_code == 500
    [error] = response.json()
    assert error["errorCode"] == "UNKNOWN_EXCEPTION"
    assert error["message"].startswith("An unexpected error occurred. Please include this ErrorId if you contact "
                                       "support: ")
    assert "secret" not in response.text and "Traceback" not in response.text

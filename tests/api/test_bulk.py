"""Bulk API 2.0 is refused with an error that says so (not a NOT_FOUND)."""

from __future__ import annotations

from .conftest import Api


def test_bulk_api_jobs_are_refused_with_a_clear_error(api: Api) -> None:
    """`sf data query --bulk` and `sf data import bulk` create Bulk API 2.0 jobs."""
    for method, path in (("POST", "jobs/query"), ("POST", "jobs/ingest"), ("GET", "jobs/query/750xx0000000001")):
        response = api.request(method, path, json={"operation": "query", "query": "SELECT Id FROM Account"})
        assert response.status_code == 501
        [error] = response.json()
        assert error["errorCode"] == "FEATURE_NOT_ENABLED"
        assert error["message"].startswith("Bulk API 2.0 is not supported by flowforce.")

"""Bulk API 2.0 (`jobs/query`, `jobs/ingest`) is not served: answer every call with an error that says so and
what to use instead, rather than a NOT_FOUND that reads like a wrong URL.

`sf data export|import|delete|upsert bulk` (and `sf data query --bulk` in older CLIs) and jsforce's `conn.bulk2`
start here. The REST query pages through any number of records and `composite/sobjects` writes 200 per call, so
the record-level work these commands do has a REST path; async job orchestration is what is missing.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.errors import ApiError


class BulkApiNotSupported(ApiError):
    # UNCONFIRMED: the status and code Salesforce uses for a feature an org lacks (FEATURE_NOT_ENABLED).
    error_code, status = "FEATURE_NOT_ENABLED", 501
    default_message = ("Bulk API 2.0 is not supported by flowforce. Use the REST API instead: a REST query "
                       "(sf data query) pages through any number of records; composite/sobjects and composite/tree "
                       "(sf data import tree) save up to 200 records per call.")


async def bulk_jobs(request: Request) -> Response:
    raise BulkApiNotSupported()

"""API usage counting, the `Sforce-Limit-Info` header and `GET limits`.

reference/api-surface.md §0: `Sforce-Limit-Info: api-usage=N/M` (simple_salesforce parses it with
`[^-]?api-usage=(\\d+)/(\\d+)`); §3.3: `limits` is a map of `{"Max", "Remaining"}`. DailyApiRequests is live
(requests counted since midnight UTC); the others are the Developer Edition figures, fixed.
"""

from __future__ import annotations

import datetime as dt
from threading import Lock
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.responses import json_response

STATIC_LIMITS: dict[str, int] = {
    "ConcurrentAsyncGetReportInstances": 200, "ConcurrentSyncReportRuns": 20,
    "DailyAsyncApexExecutions": 250000, "DailyBulkApiRequests": 5000,
    "DailyDurableGenericStreamingApiEvents": 10000, "DailyDurableStreamingApiEvents": 10000,
    "DailyGenericStreamingApiEvents": 10000, "DailyStreamingApiEvents": 10000, "DailyWorkflowEmails": 390,
    "DataStorageMB": 5, "DurableStreamingApiConcurrentClients": 20, "FileStorageMB": 20,
    "HourlyAsyncReportRuns": 1200, "HourlyDashboardRefreshes": 200, "HourlyDashboardResults": 5000,
    "HourlyDashboardStatuses": 999999999, "HourlyODataCallout": 10000, "HourlySyncReportRuns": 500,
    "HourlyTimeBasedWorkflow": 50, "MassEmail": 10, "SingleEmail": 15, "StreamingApiConcurrentClients": 20,
}  # fmt: skip


class ApiUsage:
    """Authenticated API requests of the current UTC day (thread-safe, cheap: one lock per request)."""

    def __init__(self, daily_max: int) -> None:
        self.daily_max = daily_max
        self._day = dt.datetime.now(dt.UTC).date()
        self._used = 0
        self._lock = Lock()

    def _roll(self) -> None:
        today = dt.datetime.now(dt.UTC).date()
        if today != self._day:
            self._day, self._used = today, 0

    def count_request(self) -> int:
        with self._lock:
            self._roll()
            self._used += 1
            return self._used

    @property
    def used(self) -> int:
        with self._lock:
            self._roll()
            return self._used

    def header(self) -> str:
        return f"api-usage={self.used}/{self.daily_max}"

    def exceeded(self) -> bool:
        return self.used > self.daily_max

    def limits(self) -> dict[str, Any]:
        body: dict[str, Any] = {"DailyApiRequests": {"Max": self.daily_max,
                                                     "Remaining": max(self.daily_max - self.used, 0)}}
        body.update({name: {"Max": value, "Remaining": value} for name, value in STATIC_LIMITS.items()})
        return dict(sorted(body.items()))


async def limits(request: Request) -> Response:
    usage: ApiUsage = request.app.state.server.usage
    return json_response(usage.limits())

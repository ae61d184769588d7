"""`TestOrg`: the org a flow test arranges, acts on and asserts against — the same `Org` every entry point
builds, over a throw-away store, with traces on, a clock the test controls, actions it can mock and an
authenticated REST client for testing integrations.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flowforce.actions.registry import ActionFailure, ActionParameter
from flowforce.engine.action_context import ActionContext
from flowforce.engine.interview import TraceEntry
from flowforce.records.errors import DmlException
from flowforce.records.limits import GovernorLimits
from flowforce.runtime import Org, build_auth_service
from flowforce.runtime.lifecycle import runs_async
from flowforce.settings import load_settings
from flowforce.soql import run_soql
from flowforce.testing.outbox import CalloutMocks, MockCallout, OutboxView
from flowforce.testing.results import InvokeResult

ADMIN, ADMIN_PASSWORD = "admin@flowforce.test", "flowforce-test-1"
CLIENT_ID, CLIENT_SECRET = "flowforce-test-client", "flowforce-test-secret"
BASE_URL = "https://flowforce.test"

Returns = Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]] | Exception


@dataclass
class MockAction:
    """Stands in for an invocable action (an Apex class nobody ported, an email, a callout): answers every
    request with *returns* — outputs, a function of the request, or an exception that faults the element —
    and keeps the requests it received."""

    action_type: str
    name: str
    returns: Returns = field(default_factory=dict)
    label: str = "Mock"
    description: str | None = "A test's stand-in"
    inputs: Sequence[ActionParameter] = ()
    outputs: Sequence[ActionParameter] = ()
    calls: list[dict[str, Any]] = field(default_factory=list)

    def invoke(self, requests: Sequence[Mapping[str, Any]], context: ActionContext) -> list[Any]:
        answers: list[Any] = []
        for request in requests:
            self.calls.append(dict(request))
            if isinstance(self.returns, Exception):
                answers.append(ActionFailure(str(self.returns)))
            elif callable(self.returns):
                answers.append(dict(self.returns(request)))
            else:
                answers.append(dict(self.returns))
        return answers


class TestClock:
    """The org's clock: frozen where the test puts it, moved forward to fire waits and scheduled work."""

    def __init__(self, org: Org) -> None:
        self._org = org

    def now(self) -> dt.datetime:
        return self._org.clock.now()

    def freeze(self, at: dt.datetime | str | None = None) -> dt.datetime:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")) if isinstance(at, str) else at
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        self._org.clock.freeze(moment)
        return self.now()

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> int:
        """Move forward and run every job that falls due (resumed waits, queued interviews); how many ran."""
        total = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds).total_seconds()
        return self._org.advance_clock(seconds=total)


class TestOrg:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, org: Org) -> None:
        self.org = org
        self.org.engine_settings = replace(org.engine_settings, trace=True)
        self.clock = TestClock(org)
        self.limits: GovernorLimits | None = None
        self.outbox = OutboxView(org.outbox)
        self._callouts = CalloutMocks()
        self._callouts.start()
        self._http: Any = None

    @classmethod
    def open(cls, project: Path | str, database_url: str, **settings: Any) -> TestOrg:
        """A fresh org for *project* over *database_url*; no worker thread (the test runs the queue)."""
        options = {"worker_threads": 0, "flow_refresh_seconds": 0.0, **settings}
        org = Org.open(load_settings(project_dir=Path(project), database_url=database_url, **options),
                       auth_factory=functools.partial(build_auth_service, password_hash_cost=4))
        org.auth.ensure_dev_org(ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET)
        return cls(org)

    def close(self) -> None:
        self._callouts.stop()
        if self._http is not None:
            self._http.close()
        self.org.close()

    # --- flows -------------------------------------------------------------------------------------------
    def invoke(self, flow: str, inputs: Mapping[str, Any] | Iterable[Mapping[str, Any]] | None = None, *,
               wait: bool = True) -> Any:
        """Run *flow* as a REST invoke would: one input (a mapping) gives one `InvokeResult`, a list gives a
        list. Asynchronous flows run from the queue before this returns unless *wait* is False."""
        single = inputs is None or isinstance(inputs, Mapping)
        if inputs is None or isinstance(inputs, Mapping):
            batch = [dict(inputs or {})]
        else:
            batch = [dict(item) for item in inputs]
        run = self.org.invoke(flow, batch)
        self.limits = run.limits
        results = [InvokeResult.of(result, run.interview_ids.get(index))
                   for index, result in enumerate(run.batch.results)]
        if wait and runs_async(self.org.program(flow).flow, self.org.settings):
            self.run_queue()
            results = [self.interview(result.guid) or result if result.guid else result for result in results]
        return results[0] if single else results

    def run_queue(self) -> int:
        """Run every job due now (queued interviews, deliveries); how many ran."""
        return self.org.jobs.run_due()

    def interview(self, guid: str | None) -> InvokeResult | None:
        """A kept interview (paused, failed or asynchronous) as it stands now, by GUID."""
        rows = self.query(f"SELECT Id, InterviewStatus, CurrentElement, Error FROM FlowInterview "
                          f"WHERE Guid = '{guid}'") if guid else []
        if not rows:
            return None
        row = rows[0]
        stored = self.org.interviews.stored(row["Id"])
        status = {"Completed": "Finished", "Paused": "Waiting", "Running": "Started"}.get(row["InterviewStatus"],
                                                                                        row["InterviewStatus"])
        trace = [TraceEntry.from_dict(entry) for entry in (stored.trace or [])] if stored else []
        return InvokeResult(stored.flow if stored else "?", status, dict((stored.outputs if stored else None) or {}),
                            guid, row["Error"], row["CurrentElement"] if row["Error"] else None, trace, row["Id"])

    def mock_action(self, action_type: str, name: str, returns: Returns | None = None) -> MockAction:
        """Replace (or provide) the action `action_type:name` for this test; see `MockAction`."""
        mock = MockAction(action_type, name, returns if returns is not None else {})
        self.org.actions.register(mock)
        return mock

    def mock_callout(self, method: str, url: str | re.Pattern[str], *, status: int = 200, json: Any = None,
                     text: str = "") -> MockCallout:
        """Answer the flow's HTTP callouts to *url* (exact, or a compiled regular expression) with *status* and a
        JSON or text body; `.calls` records each request. Unmatched callouts fail as refused connections."""
        return self._callouts.add(MockCallout(method, url, status, json, text))

    # --- records -----------------------------------------------------------------------------------------
    def insert(self, sobject: str, *records: Mapping[str, Any]) -> list[str]:
        """Create records (firing what a save fires, as a REST create would); their ids."""
        with self.org.transaction() as tx:
            results = tx.insert(sobject, [dict(record) for record in records])
        failed = next((result for result in results if not result.success), None)
        if failed is not None:
            raise DmlException(failed.errors[0])
        return [str(result.id) for result in results]

    def update(self, sobject: str, *records: Mapping[str, Any]) -> None:
        with self.org.transaction() as tx:
            results = tx.update(sobject, [dict(record) for record in records])
        failed = next((result for result in results if not result.success), None)
        if failed is not None:
            raise DmlException(failed.errors[0])

    def delete(self, *ids: str) -> None:
        with self.org.transaction() as tx:
            results = tx.delete(None, list(ids))
        failed = next((result for result in results if not result.success), None)
        if failed is not None:
            raise DmlException(failed.errors[0])

    def query(self, soql: str) -> list[dict[str, Any]]:
        """Rows as plain dicts (parent relationships as nested dicts)."""
        with self.org.transaction(limits=GovernorLimits.unlimited()) as tx:
            return [_plain(record) for record in run_soql(soql, tx, cache=self.org.queries).records]

    def get(self, sobject: str, record_id: str) -> dict[str, Any] | None:
        with self.org.transaction(limits=GovernorLimits.unlimited()) as tx:
            [record] = tx.retrieve(sobject, [record_id])
        return _plain(record) if record is not None else None

    def load_tree(self, path: Path | str) -> dict[str, int]:
        """Records from `sf data import tree` files or a plan, all or nothing; how many of each object."""
        from flowforce.records.data_io import import_tree

        return dict(import_tree(self.org.store, path).counts)

    # --- REST --------------------------------------------------------------------------------------------
    @property
    def http(self) -> Any:
        """An HTTP client on the org's REST API (in process, no network), signed in as the admin."""
        if self._http is None:
            from flowforce.api.app import create_app

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from starlette.testclient import TestClient
            client = TestClient(create_app(self.org.settings, org=self.org), base_url=BASE_URL)
            token = client.post("/services/oauth2/token", data={
                "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            self._http = client
        return self._http

    @property
    def salesforce(self) -> Any:
        """A simple_salesforce `Salesforce` bound to the in-process API (needs the simple-salesforce package)."""
        from flowforce.testing.salesforce import bound_salesforce

        return bound_salesforce(self.http, self.org.settings.default_api_version)


def _plain(value: Any) -> Any:
    from flowforce.records.record import Record

    if isinstance(value, Record):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value

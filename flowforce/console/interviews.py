"""Interviews: the FlowInterview rows (recent, paused, failed, asynchronous — filtered by status and flow), and
one interview: its record, inputs, outputs, and its path on the diagram with the element-by-element trace.

Rows are read by SOQL through the REST query function, so the user's object permissions apply; the trace and
outputs come from the interview ledger (`org.interviews.stored`).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from flowforce.api.query import run_query
from flowforce.console.diagram import decision_reasons, flow_graph, taken_path
from flowforce.console.web import Console, PageError, Visit, error_text
from flowforce.records.ids import is_id, normalize_id
from flowforce.runtime.flow_records import INTERVIEW_STATUSES

FIELDS = "Id, Name, InterviewStatus, CurrentElement, Error, CreatedDate, LastModifiedDate, CreatedById"
LIMIT = 200


def _rows(console: Console, visit: Visit, soql: str) -> list[dict[str, Any]]:
    try:
        return [dict(record) for record in run_query(console.caller(visit), soql, False).records]
    except Exception as error:
        code, message = error_text(error)
        raise PageError(400, code, message) from None


def interview_rows(console: Console, visit: Visit, status: str | None, flow: str | None) -> list[dict[str, Any]]:
    where = f" WHERE InterviewStatus = '{status}'" if status else ""
    rows = _rows(console, visit, f"SELECT {FIELDS} FROM FlowInterview{where} ORDER BY CreatedDate DESC LIMIT {LIMIT}")
    stored = console.org.interviews.stored_many([str(row["Id"]) for row in rows])
    for row in rows:
        kept = stored.get(str(row["Id"]))
        row["Flow"] = kept.flow if kept else None
        row["Version"] = kept.version if kept else None
    if flow:
        rows = [row for row in rows if (row["Flow"] or "").lower() == flow.lower()]
    return rows


async def interview_list(console: Console, visit: Visit) -> Response:
    params = visit.request.query_params
    status = params.get("status") or None
    if status is not None and status not in INTERVIEW_STATUSES:
        raise PageError(400, "INVALID_FIELD", f"status: {status!r} is not one of {', '.join(INTERVIEW_STATUSES)}")
    flow = params.get("flow") or None
    rows = await console.server.blocking(interview_rows, console, visit, status, flow)
    return console.render(visit, "interviews.html", rows=rows, statuses=INTERVIEW_STATUSES, status=status,
                          flow=flow or "", flows=console.org.library.names(), title="Interviews")


def interview_context(console: Console, visit: Visit, segment: str) -> dict[str, Any]:
    if not is_id(segment):
        raise PageError(404, "NOT_FOUND", f"{segment!r} is not an interview id")
    interview_id = normalize_id(segment)
    rows = _rows(console, visit, f"SELECT {FIELDS}, Guid, PauseLabel FROM FlowInterview WHERE Id = '{interview_id}'")
    stored = console.org.interviews.stored(interview_id)
    if not rows or stored is None:
        raise PageError(404, "NOT_FOUND", f"No interview with id {interview_id}")
    row = rows[0]
    loaded = console.org.library.get(stored.flow, stored.version)
    graph = flow_graph(loaded.flow) if loaded is not None else None
    trace = stored.trace or []
    path = taken_path(graph, trace, row.get("CurrentElement")) if graph is not None else None
    reasons = decision_reasons(loaded.flow) if loaded is not None else {}
    return {"row": row, "stored": stored, "trace": trace, "graph": graph, "path": path, "reasons": reasons,
            "tracing": console.org.settings.trace, "title": f"Interview {interview_id}"}


async def interview_page(console: Console, visit: Visit) -> Response:
    context = await console.server.blocking(interview_context, console, visit, visit.request.path_params["id"])
    return console.render(visit, "interview.html", **context)

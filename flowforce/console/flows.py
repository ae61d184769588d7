"""Flows: the list (versions, status, process type, trigger), one flow's versions with activation, its describe,
its diagram and a run form. Activation is `Org.set_flow_version` (the rule the REST PATCH uses); describe and
invoke are the REST routes' own functions (`api/flow_describe`, `api/flow_invoke`)."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import RedirectResponse, Response

from flowforce.api.flow_describe import action_url, describe, is_invocable
from flowforce.api.flow_invoke import parse_inputs, render_batch
from flowforce.console.diagram import flow_graph
from flowforce.console.run_form import FormInputError, curl_command, form_fields, inputs_from_form
from flowforce.console.sessions import PREFIX
from flowforce.console.web import Console, PageError, Visit, error_text
from flowforce.metadata.model import Flow
from flowforce.metadata.project import LoadedFlow
from flowforce.runtime.lifecycle import runs_async
from flowforce.runtime.org import FlowRun

ACTIVE, OBSOLETE = "Active", "Obsolete"


def _summary(console: Console, visit: Visit, name: str) -> dict[str, Any] | None:
    library = console.org.library
    versions = library.versions(name)
    runnable = library.runnable_version(name)
    if not versions or runnable is None:
        return None
    flow = runnable.flow
    may_run = is_invocable(flow) and console.org.auth.can_run_flow(visit.session, flow.api_name).allowed
    if not (may_run or visit.session.is_flow_admin):
        return None
    active = library.active(name)
    return {"name": flow.api_name, "label": flow.label, "process_type": flow.process_type,
            "trigger": flow.trigger_type, "object": flow.start.object if flow.start else None,
            "versions": len(versions), "active": active.flow.version if active else None,
            "latest": versions[-1].flow.version, "invocable": is_invocable(flow)}


async def flow_list(console: Console, visit: Visit) -> Response:
    def rows() -> list[dict[str, Any]]:
        names = console.org.library.names()
        return [row for row in (_summary(console, visit, name) for name in names) if row is not None]

    return console.render(visit, "flows.html", flows=await console.server.blocking(rows), title="Flows")


def _loaded(console: Console, visit: Visit, name: str, version: int | None = None) -> LoadedFlow:
    library = console.org.library
    loaded = library.get(name, version) if version is not None else library.runnable_version(name)
    if loaded is None or _summary(console, visit, name) is None:
        raise PageError(404, "NOT_FOUND", f"No flow named {name}" + (f" with version {version}" if version else ""))
    return loaded


def _version_param(text: str | None) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise PageError(400, "INVALID_FIELD", f"version: {text!r} is not a version number")
    return int(text)


def flow_context(console: Console, visit: Visit, name: str, version: int | None) -> dict[str, Any]:
    loaded = _loaded(console, visit, name, version)
    flow = loaded.flow
    runnable = _loaded(console, visit, name)
    may_run = is_invocable(runnable.flow) and console.org.auth.can_run_flow(visit.session, flow.api_name).allowed
    described = describe(runnable.flow) if is_invocable(runnable.flow) else None
    versions = [{"version": item.flow.version, "status": item.effective_status, "label": item.flow.label,
                 "description": item.flow.description, "errors": [problem.message for problem in item.errors]}
                for item in console.org.library.versions(flow.api_name)]
    return {"flow": flow, "summary": _summary(console, visit, name), "versions": versions, "shown": flow.version,
            "describe": described, "may_run": may_run, "graph": flow_graph(flow),
            "fields": form_fields(described["inputs"]) if described else [], "title": flow.label or flow.api_name}


async def flow_page(console: Console, visit: Visit) -> Response:
    name = visit.request.path_params["name"]
    version = _version_param(visit.request.query_params.get("version"))
    context = await console.server.blocking(flow_context, console, visit, name, version)
    return console.render(visit, "flow.html", **context)


async def set_version(console: Console, visit: Visit) -> Response:
    """Activate or deactivate a version (flow administrators: Manage Flows or Modify All Data)."""
    name, version = visit.request.path_params["name"], int(visit.request.path_params["version"])
    if not visit.session.is_flow_admin:
        raise PageError(403, "INSUFFICIENT_ACCESS", "You need the Manage Flows permission to change a flow version.")
    action = visit.form.get("action")
    if action not in ("activate", "deactivate"):
        raise PageError(400, "INVALID_FIELD", f"action: {action!r} is neither activate nor deactivate")
    loaded = _loaded(console, visit, name, version)

    def change() -> None:
        console.org.set_flow_version(loaded.flow.api_name, version, status=ACTIVE if action == "activate" else OBSOLETE)

    try:
        await console.server.blocking(change)
    except Exception as error:
        code, message = error_text(error)
        raise PageError(400, code, message) from None
    return RedirectResponse(f"{PREFIX}/flows/{loaded.flow.api_name}?version={version}", status_code=303)


def run_once(console: Console, visit: Visit, flow: Flow, inputs: dict[str, Any]) -> FlowRun:
    """What the REST invoke runs, keeping the interview and its trace so the console can show where it went
    (asynchronous flows are queued, as over REST)."""
    org = console.org
    if runs_async(flow, org.settings):
        return org.invoke(flow, [inputs], run_as=visit.session)
    return org.run(flow, [inputs], run_as=visit.session, trace=True, keep_rows=True)


async def run_flow(console: Console, visit: Visit) -> Response:
    name = visit.request.path_params["name"]
    context = await console.server.blocking(flow_context, console, visit, name, None)
    if not context["may_run"]:
        raise PageError(403, "INSUFFICIENT_ACCESS", f"You may not run the flow {name}.")
    flow: Flow = _loaded(console, visit, name).flow
    version = console.api_version
    try:
        body = {"inputs": [inputs_from_form(context["fields"], visit.form)]}
        inputs = parse_inputs(body)
    except FormInputError as error:
        return console.render(visit, "flow.html", http_status=400, run_error=str(error), form=visit.form, **context)
    run = await console.server.blocking(run_once, console, visit, flow, dict(inputs[0] or {}))
    entries, status = render_batch(run.batch, flow.api_name, version)
    curl = curl_command(str(visit.request.base_url), action_url(version, flow.api_name), body)
    return console.render(visit, "flow.html", result=json.dumps(entries, indent=2, default=str),
                          result_status=status, curl=curl, interview_id=run.interview_ids.get(0), form=visit.form,
                          **context)

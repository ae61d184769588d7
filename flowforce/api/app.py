"""`create_app(settings)`: the Starlette application, wired explicitly, no import-time side effects.

Route order matters where Salesforce's URLs overlap (`sobjects/X/describe` before `sobjects/X/{id}`).
OAuth, SOAP login and identity routes come from `flowforce.api.oauth` / `flowforce.api.soap`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from flowforce.api import (
    admin,
    bulk,
    composite,
    composite_tree,
    discovery,
    flow_actions,
    limits,
    metadata_rest,
    openapi,
    query,
    sobjects,
    tooling,
)
from flowforce.api.errors import EXCEPTION_HANDLERS
from flowforce.api.middleware import ApiGate, BodyLimit, PathNormalizer
from flowforce.api.server import Server
from flowforce.console.routes import console_routes
from flowforce.runtime import Org
from flowforce.settings import Settings

V = "/services/data/v{version}"


Endpoint = Callable[[Request], Awaitable[Response]]


class Endpoints:
    """The ASGI app of one URL: the handler for the request's method (HEAD answers as GET).

    Starlette's own function wrapper adds a per-request exception-handling layer; the app-wide
    ExceptionMiddleware already renders our errors, so this skips it (the invoke hot path, bench/api.py).
    """

    def __init__(self, table: dict[str, Endpoint]) -> None:
        self.table = table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        response = await self.table[scope["method"]](request)
        await response(scope, receive, send)


def route(path: str, **handlers: Endpoint) -> Route:
    """One route per URL, so a 405 lists every method the URL allows (HEAD comes with GET)."""
    table = {method.upper(): handler for method, handler in handlers.items()}
    if "GET" in table:
        table["HEAD"] = table["GET"]
    return Route(path, Endpoints(table), methods=list(table))


def salesforce_routes() -> list[BaseRoute]:
    flows, sobject = f"{V}/actions/custom/flow", f"{V}/sobjects/{{sobject}}"
    return [
        # The hot path first: Starlette tries routes in order (bench/api.py).
        route(f"{flows}/{{name}}", get=flow_actions.describe_flow, post=flow_actions.invoke_flow),
        route("/services/data", get=discovery.list_versions),
        route(V, get=discovery.resource_map),
        route(f"{V}/limits", get=limits.limits),
        route(f"{V}/actions", get=flow_actions.actions_index),
        route(f"{V}/actions/standard", get=flow_actions.standard_actions),
        route(f"{V}/actions/custom", get=flow_actions.custom_actions_index),
        route(f"{V}/actions/custom/apex", get=flow_actions.apex_actions),
        route(flows, get=flow_actions.list_flows),
        route(f"{V}/sobjects", get=sobjects.describe_global),
        route(sobject, get=sobjects.sobject_info, post=sobjects.create_record),
        route(f"{sobject}/describe", get=sobjects.sobject_describe),
        route(f"{sobject}/{{record_id}}", get=sobjects.record_by_id, patch=sobjects.record_by_id,
              delete=sobjects.record_by_id),
        route(f"{sobject}/{{field}}/{{value}}", get=sobjects.record_by_external_id,
              patch=sobjects.record_by_external_id, delete=sobjects.record_by_external_id),
        route(f"{V}/query", get=query.query),
        route(f"{V}/queryAll", get=query.query_all),
        route(f"{V}/query/{{locator}}", get=query.query_more),
        route(f"{V}/queryAll/{{locator}}", get=query.query_more),
        route(f"{V}/composite", get=composite.composite_index, post=composite.composite),
        route(f"{V}/composite/tree/{{sobject}}", post=composite_tree.composite_tree),
        route(f"{V}/composite/sobjects", post=composite.collection_save, patch=composite.collection_save,
              delete=composite.collection_delete),
        route(f"{V}/composite/sobjects/{{sobject}}", get=composite.collection_retrieve),
        route(f"{V}/composite/sobjects/{{sobject}}/{{field}}", patch=composite.collection_upsert),
        route(f"{V}/tooling", get=tooling.resources),
        route(f"{V}/tooling/query", get=tooling.tooling_query),
        route(f"{V}/tooling/query/{{locator}}", get=tooling.tooling_query_more),
        route(f"{V}/tooling/sobjects", get=tooling.describe_global),
        route(f"{V}/tooling/sobjects/{{sobject}}", get=tooling.sobject_info),
        route(f"{V}/tooling/sobjects/{{sobject}}/describe", get=tooling.sobject_describe),
        route(f"{V}/tooling/sobjects/{{sobject}}/{{record_id}}", get=tooling.record, patch=tooling.record),
        route(f"{V}/metadata", get=metadata_rest.resources),
        route(f"{V}/metadata/deployRequest", post=metadata_rest.create_deploy_request),
        route(f"{V}/metadata/deployRequest/{{request_id}}", get=metadata_rest.deploy_request),
        route(f"{V}/jobs/{{path:path}}", get=bulk.bulk_jobs, post=bulk.bulk_jobs, patch=bulk.bulk_jobs,
              put=bulk.bulk_jobs, delete=bulk.bulk_jobs),
        route("/openapi.json", get=openapi.openapi),
        route("/_flowforce/clock", get=admin.clock, post=admin.clock),
    ]


def identity_routes(org: Org) -> list[BaseRoute]:
    """Token, SOAP login, userinfo and identity, from the auth layer (absent while it is being built)."""
    try:
        from flowforce.api.oauth import oauth_routes
        from flowforce.api.oauth_authorize import authorize_routes
        from flowforce.api.soap import soap_routes
    except ImportError:
        return []
    from flowforce.api.metadata_soap import metadata_routes

    auth = org.auth
    return [*oauth_routes(auth), *authorize_routes(auth), *soap_routes(auth),  # type: ignore[arg-type]
            *metadata_routes()]


def create_app(settings: Settings, *, org: Org | None = None) -> Starlette:
    """The app for *settings*; pass the *org* to share it (serve, tests), else one is opened (and closed) here."""
    owned = org is None
    org = org if org is not None else Org.open(settings)
    server = Server(org)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        server.close()
        if owned:
            org.close()

    app = Starlette(
        routes=salesforce_routes() + identity_routes(org) + console_routes(server),
        middleware=[
            Middleware(PathNormalizer),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
            Middleware(ApiGate, server=server),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.server = server
    return app

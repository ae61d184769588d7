"""The console's URLs under `/console`, its login and logout, and the administrators' pages (users, apps, outbox).

`console_routes(server)` is all `create_app` mounts. Static files (CSS, the diagram script, the vendored dagre
layout library) ship inside the package.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.staticfiles import StaticFiles

from flowforce.api.oauth import read_params
from flowforce.api.server import Server
from flowforce.console import flows, interviews, records
from flowforce.console.outbox import OUTBOX_KINDS, OutboxReader
from flowforce.console.sessions import CSRF_FIELD, LOGIN_COOKIE, PREFIX, SESSION_COOKIE
from flowforce.console.web import HERE, Console, Handler, PageError, Visit, page

BAD_LOGIN = ("Please check your username and password. If you still can't log in, contact your Salesforce "
             "administrator.")  # Salesforce's wording on its login page


def _safe_next(target: str | None) -> str:
    """Only a console path may follow the login (no open redirect)."""
    if not target:
        return f"{PREFIX}/flows"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX + "/") or "\\" in target:
        return f"{PREFIX}/flows"
    return target


def _login_form(console: Console, request: Request, next_url: str, message: str | None = None,
                username: str = "", status: int = 200) -> Response:
    nonce = console.logins.new_nonce()
    response = console.render(None, "login.html", http_status=status, next_url=next_url, message=message,
                              username=username, login_csrf=console.logins.login_token(nonce), title="Log in")
    response.set_cookie(LOGIN_COOKIE, nonce, path=f"{PREFIX}/login", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


def login_routes(console: Console) -> list[BaseRoute]:
    async def show(request: Request) -> Response:
        return _login_form(console, request, _safe_next(request.query_params.get("next")))

    async def log_in(request: Request) -> Response:
        form = await read_params(request)
        next_url = _safe_next(form.get("next"))
        if not console.logins.login_form_ok(request.cookies.get(LOGIN_COOKIE), form.get(CSRF_FIELD)):
            return _login_form(console, request, next_url, "The login form expired or did not come from this "
                               "server; log in again.", status=403)
        username = form.get("username", "")
        token = await console.server.blocking(console.logins.log_in, username, form.get("password", ""))
        if token is None:
            return _login_form(console, request, next_url, BAD_LOGIN, username, status=401)
        response = RedirectResponse(next_url, status_code=303)
        response.delete_cookie(LOGIN_COOKIE, path=f"{PREFIX}/login")
        response.set_cookie(SESSION_COOKIE, token, path=PREFIX, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    async def log_out(console: Console, visit: Visit) -> Response:
        await console.server.blocking(console.logins.log_out, visit.token)
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    return [Route("/login", show, methods=["GET"]), Route("/login", log_in, methods=["POST"]),
            Route("/logout", page(console, log_out), methods=["POST"])]


def _require_admin(visit: Visit) -> None:
    if not visit.is_admin:
        raise PageError(403, "INSUFFICIENT_ACCESS", "This page needs the Modify All Data permission.")


async def users_page(console: Console, visit: Visit) -> Response:
    _require_admin(visit)
    auth = console.org.auth
    users = await console.server.blocking(auth.list_users)
    apps = await console.server.blocking(auth.list_apps)
    return console.render(visit, "users.html", users=users, apps=apps, title="Users and apps")


async def outbox_page(console: Console, visit: Visit) -> Response:
    _require_admin(visit)
    kind = visit.request.query_params.get("kind") or None
    if kind is not None and kind not in OUTBOX_KINDS:
        raise PageError(400, "INVALID_FIELD", f"kind: {kind!r} is not one of {', '.join(OUTBOX_KINDS)}")
    items = await console.server.blocking(lambda: list(console.outbox.recent(kind=kind)))
    return console.render(visit, "outbox.html", items=items, kind=kind, kinds=OUTBOX_KINDS, title="Outbox")


def console_routes(server: Server, outbox: OutboxReader | None = None) -> list[BaseRoute]:
    """`/console` and everything under it."""
    console = Console(server, outbox)

    def get(path: str, handler: Handler) -> Route:
        return Route(path, page(console, handler), methods=["GET"])

    def post(path: str, handler: Handler) -> Route:
        return Route(path, page(console, handler), methods=["POST"])

    async def home(request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/flows", status_code=303)

    router = Router(routes=[
        *login_routes(console),
        get("/flows", flows.flow_list),
        get("/flows/{name}", flows.flow_page),
        post("/flows/{name}/run", flows.run_flow),
        post("/flows/{name}/versions/{version:int}", flows.set_version),
        get("/interviews", interviews.interview_list),
        get("/interviews/{id}", interviews.interview_page),
        get("/records", records.records_page),
        post("/records", records.records_page),
        get("/records/{name}", records.object_page),
        get("/users", users_page),
        get("/outbox", outbox_page),
        Mount("/static", StaticFiles(directory=HERE / "static")),
    ], redirect_slashes=False)
    return [Route(PREFIX, home, methods=["GET"]), Mount(PREFIX, app=router)]

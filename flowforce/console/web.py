"""What every console page shares: the templates, the logged-in session, CSRF on forms, security headers.

Pages are server-rendered Jinja2 with autoescaping on, so user data never reaches the page unescaped; data a
script needs (the diagram) travels in a `<script type="application/json">` block written by Jinja's `tojson`,
which escapes `<`, `>`, `&` and quotes. The CSP allows scripts and styles from the console's own static files only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from flowforce.api.errors import ApiError
from flowforce.api.oauth import read_params
from flowforce.api.record_ops import Caller
from flowforce.api.server import Server
from flowforce.auth.permissions import MODIFY_ALL_DATA
from flowforce.auth.session import Session
from flowforce.console.outbox import EmptyOutbox, OutboxReader
from flowforce.console.sessions import CSRF_FIELD, PREFIX, SESSION_COOKIE, ConsoleLogins
from flowforce.records.errors import RecordError
from flowforce.runtime import Org

HERE = Path(__file__).parent
PAGE_HEADERS = {
    "Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}  # fmt: skip


class PageError(Exception):
    """Shown to the user as a page with *status* (no traceback, the store untouched)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_text(error: Exception) -> tuple[str, str]:
    """The Salesforce-shaped (errorCode, message) of an API or record error."""
    if isinstance(error, ApiError):
        return error.code, error.message
    if isinstance(error, RecordError):
        return error.status_code, error.message
    raise error


@dataclass
class Visit:
    """One request of a logged-in user."""

    request: Request
    session: Session
    token: str
    form: dict[str, str] = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return MODIFY_ALL_DATA in self.session.permissions


class Console:
    def __init__(self, server: Server, outbox: OutboxReader | None = None) -> None:
        self.server = server
        self.logins = ConsoleLogins(server.org.auth)
        self.outbox: OutboxReader = outbox if outbox is not None else EmptyOutbox()
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
        self.templates.filters["urlpart"] = lambda value: quote(str(value), safe="")

    @property
    def org(self) -> Org:
        return self.server.org

    @property
    def api_version(self) -> str:
        return f"{self.server.settings.max_version}.0"

    def caller(self, visit: Visit) -> Caller:
        """The REST routes' caller object, so queries and record reads make the same checks they make."""
        return Caller(self.server, visit.session, self.api_version)

    def render(self, visit: Visit | None, template: str, *, http_status: int = 200, **context: Any) -> HTMLResponse:
        page = self.templates.get_template(template).render(
            prefix=PREFIX, session=visit.session if visit else None, is_admin=visit.is_admin if visit else False,
            csrf=self.logins.form_token(visit.token) if visit else "", csrf_field=CSRF_FIELD, **context)
        return HTMLResponse(page, status_code=http_status, headers=PAGE_HEADERS)

    def error_page(self, visit: Visit | None, error: PageError) -> HTMLResponse:
        return self.render(visit, "error.html", http_status=error.status, code=error.code, message=error.message)


Handler = Callable[[Console, Visit], Awaitable[Response]]


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{PREFIX}/login?next={quote(target, safe='')}", status_code=303)


def page(console: Console, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A console endpoint: the session from the cookie (else the login page), the CSRF token on every POST."""

    async def endpoint(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        session = await console.server.blocking(console.logins.session, token) if token else None
        if session is None or token is None:
            return login_redirect(request)
        visit = Visit(request, session, token)
        if request.method == "POST":
            visit.form = await read_params(request)  # urlencoded forms, without python-multipart
            if not console.logins.form_ok(token, visit.form.get(CSRF_FIELD)):
                return console.error_page(visit, PageError(403, "INVALID_CSRF_TOKEN",
                                                           "The form expired or did not come from this console; "
                                                           "reload the page and try again."))
        try:
            return await handler(console, visit)
        except PageError as error:
            return console.error_page(visit, error)

    return endpoint

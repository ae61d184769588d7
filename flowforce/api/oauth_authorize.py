"""`/services/oauth2/authorize`: the browser half of the OAuth 2.0 web server flow, as a small login page.

GET checks the client and its callback URL (flowforce/auth/web_server_flow.py) and renders the form; POST logs the
user in and sends the browser back to the callback with `code` and `state`. No JavaScript, no third-party assets.

CSRF: the GET sets a random nonce in an HttpOnly, SameSite=Lax cookie scoped to this path and puts an HMAC of it
(keyed by the org's signing key) in the form; a POST must bring both back, so another site can neither forge the
form nor log a victim in under the attacker's account. The page cannot be framed (clickjacking).
"""

from __future__ import annotations

import hmac
import secrets
from html import escape
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from flowforce.api.oauth import read_params
from flowforce.auth.service import AuthService
from flowforce.auth.web_server_flow import AuthorizeError, AuthorizeRequest

PATH = "/services/oauth2/authorize"
CSRF_COOKIE = "ff_authorize_csrf"
FORWARDED = ("client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge",
             "code_challenge_method")
BAD_LOGIN = ("Please check your username and password. If you still can't log in, contact your Salesforce "
             "administrator.")  # Salesforce's wording on its login page
PAGE_HEADERS = {
    "Cache-Control": "no-store", "Pragma": "no-cache", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # No form-action: browsers apply it to the redirect after the POST, which goes to the app's callback.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
}  # fmt: skip
_STYLE = ("body{font-family:system-ui,sans-serif;background:#f4f6f9;color:#16325c}"
          "main{max-width:22rem;margin:4rem auto;background:#fff;padding:1.5rem;border:1px solid #d8dde6;"
          "border-radius:.25rem}label{display:block;margin-top:.75rem}input[type=text],input[type=password]"
          "{width:100%;box-sizing:border-box;padding:.4rem}button{margin-top:1rem;width:100%;padding:.5rem}"
          ".error{color:#c23934}")


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><main><h1>{escape(title)}</h1>{body}</main></body></html>")
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def error_page(error: str, description: str, status: int = 400) -> HTMLResponse:
    return _page("Login error", f"<p class=\"error\" id=\"error\">{escape(error)}: {escape(description)}</p>",
                 status)


def callback_url(redirect_uri: str, **params: str | None) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{query}"


def _login_form(auth: AuthService, request: Request, params: dict[str, str], checked: AuthorizeRequest,
                message: str | None = None) -> HTMLResponse:
    nonce = secrets.token_urlsafe(32)
    hidden = "".join(f"<input type=\"hidden\" name=\"{name}\" value=\"{escape(params[name])}\">"
                     for name in FORWARDED if params.get(name))
    error = f"<p class=\"error\" id=\"error\">{escape(message)}</p>" if message else ""
    body = (f"<p>Log in to allow <strong>{escape(checked.app.name)}</strong> to access your data "
            f"({escape(checked.scope)}).</p>{error}"
            f"<form method=\"post\" action=\"{PATH}\">{hidden}"
            f"<input type=\"hidden\" name=\"csrf_token\" value=\"{escape(auth.form_signature(nonce))}\">"
            "<label for=\"username\">Username</label>"
            f"<input type=\"text\" id=\"username\" name=\"username\" value=\"{escape(params.get('username', ''))}\""
            " autocomplete=\"username\" required>"
            "<label for=\"password\">Password</label>"
            "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
            "<button type=\"submit\">Log In</button></form>")
    response = _page("Log in to flowforce", body)
    response.set_cookie(CSRF_COOKIE, nonce, path=PATH, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


def _refused(error: AuthorizeError, checked_redirect: str | None, state: str | None) -> Response:
    if error.redirect and checked_redirect:
        return RedirectResponse(callback_url(checked_redirect, error=error.error,
                                             error_description=error.description, state=state), status_code=302)
    return error_page(error.error, error.description)


def _checked(auth: AuthService, params: dict[str, str]) -> AuthorizeRequest | Response:
    try:
        return auth.authorize_request(params)
    except AuthorizeError as error:
        # A redirecting error implies the client and redirect URI were checked already.
        return _refused(error, params.get("redirect_uri"), params.get("state"))


def authorize_routes(auth: AuthService) -> list[BaseRoute]:
    async def show(request: Request) -> Response:
        params = dict(request.query_params.items())
        checked = await run_in_threadpool(_checked, auth, params)
        if isinstance(checked, Response):
            return checked
        return _login_form(auth, request, params, checked)

    async def log_in(request: Request) -> Response:
        params = await read_params(request)
        nonce = request.cookies.get(CSRF_COOKIE, "")
        sent = params.get("csrf_token", "")
        if not nonce or not sent or not hmac.compare_digest(auth.form_signature(nonce), sent):
            return error_page("invalid_request", "the login form expired or did not come from this server; "
                              "start the login again", 403)
        checked = await run_in_threadpool(_checked, auth, params)
        if isinstance(checked, Response):
            return checked
        code = await run_in_threadpool(auth.web_login, checked, params.get("username", ""),
                                       params.get("password", ""))
        if code is None:
            return _login_form(auth, request, params, checked, BAD_LOGIN)
        response = RedirectResponse(callback_url(checked.redirect_uri, code=code, state=checked.state),
                                    status_code=302)
        response.delete_cookie(CSRF_COOKIE, path=PATH)
        return response

    return [Route(PATH, show, methods=["GET"]), Route(PATH, log_in, methods=["POST"])]

"""OAuth 2.0 HTTP endpoints (reference/api-surface.md §4.1–§4.6): parse the request, call ``AuthService``,
render exactly Salesforce's bodies. No behaviour lives here.

The token and revoke endpoints are also served under any path prefix (``/x.salesforce.com/services/oauth2/token``)
because simple_salesforce can only be pointed at a custom host by injecting it into ``domain``, which leaves a
``.salesforce.com`` segment in the path (reference/clients.md §2.1).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from flowforce.api import identity as bodies
from flowforce.auth.errors import INVALID_SESSION, OAuthError, RestError
from flowforce.auth.responses import (
    GRANT_AUTHORIZATION_CODE,
    GRANT_CLIENT_CREDENTIALS,
    GRANT_JWT_BEARER,
    GRANT_PASSWORD,
    GRANT_REFRESH_TOKEN,
)
from flowforce.auth.service import AuthService
from flowforce.auth.session import Session

JSON_MEDIA_TYPE = "application/json;charset=UTF-8"
NOT_FOUND = RestError(404, "NOT_FOUND", "The requested resource does not exist")
_MAX_FORM_BYTES = 64 * 1024


def json_response(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON_MEDIA_TYPE)


def oauth_error_response(error: OAuthError) -> Response:
    return json_response(error.as_json(), error.status)


def rest_error_response(error: RestError) -> Response:
    return json_response(error.as_json(), error.status)


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else ""


def too_many_attempts(wait: int) -> Response:
    """429 for an address that failed too many logins lately (auth/throttle.py). UNCONFIRMED body: Salesforce
    documents no burst answer for its token endpoint; this one keeps the OAuth error shape."""
    response = json_response({"error": "rate_limit_exceeded",
                              "error_description": "too many failed login attempts; retry later"}, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def basic_credentials(request: Request) -> tuple[str | None, str | None]:
    """``Authorization: Basic base64(client_id:client_secret)`` (simple_salesforce's client-credentials call);
    RFC 6749 §2.3.1 form-encodes both parts before base64."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else (None, None)


async def read_params(request: Request) -> dict[str, str]:
    """Form fields merged over query parameters.

    Parsed here rather than with ``request.form()``: every client posts ``application/x-www-form-urlencoded``
    (§4), and Starlette's form parser needs python-multipart, which flowforce does not depend on. Bodies over
    64 KiB are ignored.
    """
    params = dict(request.query_params.items())
    if "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        body = await request.body()
        if len(body) <= _MAX_FORM_BYTES:
            params.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return params


def bearer_from(request: Request, params: dict[str, str] | None = None) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value.strip():
        return value.strip()
    return (params or {}).get("oauth_token", "")


async def _session(auth: AuthService, request: Request) -> Session | None:
    token = bearer_from(request, dict(request.query_params))
    return await run_in_threadpool(auth.authenticate, token) if token else None


def oauth_routes(auth: AuthService) -> list[BaseRoute]:
    async def token(request: Request) -> Response:
        address = client_address(request)
        wait = auth.throttle.retry_after(address)
        if wait:
            return too_many_attempts(wait)
        params = await read_params(request)
        basic_id, basic_secret = basic_credentials(request)
        client_id = params.get("client_id") or basic_id
        client_secret = params.get("client_secret") or basic_secret
        grant = params.get("grant_type", "")
        try:
            if grant == GRANT_PASSWORD:
                result = await run_in_threadpool(auth.token_password, client_id, client_secret,
                                                 params.get("username"), params.get("password"))
            elif grant == GRANT_CLIENT_CREDENTIALS:
                result = await run_in_threadpool(auth.token_client_credentials, client_id, client_secret)
            elif grant == GRANT_REFRESH_TOKEN:
                result = await run_in_threadpool(auth.token_refresh, client_id, client_secret,
                                                 params.get("refresh_token"))
            elif grant == GRANT_JWT_BEARER:
                result = await run_in_threadpool(auth.token_jwt_bearer, params.get("assertion"))
            elif grant == GRANT_AUTHORIZATION_CODE:
                result = await run_in_threadpool(auth.token_authorization_code, params.get("code"), client_id,
                                                 client_secret, params.get("redirect_uri"),
                                                 params.get("code_verifier"))
            else:
                raise OAuthError.unsupported_grant()
        except OAuthError as error:
            auth.throttle.note_failure(address)
            return oauth_error_response(error)
        return json_response(result.as_json())

    async def revoke(request: Request) -> Response:
        params = await read_params(request)
        try:
            await run_in_threadpool(auth.revoke, params.get("token"))
        except OAuthError as error:
            return oauth_error_response(error)
        return Response(status_code=200)  # §4.3: success is 200 with an empty body

    async def introspect(request: Request) -> Response:
        params = await read_params(request)
        basic_id, basic_secret = basic_credentials(request)
        try:
            found = await run_in_threadpool(auth.introspect, params.get("token"),
                                            params.get("client_id") or basic_id,
                                            params.get("client_secret") or basic_secret)
        except OAuthError as error:
            return oauth_error_response(error)
        return json_response(bodies.introspection(*found) if found is not None else {"active": False})

    async def userinfo(request: Request) -> Response:
        session = await _session(auth, request)
        if session is None:
            return rest_error_response(INVALID_SESSION)
        return json_response(bodies.userinfo(session, auth.settings.effective_login_url, auth.settings.instance_url))

    async def identity(request: Request) -> Response:
        session = await _session(auth, request)
        if session is None:
            return rest_error_response(INVALID_SESSION)
        if not auth.may_read_identity(request.path_params["org_id"], request.path_params["user_id"], session):
            return rest_error_response(NOT_FOUND)
        return json_response(bodies.identity(session, auth.settings.effective_login_url, auth.settings.instance_url))

    return [
        Route("/services/oauth2/token", token, methods=["POST"]),
        Route("/{prefix:path}/services/oauth2/token", token, methods=["POST"]),
        Route("/services/oauth2/revoke", revoke, methods=["GET", "POST"]),
        Route("/{prefix:path}/services/oauth2/revoke", revoke, methods=["GET", "POST"]),
        Route("/services/oauth2/introspect", introspect, methods=["POST"]),
        Route("/services/oauth2/userinfo", userinfo, methods=["GET", "POST"]),
        Route("/id/{org_id}/{user_id}", identity, methods=["GET", "POST"]),
    ]

"""SOAP partner ``login`` (reference/api-surface.md §4.7): simple_salesforce's and jsforce's username/password
login. Only ``login`` is implemented; the reply is the exact envelope both clients parse with tag-name lookups
and regexes, so element names carry no prefix and no attributes.

The request is parsed defensively: bounded size, no DTD, no entity expansion, no network access.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from flowforce.api.oauth import client_address, too_many_attempts
from flowforce.auth.errors import LoginFault
from flowforce.auth.responses import SoapLoginResult
from flowforce.auth.service import AuthService
from flowforce.metadata.xml import UnsafeXmlError, parse_xml

XML_MEDIA_TYPE = "text/xml;charset=UTF-8"
MAX_ENVELOPE_BYTES = 64 * 1024


class MalformedEnvelope(Exception):
    pass


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def parse_login(body: bytes) -> tuple[str, str]:
    """``(username, password)`` from a login envelope, whatever prefixes the client chose."""
    try:
        root = parse_xml(body, max_bytes=MAX_ENVELOPE_BYTES)
    except UnsafeXmlError as error:
        raise MalformedEnvelope(str(error)) from None
    login = next((element for element in root.iter() if _local_name(element) == "login"), None)
    if login is None:
        raise MalformedEnvelope("no login element")
    values = {_local_name(child): child.text or "" for child in login}
    return values.get("username", ""), values.get("password", "")


def _tag(name: str, value: object) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else escape(str(value))
    return f"<{name}>{text}</{name}>"


def render_login(result: SoapLoginResult) -> str:
    info = result.user_info
    user_info = "".join(_tag(name, value) for name, value in (
        ("accessibilityMode", False), ("currencySymbol", "$"), ("orgAttachmentFileSizeLimit", 5242880),
        ("orgDefaultCurrencyIsoCode", "USD"), ("orgDisallowHtmlAttachments", False), ("orgHasPersonAccounts", False),
        ("organizationId", info.organization_id), ("organizationMultiCurrency", False),
        ("organizationName", info.organization_name), ("profileId", info.profile_id), ("roleId", ""),
        ("sessionSecondsValid", info.session_seconds_valid), ("userDefaultCurrencyIsoCode", ""),
        ("userEmail", info.user_email), ("userFullName", info.user_full_name), ("userId", info.user_id),
        ("userLanguage", info.user_language), ("userLocale", info.user_locale), ("userName", info.user_name),
        ("userTimeZone", info.user_time_zone), ("userType", info.user_type), ("userUiSkin", "Theme3"),
    ))  # fmt: skip
    fields = "".join(_tag(name, value) for name, value in (
        ("metadataServerUrl", result.metadata_server_url), ("passwordExpired", result.password_expired),
        ("sandbox", result.sandbox), ("serverUrl", result.server_url), ("sessionId", result.session_id),
        ("userId", result.user_id),
    ))  # fmt: skip
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soapenv:Body><loginResponse><result>{fields}<userInfo>{user_info}</userInfo></result>"
        "</loginResponse></soapenv:Body></soapenv:Envelope>"
    )


def render_fault(code: str, message: str) -> str:
    """The LoginFault envelope of §4.7 (confirmed from simple_salesforce's fixture, which reads the prefixed
    ``sf:exceptionCode``/``sf:exceptionMessage``; jsforce reads ``faultstring``)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
        'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>{escape(code)}</faultcode><faultstring>{escape(code)}: {escape(message)}</faultstring>"
        '<detail><sf:LoginFault xsi:type="sf:LoginFault">'
        f"<sf:exceptionCode>{escape(code)}</sf:exceptionCode><sf:exceptionMessage>{escape(message)}"
        "</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )


def _xml(body: str, status: int) -> Response:
    return Response(body, status_code=status, media_type=XML_MEDIA_TYPE)


def soap_routes(auth: AuthService) -> list[BaseRoute]:
    async def login(request: Request) -> Response:
        address = client_address(request)
        wait = auth.throttle.retry_after(address)
        if wait:
            return too_many_attempts(wait)
        body = await request.body()
        try:
            username, password = parse_login(body)
        except MalformedEnvelope as error:
            # UNCONFIRMED: Salesforce answers a malformed envelope with a client fault; the code is its own.
            return _xml(render_fault("INVALID_SOAP", str(error)), 500)
        try:
            result = await run_in_threadpool(auth.soap_login, username, password, request.path_params["version"])
        except LoginFault as fault:
            auth.throttle.note_failure(address)
            return _xml(render_fault(fault.exception_code, fault.message), 500)
        return _xml(render_login(result), 200)

    return [
        Route("/services/Soap/u/{version}", login, methods=["POST"]),
        Route("/{prefix:path}/services/Soap/u/{version}", login, methods=["POST"]),
    ]

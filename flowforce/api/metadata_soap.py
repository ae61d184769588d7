"""The Metadata API's SOAP endpoint (`/services/Soap/m/{version}`), what jsforce's `metadata` calls for the sf CLI:
`deploy` (base64 zip + DeployOptions), `checkDeployStatus`, `retrieve`, `checkRetrieveStatus`.

The session comes in the envelope's `SessionHeader/sessionId` (jsforce sends no Authorization header there). The
reply's envelope and body carry the `soapenv:` prefix and the result elements none: jsforce finds them by those
patterns. Envelopes are parsed defensively (metadata/xml.parse_xml: no DTD, no entities, bounded size).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from flowforce.api.metadata_wire import async_result, deploy_result, file_property, retrieve_result, user_name
from flowforce.api.server import Server, server_of
from flowforce.auth.session import Session
from flowforce.metadata.binding import local_name
from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.runtime.deploy import DeployOptions
from flowforce.runtime.deploy_service import MetadataService, metadata_service
from flowforce.runtime.retrieve import API_VERSION, RetrieveRequest, list_components

XML_MEDIA_TYPE = "text/xml;charset=UTF-8"
METADATA_NS = "http://soap.sforce.com/2006/04/metadata"


class SoapFault(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def children(element: etree._Element) -> dict[str, etree._Element]:
    return {local_name(child): child for child in element if local_name(child)}


def text_of(element: etree._Element | None, default: str = "") -> str:
    return (element.text or "").strip() if element is not None else default


def flag(element: etree._Element, name: str, default: bool) -> bool:
    found = children(element).get(name)
    return default if found is None else text_of(found).lower() == "true"


def render_value(name: str, value: Any) -> str:
    if isinstance(value, list):
        return "".join(render_value(name, item) for item in value)
    if value is None:
        return f'<{name} xsi:nil="true"/>'
    if isinstance(value, dict):
        return f"<{name}>{''.join(render_value(key, item) for key, item in value.items())}</{name}>"
    text = ("true" if value else "false") if isinstance(value, bool) else escape(str(value))
    return f"<{name}>{text}</{name}>"


def envelope(method: str, result: Any) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
        f'envelope/" xmlns="{METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
        f"<{method}Response>{render_value('result', result)}</{method}Response></soapenv:Body></soapenv:Envelope>"
    )
    return Response(body, media_type=XML_MEDIA_TYPE)


def fault(code: str, message: str) -> Response:
    """A SOAP fault as Salesforce sends it (`sf:CODE` in faultcode: jsforce spots INVALID_SESSION_ID there)."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
        'envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>sf:{escape(code)}</faultcode><faultstring>{escape(code)}: {escape(message)}</faultstring>"
        "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    return Response(body, status_code=500, media_type=XML_MEDIA_TYPE)


def parse_call(body: bytes, max_bytes: int) -> tuple[str, str, etree._Element]:
    """(session id, operation, operation element) of a request envelope."""
    try:
        root = parse_xml(body, max_bytes=max_bytes)
    except UnsafeXmlError as error:
        raise SoapFault("INVALID_SOAP", str(error)) from None
    parts = children(root)
    header, soap_body = parts.get("Header"), parts.get("Body")
    operation = next(iter(soap_body), None) if soap_body is not None else None
    if operation is None or not local_name(operation):
        raise SoapFault("INVALID_SOAP", "The envelope has no operation in its Body")
    session = next((element for element in header.iter() if local_name(element) == "sessionId"), None) \
        if header is not None else None
    return text_of(session), local_name(operation), operation


def deploy_options(element: etree._Element | None) -> DeployOptions:
    if element is None:
        return DeployOptions()
    return DeployOptions(check_only=flag(element, "checkOnly", False),
                         rollback_on_error=flag(element, "rollbackOnError", True),
                         ignore_warnings=flag(element, "ignoreWarnings", False),
                         single_package=flag(element, "singlePackage", False))


def retrieve_request(element: etree._Element) -> RetrieveRequest:
    request = children(element).get("request")
    if request is None:
        raise SoapFault("INVALID_SOAP", "retrieve needs a request")
    parts = children(request)
    members: dict[str, list[str]] = {}
    unpackaged = parts.get("unpackaged")
    for types in (child for child in (unpackaged if unpackaged is not None else ()) if local_name(child) == "types"):
        name = text_of(children(types).get("name"))
        members.setdefault(name, []).extend(text_of(item) for item in types if local_name(item) == "members")
    return RetrieveRequest({name: tuple(names) for name, names in members.items() if name},
                           api_version=text_of(parts.get("apiVersion"), API_VERSION) or API_VERSION,
                           single_package=flag(request, "singlePackage", False))


Handler = Callable[[MetadataService, Session, etree._Element], Any]


def deploy(service: MetadataService, session: Session, element: etree._Element) -> Any:
    parts = children(element)
    try:
        data = base64.b64decode(text_of(parts.get("ZipFile")), validate=False)
    except (binascii.Error, ValueError):
        raise SoapFault("INVALID_INPUT", "ZipFile is not base64") from None
    outcome = service.deploy(data, deploy_options(parts.get("DeployOptions")), session.user_id, user_name(session))
    return async_result(outcome.id)


def check_deploy_status(service: MetadataService, session: Session, element: etree._Element) -> Any:
    parts = children(element)
    outcome = service.deploy_status(text_of(parts.get("asyncProcessId")))
    if outcome is None:
        raise SoapFault("INVALID_ID_FIELD", "invalid deploy id")
    return deploy_result(outcome, details=flag(element, "includeDetails", False))


def retrieve(service: MetadataService, session: Session, element: etree._Element) -> Any:
    outcome = service.retrieve(retrieve_request(element), session.user_id, user_name(session))
    return async_result(outcome.id)


def check_retrieve_status(service: MetadataService, session: Session, element: etree._Element) -> Any:
    outcome = service.retrieve_status(text_of(children(element).get("asyncProcessId")))
    if outcome is None:
        raise SoapFault("INVALID_ID_FIELD", "invalid retrieve id")
    return retrieve_result(outcome)


def list_metadata(service: MetadataService, session: Session, element: etree._Element) -> Any:
    types = [text_of(children(query).get("type")) for query in element if local_name(query) == "queries"]
    name = user_name(session)
    return [file_property(item, session.user_id, name) for item in list_components(service.org, types)]


OPERATIONS: dict[str, Handler] = {
    "deploy": deploy, "checkDeployStatus": check_deploy_status, "retrieve": retrieve,
    "checkRetrieveStatus": check_retrieve_status, "listMetadata": list_metadata,
}


def call(server: Server, body: bytes) -> Response:
    try:
        session_id, operation, element = parse_call(body, server.settings.max_body_bytes)
        session = server.org.auth.authenticate(session_id) if session_id else None
        if session is None:
            raise SoapFault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session")
        if not session.is_flow_admin:  # UNCONFIRMED: Salesforce asks for Modify Metadata
            raise SoapFault("INSUFFICIENT_ACCESS", "You need the Modify Metadata or Manage Flows permission.")
        handler = OPERATIONS.get(operation)
        if handler is None:
            raise SoapFault("INVALID_OPERATION", f"No operation available for request {{{METADATA_NS}}}{operation}")
        return envelope(operation, handler(metadata_service(server.org), session, element))
    except SoapFault as error:
        return fault(error.code, error.message)


async def metadata_call(request: Request) -> Response:
    server = server_of(request)
    body = await request.body()
    return await server.blocking(call, server, body)


def metadata_routes() -> list[BaseRoute]:
    """The envelope names the operation; simple_salesforce posts to `…/m/NN.0/deployRequest[/{id}]`."""
    return [Route("/services/Soap/m/{version}", metadata_call, methods=["POST"]),
            Route("/services/Soap/m/{version}/{rest:path}", metadata_call, methods=["POST"])]

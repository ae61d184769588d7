"""The REST Metadata API's deploy (`sf project deploy start` with `org-metadata-rest-deploy`): `POST
…/metadata/deployRequest` (multipart: the zip as `file`, `{"deployOptions": {…}}` as `entity_content`, exactly
what jsforce's `deployRest` sends) and `GET …/metadata/deployRequest/{id}[?includeDetails=true]`."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.body import decode_json
from flowforce.api.errors import ApiError, InsufficientAccess, NotFound
from flowforce.api.metadata_wire import deploy_options, deploy_result, user_name
from flowforce.api.record_ops import Caller
from flowforce.api.responses import json_response
from flowforce.api.sobjects import caller_for
from flowforce.runtime.deploy import DeployOptions, DeployOutcome
from flowforce.runtime.deploy_service import metadata_service


class InvalidDeployRequest(ApiError):
    # UNCONFIRMED code and wording for a deployRequest body that is not a zip plus its options.
    error_code, status = "INVALID_INPUT", 400


def require_deployer(caller: Caller) -> None:
    """UNCONFIRMED: Salesforce asks for Modify Metadata; flowforce's flow admins (Manage Flows or Modify All
    Data) may deploy."""
    if not caller.session.is_flow_admin:
        raise InsufficientAccess("You need the Modify Metadata or Manage Flows permission to deploy.")


def multipart_parts(content_type: str, body: bytes) -> dict[str, bytes]:
    """The parts of a multipart/form-data body by their `name`, bytes untouched (the zip is binary)."""
    boundary = next((item.split("=", 1)[1].strip().strip('"') for item in content_type.split(";")
                     if item.strip().lower().startswith("boundary=")), None)
    if not boundary:
        raise InvalidDeployRequest("The deploy request must be multipart/form-data with a boundary")
    parts: dict[str, bytes] = {}
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        head, separator, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            continue
        disposition = next((line for line in head.decode("latin-1").split("\r\n")
                            if line.lower().startswith("content-disposition")), "")
        name = next((item.split("=", 1)[1].strip().strip('"') for item in disposition.split(";")
                     if item.strip().lower().startswith("name=")), None)
        if name:
            parts[name] = content.removesuffix(b"\r\n")
    return parts


def options_from(raw: Any) -> DeployOptions:
    options = raw.get("deployOptions") if isinstance(raw, dict) else None
    options = options if isinstance(options, dict) else {}

    def flag(name: str, default: bool) -> bool:
        value = options.get(name, default)
        return value if isinstance(value, bool) else str(value).lower() == "true"

    return DeployOptions(check_only=flag("checkOnly", False), rollback_on_error=flag("rollbackOnError", True),
                         ignore_warnings=flag("ignoreWarnings", False),
                         single_package=flag("singlePackage", False))


def request_body(caller: Caller, outcome: DeployOutcome, *, details: bool) -> dict[str, Any]:
    return {"id": outcome.id, "validatedDeployRequestId": None,
            "url": f"/services/data/v{caller.version}/metadata/deployRequest/{outcome.id}",
            "deployOptions": deploy_options(outcome), "deployResult": deploy_result(outcome, details=details)}


async def create_deploy_request(request: Request) -> Response:
    caller = caller_for(request)
    require_deployer(caller)
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/"):
        raise InvalidDeployRequest("Quick deploys of a validated request are not supported; send the zip "
                                   "(multipart/form-data)")
    parts = multipart_parts(content_type, await request.body())
    if "file" not in parts:
        raise InvalidDeployRequest("The deploy request has no `file` part (the zip)")
    options = options_from(decode_json(parts["entity_content"]) if parts.get("entity_content") else {})
    session = caller.session
    service = metadata_service(caller.org)
    outcome = await caller.server.blocking(service.deploy, parts["file"], options, session.user_id,
                                           user_name(session))
    return json_response(request_body(caller, outcome, details=True), 201)


async def deploy_request(request: Request) -> Response:
    caller = caller_for(request)
    require_deployer(caller)
    service = metadata_service(caller.org)
    outcome = await caller.server.blocking(service.deploy_status, request.path_params["request_id"])
    if outcome is None:
        raise NotFound()
    details = request.query_params.get("includeDetails", "").lower() == "true"
    return json_response(request_body(caller, outcome, details=details))



async def resources(request: Request) -> Response:
    """`GET …/metadata`: the one resource served under it (UNCONFIRMED shape, like the Tooling index)."""
    version = request.path_params["version"]
    return json_response({"deployRequest": f"/services/data/v{version}/metadata/deployRequest"})

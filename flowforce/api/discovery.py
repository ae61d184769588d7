"""`GET /services/data` (versions) and `GET /services/data/vNN.0` (resource map).

reference/api-surface.md §3.1: an ascending array of `{"label","url","version"}`, versions as two-digit strings
(sfdx-core takes a lexicographic max); labels follow Salesforce's release names (v59 Winter '24, v60 Spring
'24, v61 Summer '24, …). §3.2: the resource map, with `identity` as an absolute URL,
listing only the resources served here.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.responses import json_response
from flowforce.api.server import server_of
from flowforce.api.session import current_session
from flowforce.settings import Settings

SEASONS = ("Winter", "Spring", "Summer")
#: Only what this server answers (the flow actions, records, queries, composite, limits, Tooling and the
#: Metadata API's deployRequest); Salesforce lists dozens more.
RESOURCES = ("tooling", "metadata", "query", "queryAll", "limits", "sobjects", "actions", "composite")


def release_label(version: int) -> str:
    index = version - 59  # v59.0 is Winter '24
    return f"{SEASONS[index % 3]} '{24 + index // 3:02d}"


def versions(settings: Settings) -> list[dict[str, str]]:
    return [{"label": release_label(number), "url": f"/services/data/v{number}.0", "version": f"{number}.0"}
            for number in range(settings.min_version, settings.max_version + 1)]


async def list_versions(request: Request) -> Response:
    return json_response(versions(server_of(request).settings))


async def resource_map(request: Request) -> Response:
    server = server_of(request)
    version = request.path_params["version"]
    session = current_session(request)
    body = {name: f"/services/data/v{version}/{name}" for name in RESOURCES}
    body["identity"] = f"{server.settings.base_url}/id/{session.org_id}/{session.user_id}"
    return json_response(body)

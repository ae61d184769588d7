"""Metadata API `retrieve`: the org's flows (and objects) as a package zip, what `sf project retrieve start` unpacks.

A flow is retrieved as the version an org hands out — the active one, else the latest — exactly as it was
deployed or read from the project (its XML is kept byte for byte). A name the org does not have comes back as
a message in Salesforce's wording, which `sf` reads the type and name out of.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from flowforce.runtime.deploy_package import WILDCARD

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

SUCCEEDED = "Succeeded"
API_VERSION = "62.0"


@dataclass(frozen=True)
class RetrieveRequest:
    members: dict[str, tuple[str, ...]]
    api_version: str = API_VERSION
    single_package: bool = False


@dataclass(frozen=True)
class FileProperty:
    component_type: str
    full_name: str
    file_name: str
    id: str = ""


@dataclass
class RetrieveOutcome:
    id: str
    created_by: str
    created_by_name: str
    created_date: str
    status: str = SUCCEEDED
    zip_base64: str = ""
    files: list[FileProperty] = field(default_factory=list)
    #: Problems as (file name, problem): names the org does not have, types it does not serve.
    messages: list[tuple[str, str]] = field(default_factory=list)


def package_xml(members: dict[str, list[str]], version: str) -> bytes:
    types = "".join(
        "    <types>\n" + "".join(f"        <members>{escape(name)}</members>\n" for name in sorted(names))
        + f"        <name>{escape(kind)}</name>\n    </types>\n"
        for kind, names in sorted(members.items()) if names)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
            f"{types}    <version>{escape(version)}</version>\n</Package>\n").encode()


def flow_files(org: Org, names: tuple[str, ...], outcome: RetrieveOutcome) -> dict[str, tuple[str, bytes]]:
    """Path → (full name, XML) of the flows asked for: the active version, else the latest."""
    library = org.library
    wanted = library.names() if WILDCARD in names else list(names)
    found: dict[str, tuple[str, bytes]] = {}
    for name in wanted:
        versions = library.versions(name)
        loaded = library.active(name) or (versions[-1] if versions else None)
        data = org.versions.data(name, loaded.flow.version) if loaded is not None else None
        if loaded is None or data is None:
            outcome.messages.append(("package.xml", f"Entity of type 'Flow' named '{name}' cannot be found"))
            continue
        found[f"flows/{loaded.flow.api_name}.flow"] = (loaded.flow.api_name, data)
    return found


def retrieve_package(org: Org, request: RetrieveRequest, outcome: RetrieveOutcome) -> RetrieveOutcome:
    prefix = "" if request.single_package else "unpackaged/"
    files: dict[str, tuple[str, str, bytes]] = {}
    for kind, names in request.members.items():
        if kind == "Flow":
            files.update({path: ("Flow", name, data) for path, (name, data) in flow_files(org, names, outcome).items()})
        else:
            for name in names:
                outcome.messages.append(("package.xml", f"Entity of type '{kind}' named '{name}' cannot be found"))
    retrieved: dict[str, list[str]] = {}
    for kind, name, _ in files.values():
        retrieved.setdefault(kind, []).append(name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, (kind, name, data) in sorted(files.items()):
            archive.writestr(prefix + path, data)
            outcome.files.append(FileProperty(kind, name, prefix + path))
        archive.writestr(f"{prefix}package.xml", package_xml(retrieved, request.api_version))
    outcome.files.append(FileProperty("Package", "unpackaged" if prefix else "package.xml", f"{prefix}package.xml"))
    outcome.messages = [(f"{prefix}{file}", problem) for file, problem in outcome.messages]
    outcome.zip_base64 = base64.b64encode(buffer.getvalue()).decode("ascii")
    return outcome

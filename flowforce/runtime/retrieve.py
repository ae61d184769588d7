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

from lxml import etree

from flowforce.metadata.binding import local_name
from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.runtime.deploy_package import WILDCARD

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

SUCCEEDED = "Succeeded"
METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
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


def object_sources(org: Org, name: str) -> tuple[etree._Element | None, dict[str, etree._Element]]:
    """An object's own settings and its fields by name, from the project's files then the deployed ones (later
    ones win), in source layout (`objects/Name/Name.object-meta.xml`, `objects/Name/fields/*.field-meta.xml`)."""
    from flowforce.runtime.deploy_schema import stored_files

    files: list[tuple[str, bytes]] = []
    project = org.settings.project_dir
    for folder in sorted(project.rglob(f"objects/{name}")):
        if folder.is_dir() and not any(part.startswith(".") or part == "node_modules"
                                       for part in folder.relative_to(project).parts):
            files += [(str(path.relative_to(folder)), path.read_bytes()) for path in sorted(folder.rglob("*.xml"))]
    prefix = f"objects/{name}/"
    files += [(path[len(prefix):], data) for path, data in sorted(stored_files(org).items()) if path.startswith(prefix)]
    shell: etree._Element | None = None
    fields: dict[str, etree._Element] = {}
    for path, data in files:
        try:
            root = parse_xml(data)
        except UnsafeXmlError:
            continue
        if path == f"{name}.object-meta.xml":
            shell = root
            fields.update({_full_name(element): element for element in root if local_name(element) == "fields"})
        elif path.startswith("fields/") and path.endswith(".field-meta.xml"):
            fields[path.removeprefix("fields/").removesuffix(".field-meta.xml")] = root
    return shell, fields


def _full_name(element: etree._Element) -> str:
    found = next((child for child in element if local_name(child) == "fullName"), None)
    return (found.text or "").strip() if found is not None else ""


def object_xml(shell: etree._Element | None, fields: dict[str, etree._Element]) -> bytes:
    """A CustomObject in metadata format: its settings, then its fields inline."""
    parts = [etree.tostring(child, encoding="unicode").replace(f' xmlns="{METADATA_NS}"', "")
             for child in (shell if shell is not None else ()) if local_name(child) not in ("fields", "")]
    for name, element in sorted(fields.items()):
        inner = "".join(etree.tostring(child, encoding="unicode").replace(f' xmlns="{METADATA_NS}"', "")
                        for child in element if local_name(child))
        parts.append(f"<fields><fullName>{escape(name)}</fullName>{inner}</fields>" if not _full_name(element)
                     else f"<fields>{inner}</fields>")
    body = "\n    ".join(parts)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="{METADATA_NS}">\n    {body}\n'
            "</CustomObject>\n").encode()


def object_files(org: Org, request: RetrieveRequest, outcome: RetrieveOutcome
                 ) -> dict[str, tuple[str, tuple[str, ...], bytes]]:
    """`objects/Name.object` per object asked for (CustomObject: all its fields; CustomField: those named)."""
    wanted: dict[str, set[str] | None] = {}
    objects = request.members.get("CustomObject", ())
    names = [obj.name for obj in org.registry.objects() if obj.custom] if WILDCARD in objects else list(objects)
    for name in names:
        wanted[name] = None
    for member in request.members.get("CustomField", ()):
        name, _, field = member.partition(".")
        if wanted.get(name, set()) is not None:
            wanted.setdefault(name, set()).add(field)  # type: ignore[union-attr]
    found: dict[str, tuple[str, tuple[str, ...], bytes]] = {}
    for name, fields in wanted.items():
        if not org.registry.has(name):
            kind, full = ("CustomObject", name) if fields is None else ("CustomField", f"{name}.{min(fields)}")
            outcome.messages.append(("package.xml", f"Entity of type '{kind}' named '{full}' cannot be found"))
            continue
        shell, available = object_sources(org, name)
        if fields is not None:
            for field in sorted(fields - set(available)):
                outcome.messages.append(("package.xml", f"Entity of type 'CustomField' named '{name}.{field}' "
                                         "cannot be found"))
            available = {key: value for key, value in available.items() if key in fields}
            shell = None
        if fields is not None and not available:
            continue
        kind, full_names = ("CustomObject", (name,)) if fields is None else (
            "CustomField", tuple(f"{name}.{field}" for field in sorted(available)))
        found[f"objects/{name}.object"] = (kind, full_names, object_xml(shell, available))
    return found


def retrieve_package(org: Org, request: RetrieveRequest, outcome: RetrieveOutcome) -> RetrieveOutcome:
    prefix = "" if request.single_package else "unpackaged/"
    files: dict[str, tuple[str, tuple[str, ...], bytes]] = {}
    for kind, names in request.members.items():
        if kind == "Flow":
            files.update({path: ("Flow", (name,), data)
                          for path, (name, data) in flow_files(org, names, outcome).items()})
        elif kind not in ("CustomObject", "CustomField"):
            for name in names:
                outcome.messages.append(("package.xml", f"Entity of type '{kind}' named '{name}' cannot be found"))
    files.update(object_files(org, request, outcome))
    retrieved: dict[str, list[str]] = {}
    for kind, full_names, _ in files.values():
        retrieved.setdefault(kind, []).extend(full_names)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, (kind, full_names, data) in sorted(files.items()):
            archive.writestr(prefix + path, data)
            outcome.files.extend(FileProperty(kind, name, prefix + path) for name in full_names)
        archive.writestr(f"{prefix}package.xml", package_xml(retrieved, request.api_version))
    outcome.files.append(FileProperty("Package", "unpackaged" if prefix else "package.xml", f"{prefix}package.xml"))
    outcome.messages = [(f"{prefix}{file}", problem) for file, problem in outcome.messages]
    outcome.zip_base64 = base64.b64encode(buffer.getvalue()).decode("ascii")
    return outcome


def list_components(org: Org, types: list[str]) -> list[FileProperty]:
    """`listMetadata`: the org's components of the types asked (the ones flowforce serves; others list none)."""
    library = org.library
    found: list[FileProperty] = []
    for kind in types:
        if kind in ("Flow", "FlowDefinition"):
            folder, suffix = ("flows", "flow") if kind == "Flow" else ("flowDefinitions", "flowDefinition")
            found += [FileProperty(kind, name, f"{folder}/{name}.{suffix}") for name in library.names()]
        elif kind == "CustomObject":
            found += [FileProperty(kind, obj.name, f"objects/{obj.name}.object") for obj in org.registry.objects()
                      if obj.custom]
        elif kind == "CustomField":
            found += [FileProperty(kind, f"{obj.name}.{field.name}", f"objects/{obj.name}.object")
                      for obj in org.registry.objects() for field in obj.fields.values() if field.custom]
    return found

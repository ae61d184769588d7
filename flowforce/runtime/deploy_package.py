"""A Metadata API package read safely: a zip (what `sf project deploy start` sends) with its `package.xml`.

The zip comes from any API user, so it is read within limits before anything is parsed: entry count, each entry's
size and the total are counted while decompressing (a header may lie about sizes), encrypted entries and paths
leaving the package are refused. XML goes through `parse_xml` (no DTD, no entities, no network).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from flowforce.metadata.binding import local_name
from flowforce.metadata.xml import UnsafeXmlError, parse_xml

#: Salesforce refuses more than 10,000 files in one deploy.
MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
CHUNK = 64 * 1024
PACKAGE_XML = "package.xml"
WILDCARD = "*"


class PackageError(ValueError):
    """The package cannot be deployed at all (not a zip, too large, no package.xml)."""


@dataclass(frozen=True)
class Manifest:
    """package.xml: member names per metadata type (`*` means every one in the zip)."""

    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    version: str | None = None

    def names(self, metadata_type: str) -> tuple[str, ...]:
        return self.members.get(metadata_type, ())

    def includes(self, metadata_type: str, name: str) -> bool:
        names = self.names(metadata_type)
        return WILDCARD in names or name in names


@dataclass(frozen=True)
class Package:
    """The files of a package, by their path below package.xml (`flows/Name.flow`)."""

    manifest: Manifest
    files: dict[str, bytes]

    def folder(self, name: str, suffix: str) -> dict[str, bytes]:
        """Component name → content for the files `name/*suffix`."""
        found: dict[str, bytes] = {}
        for path, data in self.files.items():
            folder, _, file = path.partition("/")
            if folder == name and "/" not in file and file.endswith(suffix) and len(file) > len(suffix):
                found[file[: -len(suffix)]] = data
        return found


def read_zip(data: bytes) -> dict[str, bytes]:
    """Every file of the zip, within the limits; directories skipped."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise PackageError("The zip file is not a valid zip archive") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise PackageError(f"The zip file holds more than {MAX_ENTRIES} entries")
        files: dict[str, bytes] = {}
        total = 0
        for entry in entries:
            if entry.is_dir():
                continue
            path = safe_path(entry.filename)
            if entry.flag_bits & 0x1:
                raise PackageError(f"{path}: encrypted entries are not accepted")
            content = _read_entry(archive, entry, MAX_TOTAL_BYTES - total)
            total += len(content)
            files[path] = content
    return files


def safe_path(name: str) -> str:
    normalized = posixpath.normpath(name.replace("\\", "/"))
    if normalized.startswith(("/", "../")) or normalized == ".." or ":" in normalized.split("/")[0]:
        raise PackageError(f"{name}: a path outside the package")
    return normalized


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    """Decompress in chunks, stopping as soon as a limit is passed (a zip bomb never reaches memory)."""
    limit = min(MAX_ENTRY_BYTES, budget)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    which = "entry" if limit == MAX_ENTRY_BYTES else "package"
                    raise PackageError(f"{entry.filename}: the {which} is larger than the limit once uncompressed")
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as error:
        raise PackageError(f"{entry.filename}: cannot be read ({error})") from None
    return b"".join(chunks)


def read_package(data: bytes) -> Package:
    """The package in a zip: package.xml at its root or in one folder (`unpackaged/`, `zip/`), paths below it."""
    files = read_zip(data)
    manifests = sorted((path for path in files if posixpath.basename(path) == PACKAGE_XML), key=len)
    if not manifests:
        raise PackageError("No package.xml found")
    root = posixpath.dirname(manifests[0])
    prefix = f"{root}/" if root else ""
    below = {path[len(prefix):]: content for path, content in files.items() if path.startswith(prefix)}
    return Package(parse_manifest(below[PACKAGE_XML]), below)


def parse_manifest(data: bytes) -> Manifest:
    try:
        root = parse_xml(data)
    except UnsafeXmlError as error:
        raise PackageError(f"package.xml: {error}") from None
    members: dict[str, list[str]] = {}
    version = None
    for child in root:
        tag = local_name(child)
        if tag == "version":
            version = (child.text or "").strip() or None
        elif tag == "types":
            name = next(((item.text or "").strip() for item in child if local_name(item) == "name"), "")
            names = [(item.text or "").strip() for item in child if local_name(item) == "members"]
            if name:
                members.setdefault(name, []).extend(names)
    return Manifest({name: tuple(names) for name, names in members.items()}, version)

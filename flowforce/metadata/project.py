"""Load the flows of a project: files or folders in, versions grouped by API name out, never an exception.

Real repositories hold what Salesforce holds: drafts that never validated, old `Name-2.flow-meta.xml`
version files, the odd file that is not a flow at all. A `FlowLibrary` loads each file as Salesforce would
keep it: a version whose validation has errors is an InvalidDraft (reference/flow-metadata.md §2.2), a file
that cannot be read at all is a `LoadFailure`, and the rest of the project still loads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flowforce.metadata import model
from flowforce.metadata.parser import FLOW_SUFFIXES, FlowParseError, flow_identity, parse_flow_bytes
from flowforce.metadata.problems import Problem, error, warning
from flowforce.metadata.validate import validate_flow

INVALID_DRAFT = "InvalidDraft"
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


@dataclass(frozen=True)
class LoadedFlow:
    """One version as loaded: the parsed flow, its problems, and the status Salesforce would give it."""

    flow: model.Flow
    problems: tuple[Problem, ...]
    effective_status: str

    @property
    def path(self) -> str | None:
        return self.flow.source_path

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]


@dataclass(frozen=True)
class FlowSource:
    """One version's XML, wherever it came from: a project file, or a deploy the org keeps in its database.
    *status*, when set, is the status the org gave the version (activation over the API)."""

    api_name: str
    version: int
    data: bytes
    source: str
    status: str | None = None
    notes: tuple[Problem, ...] = ()
    #: The description the org gave the version (`PATCH sobjects/Flow/{id}`), over the XML's.
    description: str | None = None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class LoadFailure:
    path: str
    message: str

    @property
    def identity(self) -> tuple[str, int]:
        return flow_identity(Path(self.path))


# ---------------------------------------------------------------------------------------------- discovery


def find_flow_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[LoadFailure]]:
    """Flow files named by *paths* (files, SFDX projects, any folders), each once, in a stable order."""
    found: dict[Path, None] = {}
    failures: list[LoadFailure] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _files_in_folder(path):
                found.setdefault(file.resolve(), None)
        elif path.is_file():
            if path.name.endswith(FLOW_SUFFIXES):
                found.setdefault(path.resolve(), None)
            else:
                failures.append(
                    LoadFailure(str(path), "not a flow file (expected *.flow-meta.xml or *.flow)")
                )
        else:
            failures.append(LoadFailure(str(path), "no such file or folder"))
    return list(found), failures


def _files_in_folder(folder: Path) -> list[Path]:
    """An SFDX project's package directories (`**/flows/*.flow-meta.xml`), else every flow file below."""
    package_dirs = _sfdx_package_directories(folder)
    if package_dirs is not None:
        return sorted(
            file
            for package in package_dirs
            for file in package.rglob("*")
            if file.parent.name == "flows" and _is_flow_file(file) and _visible(file, package)
        )
    return sorted(file for file in folder.rglob("*") if _is_flow_file(file) and _visible(file, folder))


def _sfdx_package_directories(folder: Path) -> list[Path] | None:
    project_file = folder / "sfdx-project.json"
    if not project_file.is_file():
        return None
    try:
        entries = json.loads(project_file.read_text(encoding="utf-8")).get("packageDirectories") or []
        directories = [
            folder / entry["path"] for entry in entries if isinstance(entry, dict) and entry.get("path")
        ]
    except (OSError, ValueError, AttributeError):
        return None  # a broken project file: fall back to searching the whole folder
    return [directory for directory in directories if directory.is_dir()] or None


def _is_flow_file(path: Path) -> bool:
    return path.name.endswith(FLOW_SUFFIXES) and path.is_file()


def _visible(file: Path, root: Path) -> bool:
    parts = file.relative_to(root).parts[:-1]
    return not any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts)


# ---------------------------------------------------------------------------------------------- versions


@dataclass(frozen=True, slots=True)
class VersionClaim:
    api_name: str
    version: int
    clashes_with: Path | None = None  # the file that holds the version this one's name claimed


def assign_versions(files: Iterable[Path]) -> dict[Path, VersionClaim]:
    """API name and version per file; clashing claims get the next free version, in path order.

    `Name-2.flow-meta.xml` claims version 2 of `Name`; a plain `Name.flow-meta.xml` claims 1. Two files
    claiming the same version (the same flow in two folders) cannot both be that version, so the first by
    path keeps it and the other is loaded as the next version after the highest claim.
    """
    claims: dict[str, list[tuple[int, Path]]] = {}
    names: dict[str, str] = {}
    for file in files:
        name, version = flow_identity(file)
        names.setdefault(name.lower(), name)
        claims.setdefault(name.lower(), []).append((version, file))
    result: dict[Path, VersionClaim] = {}
    for key, entries in claims.items():
        holders: dict[int, Path] = {}
        clashes: list[tuple[int, Path]] = []
        for version, file in sorted(entries, key=lambda entry: (entry[0], str(entry[1]))):
            if version in holders:
                clashes.append((version, file))
            else:
                holders[version] = file
                result[file] = VersionClaim(names[key], version)
        for claimed, file in clashes:
            version = max(holders) + 1
            holders[version] = file
            result[file] = VersionClaim(names[key], version, holders[claimed])
    return result


# ---------------------------------------------------------------------------------------------- library


class FlowLibrary:
    """Every version of every flow found under some paths, with what is wrong with each."""

    def __init__(self, loaded: Iterable[LoadedFlow] = (), failures: Iterable[LoadFailure] = ()) -> None:
        self._versions: dict[str, list[LoadedFlow]] = {}
        for item in loaded:
            self._versions.setdefault(item.flow.api_name.lower(), []).append(item)
        for versions in self._versions.values():
            versions.sort(key=lambda item: item.flow.version)
        self.failures: list[LoadFailure] = list(failures)

    @classmethod
    def load(cls, paths: Iterable[Path | str], *, schema: Any = None, actions: Any = None) -> FlowLibrary:
        sources, failures = file_sources(paths)
        return cls.build(sources, schema=schema, actions=actions, failures=failures)

    @classmethod
    def build(cls, sources: Iterable[FlowSource], *, schema: Any = None, actions: Any = None,
              failures: Iterable[LoadFailure] = (), parsed: dict[Any, model.Flow | LoadFailure] | None = None
              ) -> FlowLibrary:
        """Every version from its XML, validated together (subflows name each other); *parsed* caches parsed
        versions by (name, version, digest) across builds, so an unchanged version keeps its model object."""
        failures = list(failures)
        flows: list[tuple[model.Flow, FlowSource]] = []
        for source in sources:
            key = (source.api_name.lower(), source.version, source.digest)
            flow = parsed.get(key) if parsed is not None else None
            if flow is None:
                flow = _parse_source(source)
                if parsed is not None:
                    parsed[key] = flow
            if isinstance(flow, LoadFailure):
                failures.append(flow)
            else:
                if source.description is not None and source.description != flow.description:
                    flow = dataclasses.replace(flow, description=source.description)
                flows.append((flow, source))
        known_flows = {flow.api_name for flow, _ in flows}
        loaded: list[LoadedFlow] = []
        for flow, source in flows:
            try:
                problems = validate_flow(flow, schema=schema, actions=actions, known_flows=known_flows)
            except Exception as bug:  # one flow must never stop a project from loading
                failures.append(
                    LoadFailure(
                        flow.source_path or flow.api_name,
                        f"internal error while validating: {type(bug).__name__}: {bug}",
                    )
                )
                continue
            loaded.append(with_status(settle_status(flow, list(source.notes) + problems), source.status))
        library = cls(loaded, failures)
        library._single_active_version()
        return library

    def with_statuses(self, statuses: dict[tuple[str, int], str | None]) -> FlowLibrary:
        """The same versions (same model objects) with some statuses set: activation never re-parses."""
        changed = [with_status(item, statuses.get((item.flow.api_name.lower(), item.flow.version)))
                   for item in self]
        library = FlowLibrary(changed, self.failures)
        library._single_active_version()
        return library

    # ------------------------------------------------------------------------------------------ queries

    def names(self) -> list[str]:
        return sorted((versions[0].flow.api_name for versions in self._versions.values()), key=str.lower)

    def versions(self, name: str) -> list[LoadedFlow]:
        return list(self._versions.get(name.lower(), ()))

    def get(self, name: str, version: int | None = None) -> LoadedFlow | None:
        """A given version, or the version a caller would run (`runnable_version`)."""
        if version is None:
            return self.runnable_version(name)
        return next((item for item in self.versions(name) if item.flow.version == version), None)

    def active(self, name: str) -> LoadedFlow | None:
        return next(
            (item for item in reversed(self.versions(name)) if item.effective_status == "Active"), None
        )

    def runnable_version(self, name: str) -> LoadedFlow | None:
        """The active version, else the latest one that is not an InvalidDraft (confirmations.md §4a)."""
        active = self.active(name)
        if active is not None:
            return active
        return next(
            (item for item in reversed(self.versions(name)) if item.effective_status != INVALID_DRAFT), None
        )

    def __iter__(self) -> Iterator[LoadedFlow]:
        for name in self.names():
            yield from self.versions(name)

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._versions.values())

    # ------------------------------------------------------------------------------------------ internals

    def _single_active_version(self) -> None:
        """Salesforce keeps one active version per flow: the highest Active one wins, others read Obsolete."""
        for key, versions in self._versions.items():
            active = [item for item in versions if item.effective_status == "Active"]
            for item in active[:-1]:
                note = warning(
                    None,
                    f"version {active[-1].flow.version} is also Active; "
                    f"Salesforce keeps one active version, so this one is Obsolete",
                )
                replaced = dataclasses.replace(
                    item, problems=(*item.problems, note), effective_status="Obsolete"
                )
                self._versions[key] = [replaced if other is item else other for other in self._versions[key]]


def with_status(item: LoadedFlow, status: str | None) -> LoadedFlow:
    """A version with the status the org gave it (activation over the API); an InvalidDraft stays one."""
    if status is None or item.effective_status == INVALID_DRAFT or status == item.effective_status:
        return item
    return dataclasses.replace(item, effective_status=status)


def settle_status(flow: model.Flow, problems: list[Problem]) -> LoadedFlow:
    """The status Salesforce would keep: any error makes an InvalidDraft, which an `Active` file cannot be."""
    errors = [problem for problem in problems if problem.is_error]
    if not errors:
        return LoadedFlow(flow, tuple(problems), flow.status)
    if flow.status == "Active":
        summary = errors[0].message if errors[0].element is None else str(errors[0])
        problems = [
            error(None, f"the file says Active but Salesforce would not activate it: {summary}"),
            *problems,
        ]
    return LoadedFlow(flow, tuple(problems), INVALID_DRAFT)


def _parse_source(source: FlowSource) -> model.Flow | LoadFailure:
    try:
        return parse_flow_bytes(source.data, api_name=source.api_name, version=source.version, source=source.source)
    except FlowParseError as problem:
        return LoadFailure(source.source, _parse_message(problem))
    except Exception as bug:  # a parser bug must not stop the project from loading
        return LoadFailure(source.source, f"internal error while reading: {type(bug).__name__}: {bug}")


def file_sources(paths: Iterable[Path | str]) -> tuple[list[FlowSource], list[LoadFailure]]:
    """The flow versions a project's files hold (`Name-2.flow-meta.xml` is version 2), and what can't be read."""
    files, failures = find_flow_files(paths)
    identities = assign_versions(files)
    sources: list[FlowSource] = []
    for file in files:
        claim = identities[file]
        try:
            data = file.read_bytes()
        except OSError as problem:
            failures.append(LoadFailure(str(file), f"cannot read the file: {problem.strerror or problem}"))
            continue
        notes: tuple[Problem, ...] = ()
        if claim.clashes_with is not None:
            declared = flow_identity(file)[1]
            notes = (warning(None, f"version {declared} of {claim.api_name} is also in {claim.clashes_with}; "
                                   f"loaded as version {claim.version}"),)
        sources.append(FlowSource(claim.api_name, claim.version, data, str(file), notes=notes))
    return sources, failures


def _parse_message(problem: FlowParseError) -> str:
    """FlowParseError's text starts with the file path, which the failure already carries."""
    text = str(problem)
    where = f"{problem.source} (element {problem.element}): " if problem.element else f"{problem.source}: "
    message = text[len(where) :] if text.startswith(where) else text
    return f"Element {problem.element}: {message}" if problem.element else message

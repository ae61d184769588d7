"""Deploys as an org takes them (Metadata API `deploy`, REST `deployRequest`): a package in, a result out.

Each component is validated first — flows with the `flowforce check` validator against the org's schema, actions
and other flows; objects and fields against the current schema (runtime/deploy_schema.py) — and its problems come
back as component failures with the file, line and column where `sf` prints them. Only then, and only when nothing
failed (or `rollbackOnError` is off), are the changes applied: each deployed flow becomes the next version of its
name with the status its file gives (an Active one retires the previous active version), objects and fields are
added to the schema. `checkOnly` validates and changes nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flowforce.lint.source import read_source
from flowforce.metadata.check import CheckLine, check_library
from flowforce.metadata.project import FlowLibrary, FlowSource
from flowforce.records.errors import RecordError, SchemaMigrationError
from flowforce.records.schema import SchemaRegistry
from flowforce.runtime.deploy_definitions import plan_activations
from flowforce.runtime.deploy_messages import ComponentMessage, failure, position_in
from flowforce.runtime.deploy_package import Package, PackageError, read_package
from flowforce.runtime.deploy_schema import plan_schema
from flowforce.runtime.flow_records import sync_flow_records
from flowforce.runtime.versions import ACTIVE, OBSOLETE

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

FLOW_TYPE = "Flow"
SUPPORTED_TYPES = ("Flow", "FlowDefinition", "CustomObject", "CustomField")
SUCCEEDED, SUCCEEDED_PARTIAL, FAILED = "Succeeded", "SucceededPartial", "Failed"
ACTIVE_SUMMARY = "the file says Active but"


@dataclass(frozen=True)
class DeployOptions:
    check_only: bool = False
    rollback_on_error: bool = True
    ignore_warnings: bool = False
    single_package: bool = False


@dataclass
class DeployOutcome:
    """What a deploy did, as `checkDeployStatus` reports it."""

    id: str
    check_only: bool
    rollback_on_error: bool
    ignore_warnings: bool
    created_by: str
    created_by_name: str
    created_date: str
    completed_date: str = ""
    status: str = SUCCEEDED
    error_message: str | None = None
    error_status_code: str | None = None
    messages: list[ComponentMessage] = field(default_factory=list)

    @property
    def failures(self) -> list[ComponentMessage]:
        return [message for message in self.messages if not message.success]

    @property
    def successes(self) -> list[ComponentMessage]:
        return [message for message in self.messages if message.success]

    @property
    def components_total(self) -> int:
        return len(_components(self.messages))

    @property
    def components_failed(self) -> int:
        return len(_components(self.failures))

    @property
    def components_deployed(self) -> int:
        return self.components_total - self.components_failed if self.status != FAILED else 0


def _components(messages: list[ComponentMessage]) -> set[tuple[str, str]]:
    return {(message.component_type, message.full_name) for message in messages if message.component_type}


@dataclass(frozen=True)
class FlowComponent:
    name: str
    data: bytes

    @property
    def file_name(self) -> str:
        return f"flows/{self.name}.flow"


def deploy_package(org: Org, data: bytes, options: DeployOptions, outcome: DeployOutcome) -> DeployOutcome:
    """Validate and (unless check-only or something failed) apply a package; fills and returns *outcome*."""
    try:
        package = read_package(data)
    except PackageError as error:
        outcome.status, outcome.error_message = FAILED, str(error)
        outcome.messages.append(failure("", "package.xml", "package.xml", str(error)))
        return outcome
    flows, messages = flow_components(package)
    schema, schema_messages = plan_schema(org, package)
    # Flows are checked against the schema the deploy gives (a flow may use a field deployed with it).
    flow_messages, library = validate_flows(org, flows, schema.registry if schema is not None else org.registry)
    numbers = {flow.name.lower(): library.versions(flow.name)[-1].flow.version for flow in flows
               if library.versions(flow.name)}
    activations, activation_messages = plan_activations(org, package, numbers)
    messages += schema_messages + flow_messages + activation_messages
    failed = any(not message.success for message in messages)
    apply = not options.check_only and not (failed and options.rollback_on_error)
    if apply and schema is not None:
        try:
            schema.apply(org)
        except SchemaMigrationError as error:
            messages.append(failure("", "package.xml", "package.xml", str(error)))
            failed, apply = True, False
    if apply:
        good = {message.full_name: message for message in flow_messages if message.success}
        unchanged = {name for name, message in good.items() if not (message.created or message.changed)}
        apply_flows(org, [flow for flow in flows if flow.name in good], library, unchanged)
        for activation in activations:
            try:
                activation.apply(org)
            except RecordError as error:  # e.g. the version is an InvalidDraft
                messages.append(failure("FlowDefinition", activation.name, activation.file_name, error.message))
                failed = True
    manifest_ok = ComponentMessage("", "package.xml", "package.xml", True, changed=apply)
    outcome.messages = [manifest_ok, *messages]
    outcome.status = (FAILED if failed and not apply else SUCCEEDED_PARTIAL if failed else SUCCEEDED)
    return outcome


def flow_components(package: Package) -> tuple[list[FlowComponent], list[ComponentMessage]]:
    """The flows package.xml names (and the zip holds), and failures for what cannot be deployed here."""
    manifest = package.manifest
    files = package.folder("flows", ".flow")
    flows = [FlowComponent(name, content) for name, content in sorted(files.items())
             if manifest.includes(FLOW_TYPE, name)]
    messages: list[ComponentMessage] = []
    for name in manifest.names(FLOW_TYPE):
        if name != "*" and name not in files:
            messages.append(failure(FLOW_TYPE, name, "package.xml", f"An object '{name}' of type Flow was named in "
                                    "package.xml, but was not found in zipped directory"))
    for metadata_type, names in manifest.members.items():
        if metadata_type not in SUPPORTED_TYPES:
            for name in names:
                messages.append(failure(metadata_type, name, "package.xml", f"flowforce does not deploy "
                                        f"{metadata_type} components: only {', '.join(SUPPORTED_TYPES)}"))
    return flows, messages


def validate_flows(org: Org, flows: list[FlowComponent], schema: SchemaRegistry
                   ) -> tuple[list[ComponentMessage], FlowLibrary]:
    """Each deployed flow as the next version of its name, checked together with the org's other flows (subflows
    name each other) by the `flowforce check` validator; errors are failures placed in the file."""
    if not flows:
        return [], org.library
    existing = org.versions.sources()
    latest: dict[str, int] = {}
    for source in existing:
        key = source.api_name.lower()
        latest[key] = max(latest.get(key, 0), source.version)
    digests = {(source.api_name.lower(), source.version): source.digest for source in existing}
    with tempfile.TemporaryDirectory(prefix="flowforce-deploy-") as folder:
        deployed: list[FlowSource] = []
        for flow in flows:
            version = latest.get(flow.name.lower(), 0) + 1
            # Named as a version file (`Name-2.flow`): a file that does not parse is reported under that identity.
            path = Path(folder) / f"{flow.name}-{version}.flow"
            path.write_bytes(flow.data)
            deployed.append(FlowSource(flow.name, version, flow.data, str(path)))
        library = FlowLibrary.build([*existing, *deployed], schema=schema, actions=org.actions)
        lines = {(line.api_name.lower(), line.version): line for line in check_library(library).lines}
        messages = []
        for flow, source in zip(flows, deployed):
            line = lines.get((flow.name.lower(), source.version))
            unchanged = digests.get((flow.name.lower(), source.version - 1)) == source.digest
            if line is None or line.outcome in ("invalid", "failed"):
                messages.extend(flow_failures(flow, source, line))
            else:
                known = flow.name.lower() in latest
                warnings = [problem for problem in line.problems if not problem.is_error]
                place = read_source(source.source).position(warnings[0].element) if warnings else None
                messages.append(ComponentMessage(
                    FLOW_TYPE, flow.name, flow.file_name, True, created=not known, changed=known and not unchanged,
                    problem=str(warnings[0]) if warnings else None, problem_type="Warning" if warnings else None,
                    line=place.line if place else None, column=place.column if place else None))
    return messages, library


def flow_failures(flow: FlowComponent, source: FlowSource, line: CheckLine | None) -> list[ComponentMessage]:
    """One failure per error, at the element's line (the `<Flow>` root for flow-wide errors)."""
    if line is not None and line.outcome == "failed":
        message = line.status_text.removeprefix("failed to load: ")
        return [failure(FLOW_TYPE, flow.name, flow.file_name, message, *position_in(message))]
    positions = read_source(source.source)
    errors = [problem for problem in (line.problems if line is not None else ()) if problem.is_error]
    # An Active file's "would not activate" restates the error below it: the deploy reports the error itself.
    errors = [problem for problem in errors if not problem.message.startswith(ACTIVE_SUMMARY)] or errors
    if not errors:
        return [failure(FLOW_TYPE, flow.name, flow.file_name, "the flow cannot be saved", 1, 1)]
    result = []
    for problem in errors:
        position = positions.position(problem.element)
        result.append(failure(FLOW_TYPE, flow.name, flow.file_name, str(problem), position.line, position.column))
    return result


def apply_flows(org: Org, flows: list[FlowComponent], library: FlowLibrary, unchanged: set[str]) -> None:
    """Keep each flow as its next version (unless it is the latest one unchanged); an Active file activates it and
    retires, durably, every other version that was or claimed to be active."""
    if not flows:
        return
    with org.store.engine.begin() as conn:
        for flow in flows:
            stored = library.versions(flow.name)
            new = stored[-1]
            if flow.name in unchanged:
                new, number = stored[-2], stored[-2].flow.version  # the same XML again: an Active file still
            else:                                                  # activates it, but no new version
                number = org.versions.deploy(conn, flow.name, flow.data, f"deploy:{flow.file_name}")
            if new.flow.status == ACTIVE:
                key = flow.name.lower()
                statuses = {(key, item.flow.version): OBSOLETE for item in stored[:-1]
                            if item is not new and ACTIVE in (item.flow.status, item.effective_status)}
                org.versions.set_statuses(conn, {**statuses, (key, number): ACTIVE})
    org.refresh_flows(force=True)
    sync_flow_records(org.store, org.library)

"""Objects and fields in a deploy (CustomObject, CustomField): the schema grows, never changes under its data.

A package carries `objects/Name.object` (metadata format: the object's settings with its `<fields>` inline). The
deployed parts are kept in the database (`ff_deployed_metadata`) in the project's source layout —
`objects/Name/Name.object-meta.xml` without fields, one `objects/Name/fields/Field.field-meta.xml` per field — and
read by the same loader as the project's own files (records/sfdx_loader via `build_registry`), after them, at
every start. A deploy builds the schema it would give, refuses any field whose type would change (a component
failure at the field's line), and on success migrates the database additively (`RecordStore.extend_schema`).
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from lxml import etree

from flowforce.metadata.binding import local_name
from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.records.column_types import UtcDateTime
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import create_store_engine
from flowforce.records.tables import storage_kind
from flowforce.runtime.deploy_messages import ComponentMessage, failure, position_in
from flowforce.runtime.deploy_package import WILDCARD, Package
from flowforce.runtime.flow_records import build_registry, sync_flow_records

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

OBJECT, FIELD = "CustomObject", "CustomField"


def deployed_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "ff_deployed_metadata", metadata,
        sa.Column("path", sa.String(400), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def read_deployed(database_url: str) -> dict[str, bytes]:
    """The deployed schema files, read before the store opens (the store's schema depends on them)."""
    engine = create_store_engine(database_url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("ff_deployed_metadata"):
                return {}
            table = deployed_table(sa.MetaData())
            return {row.path: bytes(row.data) for row in conn.execute(sa.select(table.c.path, table.c.data))}
    finally:
        engine.dispose()


@contextmanager
def deployed_folder(files: dict[str, bytes]) -> Iterator[Path | None]:
    """The files laid out in a temporary folder for the loader; None when there are none."""
    if not files:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="flowforce-schema-") as folder:
        for path, data in files.items():
            target = Path(folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield Path(folder)


def registry_with(project_dir: Path, files: dict[str, bytes]) -> SchemaRegistry:
    with deployed_folder(files) as folder:
        return build_registry(project_dir, folder)


@dataclass
class ObjectComponent:
    name: str
    root: etree._Element
    with_object: bool
    fields: dict[str, etree._Element]

    @property
    def file_name(self) -> str:
        return f"objects/{self.name}.object"


@dataclass
class SchemaPlan:
    files: dict[str, bytes]
    registry: SchemaRegistry

    def apply(self, org: Org) -> None:
        """Migrate, then keep the files (a failed migration keeps nothing), then serve the new schema."""
        org.store.extend_schema(self.registry)
        table = deployed_table(sa.MetaData())
        with org.store.engine.begin() as conn:
            table.create(conn, checkfirst=True)
            now = org.store.now()
            for path, data in self.files.items():
                conn.execute(table.delete().where(table.c.path == path))
                conn.execute(table.insert().values(path=path, data=data, updated_at=now))
        org.registry = self.registry
        org.refresh_flows(force=True)
        sync_flow_records(org.store, org.library)


def stored_files(org: Org) -> dict[str, bytes]:
    table = deployed_table(sa.MetaData())
    with org.store.reading() as conn:
        if not sa.inspect(conn).has_table(table.name):
            return {}
        return {row.path: bytes(row.data) for row in conn.execute(sa.select(table.c.path, table.c.data))}


def object_components(package: Package, messages: list[ComponentMessage]) -> list[ObjectComponent]:
    manifest = package.manifest
    components = []
    for name, data in sorted(package.folder("objects", ".object").items()):
        with_object = manifest.includes(OBJECT, name)
        try:
            root = parse_xml(data)
        except UnsafeXmlError as error:
            messages.append(failure(OBJECT, name, f"objects/{name}.object", str(error), *position_in(str(error))))
            continue
        fields = {}
        for element in root:
            if local_name(element) == "fields":
                field = _text(element, "fullName")
                if field and (with_object or manifest.includes(FIELD, f"{name}.{field}")
                              or WILDCARD in manifest.names(FIELD)):
                    fields[field] = element
        if with_object or fields:
            components.append(ObjectComponent(name, root, with_object, fields))
    found = {component.name for component in components}
    for member in manifest.names(OBJECT):
        if member != WILDCARD and member not in found:
            messages.append(failure(OBJECT, member, "package.xml", f"An object '{member}' of type CustomObject was "
                                    "named in package.xml, but was not found in zipped directory"))
    return components


def source_files(component: ObjectComponent) -> dict[str, bytes]:
    """The component in source layout: the object's own file (without fields) and one file per field."""
    files = {}
    if component.with_object:
        shell = copy.deepcopy(component.root)
        for element in [child for child in shell if local_name(child) == "fields"]:
            shell.remove(element)
        files[f"objects/{component.name}/{component.name}.object-meta.xml"] = etree.tostring(
            shell, xml_declaration=True, encoding="UTF-8")
    for field, element in component.fields.items():
        files[f"objects/{component.name}/fields/{field}.field-meta.xml"] = etree.tostring(
            element, xml_declaration=True, encoding="UTF-8")
    return files


def plan_schema(org: Org, package: Package) -> tuple[SchemaPlan | None, list[ComponentMessage]]:
    """The schema the package's objects and fields would give, and a message per component."""
    messages: list[ComponentMessage] = []
    components = object_components(package, messages)
    if not components:
        return None, messages
    files: dict[str, bytes] = {}
    for component in components:
        files.update(source_files(component))
    registry = registry_with(org.settings.project_dir, {**stored_files(org), **files})
    current = org.registry
    plan_ok = True
    for component in components:
        existed = current.has(component.name)
        obj = registry.get(component.name) if registry.has(component.name) else None
        if component.with_object:
            if obj is None:
                messages.append(failure(OBJECT, component.name, component.file_name,
                                        f"flowforce cannot serve the object {component.name}"))
                plan_ok = False
            else:
                messages.append(ComponentMessage(OBJECT, component.name, component.file_name, True,
                                                 created=not existed, changed=existed))
        for field, element in component.fields.items():
            full_name = f"{component.name}.{field}"
            before = current.get(component.name).field(field) if existed and current.get(
                component.name).has_field(field) else None
            after = obj.field(field) if obj is not None and obj.has_field(field) else None
            line = element.sourceline if isinstance(element.sourceline, int) else 1
            if after is None:
                messages.append(failure(FIELD, full_name, component.file_name, f"flowforce cannot serve the field "
                                        f"{full_name} (its type is not supported)", line, 1))
                plan_ok = False
            elif before is not None and (before.type, storage_kind(before)) != (after.type, storage_kind(after)):
                was, now = ((before.type.value, after.type.value) if before.type != after.type
                            else (storage_kind(before), storage_kind(after)))
                messages.append(failure(FIELD, full_name, component.file_name, f"Cannot change the type of "
                                        f"{full_name} from {was} to {now}: flowforce only adds fields, so the data "
                                        "it holds is kept", line, 1))
                plan_ok = False
            else:
                messages.append(ComponentMessage(FIELD, full_name, component.file_name, True,
                                                 created=before is None, changed=before is not None))
    return (SchemaPlan(files, registry) if plan_ok else None), messages


def _text(element: etree._Element, name: str) -> str | None:
    found = next((child for child in element if local_name(child) == name), None)
    return (found.text or "").strip() if found is not None else None


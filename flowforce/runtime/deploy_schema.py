"""Objects and fields in a deploy (CustomObject, CustomField): planned against the current schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from flowforce.runtime.deploy_package import Package

if TYPE_CHECKING:
    from flowforce.runtime.deploy import ComponentMessage
    from flowforce.runtime.org import Org


class SchemaChange(Protocol):
    def apply(self, org: Org) -> None: ...


def plan_schema(org: Org, package: Package) -> tuple[SchemaChange | None, list[ComponentMessage]]:
    from flowforce.runtime.deploy import failure

    objects = package.folder("objects", ".object")
    messages = [failure("CustomObject", name, f"objects/{name}.object", "not yet deployable") for name in objects
                if package.manifest.includes("CustomObject", name)]
    return None, messages

"""FlowDefinition components (`flowDefinitions/Name.flowDefinition`, `<activeVersionNumber>N</activeVersionNumber>`):
older projects activate a version this way. N activates that version of the flow (0 or none: no version active),
after the package's own flows are stored, through the org's activation (`Org.set_flow_version`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowforce.metadata.binding import local_name
from flowforce.metadata.xml import UnsafeXmlError, parse_xml
from flowforce.runtime.deploy_messages import ComponentMessage, failure, position_in
from flowforce.runtime.deploy_package import Package
from flowforce.runtime.versions import ACTIVE, OBSOLETE

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

DEFINITION = "FlowDefinition"


@dataclass(frozen=True)
class Activation:
    name: str
    version: int

    @property
    def file_name(self) -> str:
        return f"flowDefinitions/{self.name}.flowDefinition"

    def apply(self, org: Org) -> None:
        if self.version:
            org.set_flow_version(self.name, self.version, status=ACTIVE)
            return
        active = org.library.active(self.name)
        if active is not None:
            org.set_flow_version(self.name, active.flow.version, status=OBSOLETE)


def plan_activations(org: Org, package: Package, deployed: dict[str, int]
                     ) -> tuple[list[Activation], list[ComponentMessage]]:
    """*deployed*: flow name (lower case) → the version number this package gives it."""
    activations, messages = [], []
    for name, data in sorted(package.folder("flowDefinitions", ".flowDefinition").items()):
        if not package.manifest.includes(DEFINITION, name):
            continue
        file_name = f"flowDefinitions/{name}.flowDefinition"
        try:
            root = parse_xml(data)
        except UnsafeXmlError as error:
            messages.append(failure(DEFINITION, name, file_name, str(error), *position_in(str(error))))
            continue
        element = next((child for child in root if local_name(child) == "activeVersionNumber"), None)
        text = (element.text or "").strip() if element is not None else "0"
        known = {item.flow.version for item in org.library.versions(name)} | (
            {deployed[name.lower()]} if name.lower() in deployed else set())
        if not text.isdigit() or (int(text) and int(text) not in known):
            line = element.sourceline if element is not None and isinstance(element.sourceline, int) else 1
            messages.append(failure(DEFINITION, name, file_name, f"The flow {name} has no version {text} to "
                                    "activate", line, 1))
            continue
        activations.append(Activation(name, int(text)))
        messages.append(ComponentMessage(DEFINITION, name, file_name, True, changed=True))
    return activations, messages

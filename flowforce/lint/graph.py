"""The flow as a directed graph, and the questions rules ask of it.

The scanner walks connectors from a loop until it meets the loop's "no more values" target, which misses
work behind a decision inside the loop and counts work on branches that leave it (LFS#305). Here a loop's
body is what it is in a control-flow graph: every element on a path from the loop's "next value" target
back to the loop (a back edge), whichever connectors — outcomes, defaults, fault paths, go-tos — the path
takes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from flowforce.metadata import model

FAULT = "fault_connector"


@dataclass(frozen=True, slots=True)
class Edge:
    role: str  # connector, fault_connector, next_value_connector, rule <name>, …
    target: str


class FlowGraph:
    def __init__(self, flow: model.Flow) -> None:
        self.flow = flow
        self.edges: dict[str, tuple[Edge, ...]] = {
            name: tuple(
                Edge(role, connector.target_reference)
                for role, connector in node.outgoing()
                if connector.target_reference in flow.nodes
            )
            for name, node in flow.nodes.items()
        }

    # ------------------------------------------------------------------------------------------ entries

    @cached_property
    def entries(self) -> tuple[str, ...]:
        """Where interviews begin: the start connector (or legacy startElementReference) and scheduled paths."""
        flow = self.flow
        targets = [flow.start_target] if flow.start_target else []
        if flow.start is not None:
            targets += [path.connector.target_reference for path in flow.start.scheduled_paths if path.connector]
        return tuple(dict.fromkeys(target for target in targets if target in flow.nodes))

    @cached_property
    def reachable(self) -> frozenset[str]:
        return frozenset(self.walk(self.entries))

    @cached_property
    def reachable_without_faults(self) -> frozenset[str]:
        return frozenset(self.walk(self.entries, follow_faults=False))

    @cached_property
    def on_fault_paths(self) -> frozenset[str]:
        """Elements an interview only reaches after a fault: Flow Builder offers no fault path on them."""
        return self.reachable - self.reachable_without_faults

    def walk(
        self, starts: Iterable[str], *, follow_faults: bool = True, stop: Collection[str] = ()
    ) -> Iterator[str]:
        """Every element reachable from *starts* (depth first, each once), never entering one in *stop*."""
        seen: set[str] = set()
        stack = [name for name in starts if name not in stop]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            yield name
            for edge in self.edges.get(name, ()):
                if edge.target not in stop and (follow_faults or edge.role != FAULT):
                    stack.append(edge.target)

    @cached_property
    def predecessors(self) -> dict[str, tuple[str, ...]]:
        incoming: dict[str, list[str]] = {name: [] for name in self.edges}
        for name, edges in self.edges.items():
            for edge in edges:
                incoming[edge.target].append(name)
        return {name: tuple(sources) for name, sources in incoming.items()}

    def reaching(self, target: str) -> set[str]:
        """Every element from which some path leads to *target*."""
        seen: set[str] = set()
        stack = list(self.predecessors.get(target, ()))
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(self.predecessors.get(name, ()))
        return seen

    # ------------------------------------------------------------------------------------------ loops

    @cached_property
    def loop_bodies(self) -> dict[str, frozenset[str]]:
        """Loop name → the elements that run once per item: on a path from "next value" back to the loop."""
        bodies: dict[str, frozenset[str]] = {}
        for name, node in self.flow.nodes.items():
            if not isinstance(node, model.Loop):
                continue
            first = node.next_value_connector.target_reference if node.next_value_connector else None
            if first is None or first not in self.flow.nodes:
                bodies[name] = frozenset()
                continue
            forward = set(self.walk([first], stop={name}))
            bodies[name] = frozenset(forward & self.reaching(name))
        return bodies

    def loops_around(self, element: str) -> list[str]:
        """The loops whose body holds *element*, outermost first (a bigger body encloses a smaller one)."""
        loops = [loop for loop, body in self.loop_bodies.items() if element in body]
        return sorted(loops, key=lambda loop: -len(self.loop_bodies[loop]))

    def nesting_depth(self, element: str) -> int:
        return len(self.loops_around(element))

"""A flow version as the graph the console draws: nodes by element kind, labelled edges, the path an interview took.

The layout is done in the browser by dagre (static/dagre.min.js); this module only says what is connected to
what, from the flow model (`Node.outgoing` gives every connector with its role), so the drawing and the engine
read the same XML the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from flowforce.metadata.model import Decision, Flow, FlowValue, Node, Rule, ValueKind

START = "$Start"
FAULT_ROLE = "fault_connector"


def _kind(node: Node) -> str:
    """The element kind as Flow Builder names it in XML (`decisions`, `recordLookups`, …)."""
    return node.TAG or type(node).__name__


def _edge_label(node: Node, role: str) -> str:
    """What the connector is called on the canvas: the outcome's label, the default outcome, Fault, …"""
    if role.startswith("rule ") and isinstance(node, Decision):
        name = role[len("rule "):]
        rule = next((rule for rule in node.rules if rule.name == name), None)
        return (rule.label or rule.name) if rule is not None else name
    if role.startswith("wait event "):
        return role[len("wait event "):]
    return {
        "default_connector": (node.default_connector_label or "Default Outcome") if isinstance(node, Decision)
        else "Default",
        FAULT_ROLE: "Fault",
        "next_value_connector": "For Each",
        "no_more_values_connector": "After Last",
    }.get(role, "")


def _outcome_of(role: str, node: Node) -> str | None:
    """The trace's `outcome` for an edge of a decision: the rule's name, or the default outcome's label."""
    if role.startswith("rule "):
        return role[len("rule "):]
    if role == "default_connector" and isinstance(node, Decision):
        return node.default_connector_label or "Default Outcome"
    return None


def flow_graph(flow: Flow) -> dict[str, Any]:
    """`{"nodes": [...], "edges": [...]}`: a start node, every element, every connector (fault ones marked)."""
    nodes: list[dict[str, Any]] = [{"id": START, "label": "Start", "kind": "start",
                                    "detail": flow.trigger_type or flow.process_type}]
    edges: list[dict[str, Any]] = []
    if flow.start_target in flow.nodes:
        edges.append({"source": START, "target": flow.start_target, "label": "", "fault": False, "outcome": None})
    if flow.start is not None:
        for path in flow.start.scheduled_paths:
            if path.connector is not None and path.connector.target_reference in flow.nodes:
                edges.append({"source": START, "target": path.connector.target_reference,
                              "label": path.label or path.name or "Scheduled Path", "fault": False, "outcome": None})
    for name, node in flow.nodes.items():
        nodes.append({"id": name, "label": node.label or name, "kind": _kind(node),
                      "detail": node.ELEMENT_TYPE})
        for role, connector in node.outgoing():
            if connector.target_reference in flow.nodes:
                edges.append({"source": name, "target": connector.target_reference, "label": _edge_label(node, role),
                              "fault": role == FAULT_ROLE, "outcome": _outcome_of(role, node)})
    return {"nodes": nodes, "edges": edges}


def taken_path(graph: Mapping[str, Any], trace: Sequence[Mapping[str, Any]] | None,
               current: str | None = None) -> dict[str, Any]:
    """The elements an interview visited (in order) and the edges between consecutive ones — for a decision,
    the edge of the outcome that won; for a faulted element, its fault connector. Without a trace, the element
    it stopped on (FlowInterview.CurrentElement) is all that is known."""
    visited = [str(entry.get("element")) for entry in trace or [] if entry.get("element")]
    if not visited and current:
        visited = [current]
    edges: list[int] = []
    steps = [(START, None, None), *((str(e.get("element")), e.get("outcome"), e.get("fault")) for e in trace or [])]
    for (source, outcome, fault), (target, _, _) in pairwise(steps):
        candidates = [index for index, edge in enumerate(graph["edges"])
                      if edge["source"] == source and edge["target"] == target]
        preferred = [index for index in candidates if (fault and graph["edges"][index]["fault"])
                     or (outcome and graph["edges"][index]["outcome"] == outcome)]
        chosen = preferred or candidates
        if chosen:
            edges.append(chosen[0])
    faulted = [str(entry.get("element")) for entry in trace or [] if entry.get("fault")]
    return {"nodes": visited, "edges": edges, "faulted": faulted}


def _value_text(value: FlowValue | None) -> str:
    if value is None or value.kind is ValueKind.NULL:
        return "null"
    if value.kind is ValueKind.STRING:
        return repr(value.text or "")
    return str(value.text if value.text is not None else value.literal)


def rule_text(rule: Rule) -> str:
    """A decision outcome's conditions as one line (`Amount GreaterThan 100 and …`), the "why" beside a trace."""
    if rule.formula_expression:
        return rule.formula_expression
    parts = [f"{c.left_value_reference} {c.operator} {_value_text(c.right_value)}" for c in rule.conditions]
    logic = (rule.condition_logic or "and").strip()
    if logic.lower() in ("and", "or"):
        return f" {logic.lower()} ".join(parts)
    return f"{logic} where " + "; ".join(f"{index} = {part}" for index, part in enumerate(parts, 1))


def decision_reasons(flow: Flow) -> dict[str, dict[str, str]]:
    """Decision element → outcome name → the conditions that outcome stands for."""
    return {name: {rule.name: rule_text(rule) for rule in node.rules}
            for name, node in flow.nodes.items() if isinstance(node, Decision)}

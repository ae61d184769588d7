"""The diagram's graph from real flows: every element drawn once, every connector an edge between drawn elements,
decision outcomes labelled; and the path an interview took, from its trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowforce.console.diagram import START, flow_graph, taken_path
from flowforce.metadata.parser import parse_flow_file

from .conftest import CORPUS, HERE

DEMO = HERE / "project" / "force-app" / "main" / "default" / "flows" / "Console_Demo.flow-meta.xml"


def corpus_flows() -> list[Path]:
    return sorted(CORPUS.rglob("*.flow-meta.xml")) if CORPUS.exists() else []


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared flow corpus (../shared/flow-corpus) is not present")
@pytest.mark.parametrize("path", corpus_flows(), ids=lambda path: path.name)
def test_every_corpus_flow_becomes_a_graph_of_its_elements(path: Path):
    flow = parse_flow_file(path)
    graph = flow_graph(flow)
    ids = [node["id"] for node in graph["nodes"]]
    assert ids == [START, *flow.nodes]
    assert all(edge["source"] in ids and edge["target"] in ids for edge in graph["edges"])
    connectors = sum(1 for node in flow.nodes.values() for _, c in node.outgoing() if c.target_reference in flow.nodes)
    assert len(graph["edges"]) - sum(1 for edge in graph["edges"] if edge["source"] == START) == connectors


def test_decision_outcomes_are_labelled_and_the_taken_path_follows_the_outcome():
    graph = flow_graph(parse_flow_file(DEMO))
    labels = {(edge["source"], edge["target"]): edge["label"] for edge in graph["edges"]}
    assert labels == {(START, "Check_Amount"): "", ("Check_Amount", "Create_Account"): "Too big",
                      ("Check_Amount", "Set_Verdict"): "Small", ("Create_Account", "Set_Verdict"): ""}
    trace = [{"element": "Check_Amount", "outcome": "Small"}, {"element": "Set_Verdict", "outcome": None}]
    path = taken_path(graph, trace)
    assert path["nodes"] == ["Check_Amount", "Set_Verdict"]
    assert [(graph["edges"][i]["source"], graph["edges"][i]["target"]) for i in path["edges"]] == [
        (START, "Check_Amount"), ("Check_Amount", "Set_Verdict")]


def test_without_a_trace_the_current_element_is_the_path():
    graph = flow_graph(parse_flow_file(DEMO))
    assert taken_path(graph, None, "Create_Account") == {"nodes": ["Create_Account"], "edges": [], "faulted": []}

"""Loop element: order, both current-item styles, copy semantics, nesting, null collections (§5.3)."""

from __future__ import annotations

from decimal import Decimal

from .flowkit import LOC, assignment, connector, flow_xml, outputs_of, path_of, run_one, variable


def loop(
    name: str,
    collection: str,
    body: str | None,
    done: str | None,
    *,
    order: str | None = None,
    item_var: str | None = None,
) -> str:
    order_xml = f"<iterationOrder>{order}</iterationOrder>" if order else ""
    item_xml = f"<assignNextValueToReference>{item_var}</assignNextValueToReference>" if item_var else ""
    return (
        f"<loops><name>{name}</name><label>{name}</label>{LOC}"
        f"<collectionReference>{collection}</collectionReference>{order_xml}{item_xml}"
        f"{connector(body, 'nextValueConnector')}{connector(done, 'noMoreValuesConnector')}</loops>"
    )


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def joiner(order: str | None = None, *, item_var: str | None = None) -> str:
    """Loop over `words`, appending each current item to `joined`."""
    current = item_var or "Each_Word"
    return flow_xml(
        variable("words", collection=True, input=True)
        + variable("joined", output=True)
        + (variable(item_var) if item_var else "")
        + loop("Each_Word", "words", "Append", None, order=order, item_var=item_var)
        + assignment("Append", [("joined", "Add", ref(current))], next_="Each_Word"),
        start="Each_Word",
    )


def test_ascending_is_the_default_order() -> None:
    assert outputs_of(joiner(), {"words": ["a", "b", "c"]}) == {"joined": "abc"}


def test_explicit_ascending_order() -> None:
    assert outputs_of(joiner("Asc"), {"words": ["a", "b", "c"]}) == {"joined": "abc"}


def test_descending_order() -> None:
    assert outputs_of(joiner("Desc"), {"words": ["a", "b", "c"]}) == {"joined": "cba"}


def test_loop_name_is_the_current_item_resource() -> None:
    assert outputs_of(joiner(), {"words": ["x", "y"]}) == {"joined": "xy"}


def test_assign_next_value_to_reference_style() -> None:
    assert outputs_of(joiner(item_var="word"), {"words": ["x", "y"]}) == {"joined": "xy"}


def test_null_collection_iterates_zero_times() -> None:
    result = run_one(joiner(), {"words": None})
    assert result.outputs == {"joined": None}
    assert result.trace is not None
    assert [(entry.element, entry.outcome) for entry in result.trace] == [("Each_Word", "no more items")]


def test_empty_collection_iterates_zero_times() -> None:
    assert outputs_of(joiner(), {"words": []}) == {"joined": None}


def test_trace_has_one_loop_entry_per_item_plus_the_end() -> None:
    result = run_one(joiner(), {"words": ["a", "b"]})
    assert path_of(result) == ["Each_Word", "Append", "Each_Word", "Append", "Each_Word"]
    assert result.trace is not None
    assert [e.outcome for e in result.trace if e.element == "Each_Word"] == [
        "next item",
        "next item",
        "no more items",
    ]


def test_done_connector_runs_after_the_last_item() -> None:
    xml = flow_xml(
        variable("nums", "Number", collection=True, input=True)
        + variable("total", "Number", output=True)
        + variable("count", "Number", output=True)
        + loop("Each", "nums", "Sum", "Count")
        + assignment("Sum", [("total", "Add", ref("Each"))], next_="Each")
        + assignment("Count", [("count", "AssignCount", ref("nums"))]),
        start="Each",
    )
    assert outputs_of(xml, {"nums": [1, 2, "3.5"]}) == {"total": Decimal("6.5"), "count": Decimal(3)}


def records_flow() -> str:
    """Loops over accounts, renames the loop item, collects it into `changed`."""
    return flow_xml(
        variable("accts", "SObject", collection=True, input=True, output=True, object_type="Account")
        + variable("changed", "SObject", collection=True, output=True, object_type="Account")
        + loop("Each_Account", "accts", "Rename", None)
        + assignment(
            "Rename",
            [
                ("Each_Account.Name", "Add", "<stringValue> (renamed)</stringValue>"),
                ("changed", "Add", ref("Each_Account")),
            ],
            next_="Each_Account",
        ),
        start="Each_Account",
    )


def test_changing_the_loop_item_does_not_change_the_source_collection() -> None:
    out = outputs_of(records_flow(), {"accts": [{"Name": "A"}, {"Name": "B"}]})
    assert [r["Name"] for r in out["accts"]] == ["A", "B"]


def test_changed_items_are_kept_by_collecting_them() -> None:
    out = outputs_of(records_flow(), {"accts": [{"Name": "A"}, {"Name": "B"}]})
    assert [r["Name"] for r in out["changed"]] == ["A (renamed)", "B (renamed)"]


def test_nested_inner_loop_restarts_for_each_outer_item() -> None:
    xml = flow_xml(
        variable("rows", collection=True, input=True)
        + variable("cols", collection=True, input=True)
        + variable("cells", collection=True, output=True)
        + variable("cell")
        + loop("Each_Row", "rows", "Each_Col", None)
        + loop("Each_Col", "cols", "Make_Cell", "Each_Row")
        + assignment(
            "Make_Cell",
            [
                ("cell", "Assign", ref("Each_Row")),
                ("cell", "Add", ref("Each_Col")),
                ("cells", "Add", ref("cell")),
            ],
            next_="Each_Col",
        ),
        start="Each_Row",
    )
    assert outputs_of(xml, {"rows": ["A", "B"], "cols": ["1", "2", "3"]}) == {
        "cells": ["A1", "A2", "A3", "B1", "B2", "B3"]
    }


def test_loop_iterates_a_snapshot_of_the_collection() -> None:
    xml = flow_xml(
        variable("words", collection=True, input=True, output=True)
        + variable("seen", "Number", output=True)
        + loop("Each", "words", "Grow", None)
        + assignment(
            "Grow",
            [
                ("words", "Add", "<stringValue>more</stringValue>"),
                ("seen", "Add", "<numberValue>1</numberValue>"),
            ],
            next_="Each",
        ),
        start="Each",
    )
    out = outputs_of(xml, {"words": ["a", "b"]})
    assert out["seen"] == Decimal(2)
    assert out["words"] == ["a", "b", "more", "more"]


def test_loop_reentered_after_finishing_starts_again() -> None:
    xml = flow_xml(
        variable("words", collection=True, input=True)
        + variable("joined", output=True)
        + variable("passes", "Number", output=True)
        + loop("Each", "words", "Append", "Next_Pass")
        + assignment("Append", [("joined", "Add", ref("Each"))], next_="Each")
        + assignment("Next_Pass", [("passes", "Add", "<numberValue>1</numberValue>")], next_="Again")
        + "<decisions><name>Again</name><label>Again</label>"
        + LOC
        + "<rules><name>Once_More</name><conditionLogic>and</conditionLogic><conditions>"
        "<leftValueReference>passes</leftValueReference><operator>LessThan</operator>"
        "<rightValue><numberValue>2</numberValue></rightValue></conditions>"
        + connector("Each")
        + "<label>Once more</label></rules></decisions>",
        start="Each",
    )
    assert outputs_of(xml, {"words": ["a", "b"]}) == {"joined": "abab", "passes": Decimal(2)}

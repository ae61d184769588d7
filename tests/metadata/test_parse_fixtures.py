"""The hand-made every-element flow parses in any child order, with comments, into typed fields."""

from __future__ import annotations

from decimal import Decimal

from flowforce.metadata import model

from .metadata_helpers import load_fixture


def test_every_element_kind_is_parsed_with_its_fields() -> None:
    flow = load_fixture("Every_Element")
    kinds = {type(node).__name__ for node in flow.nodes.values()}
    assert kinds == {
        "RecordLookup",
        "CollectionProcessor",
        "Loop",
        "Decision",
        "Assignment",
        "RecordCreate",
        "RecordUpdate",
        "RecordDelete",
        "ActionCall",
        "Subflow",
        "Wait",
    }
    lookup = flow.nodes["Get_Accounts"]
    assert isinstance(lookup, model.RecordLookup)
    assert (lookup.object, lookup.filter_logic, lookup.sort_field, lookup.store_output_automatically) == (
        "Account",
        "1 AND (2 OR NOT 3)",
        "Name",
        True,
    )
    assert [f.operator for f in lookup.filters] == ["In", "GreaterThan", "IsNull"]
    assert lookup.fault_connector == model.Connector("Log_Fault")
    loop = flow.nodes["Loop_Accounts"]
    assert isinstance(loop, model.Loop) and loop.iteration_order == "Desc"
    decision = flow.nodes["Is_Big"]
    assert isinstance(decision, model.Decision)
    assert [rule.condition_logic for rule in decision.rules] == ["(1 OR 2) AND 3"]
    wait = flow.nodes["Pause"]
    assert isinstance(wait, model.Wait)
    assert [p.name for p in wait.wait_events[0].input_parameters] == ["AlarmTime", "TimeOffset"]
    assert flow.variables["total"].value == model.FlowValue(model.ValueKind.NUMBER, "0.0", Decimal("0.0"))
    assert flow.formulas["DoubleTotal"].scale == 2
    assert flow.start_target == "Get_Accounts"


def test_screen_fields_are_parsed_including_nested_ones() -> None:
    screen = load_fixture("Screen_And_Apex").nodes["Show"]
    assert isinstance(screen, model.Screen)
    assert [field.name for field in screen.all_fields()] == ["Section", "Comment"]

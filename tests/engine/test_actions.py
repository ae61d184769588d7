"""Action calls and fault handling: the bulk contract, outputs, fault paths, unhandled faults (§5.9, §7.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from flowforce.actions.registry import ActionFailure, ActionParameter

from .flowkit import (
    ERROR,
    FINISHED,
    RecordingAction,
    action_call,
    assignment,
    condition,
    decision,
    flow_xml,
    outputs_of,
    path_of,
    registry_with,
    rule,
    run_flow,
    run_one,
    variable,
)


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def text(value: str) -> str:
    return f"<stringValue>{value}</stringValue>"


def greeter() -> RecordingAction:
    return RecordingAction("Greeter", handler=lambda request: {"greeting": f"Hello {request['name']}"})


def greet_flow(*, fault: str | None = None, extra: str = "") -> str:
    return flow_xml(
        variable("name", input=True)
        + variable("greeting", output=True)
        + variable("error", output=True)
        + extra
        + action_call("Greet", "Greeter", {"name": ref("name")}, outputs={"greeting": "greeting"}, fault=fault),
        start="Greet",
    )


HANDLE_FAULT = assignment("Handle", [("error", "Assign", ref("$Flow.FaultMessage"))])


# ------------------------------------------------------------------------------------------ outputs


def test_action_output_is_assigned_to_a_variable() -> None:
    out = outputs_of(greet_flow(), {"name": "Ada"}, actions=registry_with(greeter()))
    assert out == {"greeting": "Hello Ada", "error": None}


def test_action_receives_the_evaluated_inputs() -> None:
    action = greeter()
    outputs_of(greet_flow(), {"name": "Ada"}, actions=registry_with(action))
    assert action.calls == [[{"name": "Ada"}]]


def test_store_output_automatically_exposes_outputs_under_the_element_name() -> None:
    action = RecordingAction("Totaler", handler=lambda request: {"total": Decimal(7), "currency": "EUR"})
    xml = flow_xml(
        variable("total", "Number", output=True)
        + variable("label", output=True)
        + action_call("Sum_Up", "Totaler", store_automatically=True, next_="Copy")
        + assignment(
            "Copy",
            [
                ("total", "Assign", ref("Sum_Up.total")),
                ("label", "Assign", text("{!Sum_Up.total} {!Sum_Up.currency}")),
            ],
        ),
        start="Sum_Up",
    )
    assert outputs_of(xml, actions=registry_with(action)) == {"total": Decimal(7), "label": "7 EUR"}


def test_action_trace_entry_names_the_action_and_changes() -> None:
    result = run_one(greet_flow(), {"name": "Ada"}, actions=registry_with(greeter()))
    assert result.trace is not None
    entry = result.trace[0]
    assert (entry.element, entry.element_type, entry.detail) == ("Greet", "FlowActionCall", "apex:Greeter")
    assert entry.changes == {"greeting": "Hello Ada"}


def test_action_type_and_name_are_matched_case_insensitively() -> None:
    action = RecordingAction("GREETER", handler=lambda request: {"greeting": "hi"}, action_type="APEX")
    assert outputs_of(greet_flow(), {"name": "x"}, actions=registry_with(action))["greeting"] == "hi"


def test_string_input_with_merge_fields_is_resolved_for_the_action() -> None:
    action = RecordingAction("Mailer")
    xml = flow_xml(
        variable("name", input=True) + action_call("Send", "Mailer", {"subject": text("Hi {!name}")}),
        start="Send",
    )
    run_one(xml, {"name": "Bo"}, actions=registry_with(action))
    assert action.calls == [[{"subject": "Hi Bo"}]]


# ------------------------------------------------------------------------------------------ bulk contract


def test_one_invoke_call_for_all_interviews_at_the_element() -> None:
    action = greeter()
    batch = run_flow(greet_flow(), [{"name": n} for n in ("a", "b", "c")], actions=registry_with(action))
    assert len(action.calls) == 1
    assert [request["name"] for request in action.calls[0]] == ["a", "b", "c"]
    assert [r.outputs["greeting"] for r in batch.results if r.outputs] == ["Hello a", "Hello b", "Hello c"]


def test_result_count_mismatch_faults_every_interview_of_the_call() -> None:
    action = RecordingAction("Greeter", batch_handler=lambda requests: [{"greeting": "only one"}])
    batch = run_flow(greet_flow(), [{"name": "a"}, {"name": "b"}], actions=registry_with(action))
    assert [r.status for r in batch.results] == [ERROR, ERROR]
    assert batch.results[0].failure is not None
    assert batch.results[0].failure.message == (
        "The number of results does not match the number of interviews that were executed in a single bulk "
        "execution request."
    )


def test_one_failed_request_only_fails_its_interview() -> None:
    def handler(request: Mapping[str, Any]) -> Any:
        return ActionFailure("no b allowed") if request["name"] == "b" else {"greeting": "ok"}

    action = RecordingAction("Greeter", handler=handler)
    batch = run_flow(greet_flow(), [{"name": "a"}, {"name": "b"}, {"name": "c"}], actions=registry_with(action))
    assert [r.status for r in batch.results] == [FINISHED, ERROR, FINISHED]
    assert batch.results[1].failure is not None
    assert batch.results[1].failure.message == "no b allowed"


# ------------------------------------------------------------------------------------------ faults


def test_unregistered_action_faults_naming_it() -> None:
    result = run_one(greet_flow(), {"name": "x"})
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type) == ("Greet", "FlowActionCall")
    assert result.failure.message == (
        "The Apex action Greeter isn't available in flowforce: write a Python invocable action named Greeter "
        "(@invocable_action in flowforce_actions/*.py) or stub it under [actions.apex.Greeter] in flowforce.toml."
    )


def test_missing_required_input_faults_with_salesforce_message() -> None:
    action = RecordingAction("Greeter", inputs=(ActionParameter("name", required=True),))
    result = run_one(greet_flow(), {}, actions=registry_with(action))
    assert result.failure is not None
    assert result.failure.message == "Missing required input parameter: name"
    assert action.calls == []


def test_required_input_present_calls_the_action() -> None:
    action = RecordingAction(
        "Greeter", handler=lambda r: {"greeting": "ok"}, inputs=(ActionParameter("name", required=True),)
    )
    assert outputs_of(greet_flow(), {"name": "x"}, actions=registry_with(action))["greeting"] == "ok"


def test_action_raising_an_exception_faults_the_element() -> None:
    def explode(requests: Sequence[Mapping[str, Any]]) -> list[Any]:
        raise RuntimeError("database unreachable")

    action = RecordingAction("Greeter", batch_handler=explode)
    result = run_one(greet_flow(), {"name": "x"}, actions=registry_with(action))
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message == "An action error occurred: RuntimeError: database unreachable"


def test_fault_connector_is_followed_and_fault_message_set() -> None:
    action = RecordingAction("Greeter", handler=lambda request: ActionFailure("mail server down"))
    result = run_one(greet_flow(fault="Handle", extra=HANDLE_FAULT), {"name": "x"}, actions=registry_with(action))
    assert result.status is FINISHED
    assert result.outputs == {"greeting": None, "error": "mail server down"}
    assert path_of(result) == ["Greet", "Handle"]


def test_fault_path_trace_records_the_fault() -> None:
    action = RecordingAction("Greeter", handler=lambda request: ActionFailure("mail server down"))
    result = run_one(greet_flow(fault="Handle", extra=HANDLE_FAULT), {"name": "x"}, actions=registry_with(action))
    assert result.trace is not None
    assert result.trace[0].fault == "mail server down"
    assert result.trace[0].detail == "fault path to Handle"


def test_unregistered_action_with_a_fault_path_continues() -> None:
    result = run_one(greet_flow(fault="Handle", extra=HANDLE_FAULT), {"name": "x"})
    assert result.status is FINISHED
    assert result.outputs is not None
    assert "The Apex action Greeter isn't available in flowforce" in result.outputs["error"]


def test_fault_message_is_null_before_any_fault() -> None:
    xml = flow_xml(variable("error", output=True) + HANDLE_FAULT, start="Handle")
    assert outputs_of(xml) == {"error": None}


def test_unhandled_fault_fails_with_element_and_message() -> None:
    action = RecordingAction("Greeter", handler=lambda request: ActionFailure("quota exceeded"))
    result = run_one(greet_flow(), {"name": "x"}, actions=registry_with(action))
    assert result.status is ERROR
    assert result.outputs is None
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type, result.failure.message) == (
        "Greet",
        "FlowActionCall",
        "quota exceeded",
    )


def test_fault_in_one_interview_does_not_affect_the_others() -> None:
    def handler(request: Mapping[str, Any]) -> Any:
        return ActionFailure("bad") if request["name"] == "bad" else {"greeting": request["name"].upper()}

    action = RecordingAction("Greeter", handler=handler)
    batch = run_flow(greet_flow(), [{"name": "ok"}, {"name": "bad"}, {"name": "fine"}], actions=registry_with(action))
    assert [r.status for r in batch.results] == [FINISHED, ERROR, FINISHED]
    assert batch.results[0].outputs == {"greeting": "OK", "error": None}
    assert batch.results[2].outputs == {"greeting": "FINE", "error": None}
    assert not batch.all_succeeded


def test_fault_path_in_one_interview_and_normal_path_in_another() -> None:
    def handler(request: Mapping[str, Any]) -> Any:
        return ActionFailure("nope") if request["name"] == "bad" else {"greeting": "yes"}

    action = RecordingAction("Greeter", handler=handler)
    batch = run_flow(
        greet_flow(fault="Handle", extra=HANDLE_FAULT),
        [{"name": "bad"}, {"name": "good"}],
        actions=registry_with(action),
    )
    assert [r.outputs for r in batch.results] == [
        {"greeting": None, "error": "nope"},
        {"greeting": "yes", "error": None},
    ]


def test_apex_plugin_call_runs_as_an_apex_action() -> None:
    action = RecordingAction("LegacyPlugin", handler=lambda request: {"out": "plugged"})
    xml = flow_xml(
        variable("result", output=True)
        + "<apexPluginCalls><name>Plugin</name><label>Plugin</label><locationX>0</locationX><locationY>0</locationY>"
        "<apexClass>LegacyPlugin</apexClass><outputParameters><assignToReference>result</assignToReference>"
        "<name>out</name></outputParameters></apexPluginCalls>",
        start="Plugin",
    )
    assert outputs_of(xml, actions=registry_with(action)) == {"result": "plugged"}


# ------------------------------------------------------------------------------------------ lock-step bulk


def branching_flow() -> str:
    """Interviews branch three ways on `n`, each branch a different number of steps, then meet at one action."""
    return flow_xml(
        variable("n", "Number", input=True)
        + variable("path", output=True)
        + variable("reply", output=True)
        + decision(
            "Route",
            [
                rule("Small", [condition("n", "LessThan", "<numberValue>10</numberValue>")], "Mark_Small"),
                rule("Medium", [condition("n", "LessThan", "<numberValue>30</numberValue>")], "Mark_Medium"),
            ],
            default="Mark_Large",
        )
        + assignment("Mark_Small", [("path", "Assign", text("small"))], next_="Notify")
        + assignment("Mark_Medium", [("path", "Assign", text("medium"))], next_="Extra_Step")
        + assignment("Extra_Step", [("path", "Add", text("+"))], next_="Notify")
        + assignment("Mark_Large", [("path", "Assign", text("large"))], next_="Notify")
        + action_call("Notify", "Notifier", {"path": ref("path")}, outputs={"reply": "reply"}),
        start="Route",
    )


def test_interviews_on_different_branches_meet_at_the_action_in_one_call() -> None:
    action = RecordingAction("Notifier", handler=lambda request: {"reply": f"got {request['path']}"})
    batch = run_flow(branching_flow(), [{"n": n} for n in range(50)], actions=registry_with(action))
    assert len(action.calls) == 1
    assert len(action.calls[0]) == 50
    assert batch.all_succeeded
    assert batch.results[5].outputs == {"path": "small", "reply": "got small"}
    assert batch.results[15].outputs == {"path": "medium+", "reply": "got medium+"}
    assert batch.results[45].outputs == {"path": "large", "reply": "got large"}


def test_requests_keep_the_interview_order() -> None:
    action = RecordingAction("Notifier", handler=lambda request: {"reply": "x"})
    run_flow(branching_flow(), [{"n": n} for n in (40, 1, 20)], actions=registry_with(action))
    assert [request["path"] for request in action.calls[0]] == ["large", "small", "medium+"]


def test_action_in_a_loop_is_called_once_per_iteration_for_all_interviews() -> None:
    action = RecordingAction("Echo", handler=lambda request: {})
    xml = flow_xml(
        variable("items", collection=True, input=True)
        + "<loops><name>Each</name><label>Each</label><locationX>0</locationX><locationY>0</locationY>"
        "<collectionReference>items</collectionReference>"
        "<nextValueConnector><targetReference>Call</targetReference></nextValueConnector></loops>"
        + action_call("Call", "Echo", {"item": ref("Each")}, next_="Each"),
        start="Each",
    )
    batch = run_flow(xml, [{"items": ["a", "b"]}, {"items": ["c", "d"]}], actions=registry_with(action))
    assert batch.all_succeeded
    assert [[r["item"] for r in call] for call in action.calls] == [["a", "c"], ["b", "d"]]


def test_interviews_reaching_the_action_at_different_depths_form_separate_groups() -> None:
    action = RecordingAction("Echo", handler=lambda request: {})
    xml = flow_xml(
        variable("items", collection=True, input=True)
        + "<loops><name>Each</name><label>Each</label><locationX>0</locationX><locationY>0</locationY>"
        "<collectionReference>items</collectionReference>"
        "<nextValueConnector><targetReference>Call</targetReference></nextValueConnector></loops>"
        + action_call("Call", "Echo", {"item": ref("Each")}, next_="Each"),
        start="Each",
    )
    run_flow(xml, [{"items": ["a", "b", "c"]}, {"items": ["x"]}], actions=registry_with(action))
    assert [len(call) for call in action.calls] == [2, 1, 1]

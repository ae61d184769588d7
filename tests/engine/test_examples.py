"""The bundled SFDX example flows (examples/force-app), run through `FlowEngine` as a user would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flowforce.engine.batch import InterviewResult
from flowforce.engine.engine import FlowEngine
from flowforce.metadata.parser import parse_flow_file

from .flowkit import EXAMPLES_DIR, FINISHED, context, engine_for

RECORD_FREE = (
    "Order_Confirmation_Message",
    "Escalation_Rules",
    "Loyalty_Points",
    "Format_Phone_Number",
    "Customer_Welcome",
)


@pytest.fixture(scope="module")
def engine() -> FlowEngine:
    return engine_for(*(parse_flow_file(path) for path in sorted(EXAMPLES_DIR.glob("*.flow-meta.xml"))))


def run(engine: FlowEngine, name: str, inputs: dict[str, Any]) -> InterviewResult:
    result = engine.run(name, [inputs], context()).results[0]
    assert result.status is FINISHED, result.failure
    return result


@pytest.mark.parametrize("name", RECORD_FREE)
def test_example_is_active_and_runs_headless(engine: FlowEngine, name: str) -> None:
    version = engine.catalog.runnable_version(name)
    assert version is not None
    flow = version.flow
    assert flow.status == "Active"
    assert flow.runnable_headless


# ------------------------------------------------------------------------------------------ Order_Confirmation


def test_order_confirmation_by_sms(engine: FlowEngine) -> None:
    out = run(
        engine, "Order_Confirmation_Message", {"OrderNumber": "A-1", "TelephoneNumber": "555", "OrderTotal": 12.5}
    ).outputs
    assert out == {"Channel": "SMS", "MessageText": "Thanks! Order A-1 is confirmed. Total: $12.50."}


def test_order_confirmation_by_email_without_total(engine: FlowEngine) -> None:
    out = run(engine, "Order_Confirmation_Message", {"OrderNumber": "B-2", "EmailAddress": "a@b.c"}).outputs
    assert out == {"Channel": "Email", "MessageText": "Thanks! Order B-2 is confirmed. A receipt was sent to a@b.c."}


# ------------------------------------------------------------------------------------------ Escalation_Rules


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"CommentCount": 12}, {"ShouldEscalate": True, "Priority": "High"}),
        ({"CommentCount": 12, "BestCommentSelected": True}, {"ShouldEscalate": False, "Priority": "Low"}),
        ({"CommentCount": 25, "BestCommentSelected": True}, {"ShouldEscalate": False, "Priority": "Medium"}),
        ({"CommentCount": 7}, {"ShouldEscalate": False, "Priority": "Medium"}),
        ({"CommentCount": 2}, {"ShouldEscalate": False, "Priority": "Low"}),
        ({}, {"ShouldEscalate": False, "Priority": "Low"}),
    ],
)
def test_escalation_rules(engine: FlowEngine, inputs: dict[str, Any], expected: dict[str, Any]) -> None:
    assert run(engine, "Escalation_Rules", inputs).outputs == expected


def test_escalation_rules_trace_names_the_outcome(engine: FlowEngine) -> None:
    result = run(engine, "Escalation_Rules", {"CommentCount": 11})
    assert result.trace is not None
    assert [(e.element, e.outcome) for e in result.trace] == [
        ("Needs_Escalation", "Hot_Unanswered"),
        ("Escalate", None),
    ]


def test_escalation_rules_in_bulk(engine: FlowEngine) -> None:
    batch = engine.run("Escalation_Rules", [{"CommentCount": n} for n in (0, 6, 11, 30)], context())
    assert [r.outputs["Priority"] for r in batch.results if r.outputs] == ["Low", "Medium", "High", "High"]


# ------------------------------------------------------------------------------------------ Loyalty_Points


def test_loyalty_points_sums_orders_exactly(engine: FlowEngine) -> None:
    out = run(engine, "Loyalty_Points", {"OrderAmounts": [120.5, 99.99, 300]}).outputs
    assert out == {"TotalSpent": Decimal("520.49"), "OrderCount": Decimal(3), "Points": Decimal(520), "Tier": "Silver"}


def test_loyalty_points_gold_tier(engine: FlowEngine) -> None:
    out = run(engine, "Loyalty_Points", {"OrderAmounts": ["999.99", "0.01"]}).outputs
    assert (out["TotalSpent"], out["Tier"]) == (Decimal("1000.00"), "Gold")


def test_loyalty_points_without_orders(engine: FlowEngine) -> None:
    out = run(engine, "Loyalty_Points", {}).outputs
    assert out == {"TotalSpent": Decimal("0.00"), "OrderCount": Decimal(0), "Points": Decimal(0), "Tier": "Bronze"}


# ------------------------------------------------------------------------------------------ Format_Phone_Number


@pytest.mark.parametrize("raw", ["5551234567", "(555) 123-4567", "555.123.4567", "+1 555 123 4567", "1-555-123-4567"])
def test_format_phone_number_normalises(engine: FlowEngine, raw: str) -> None:
    assert run(engine, "Format_Phone_Number", {"RawPhone": raw}).outputs == {
        "FormattedPhone": "(555) 123-4567",
        "IsValidPhone": True,
    }


@pytest.mark.parametrize("raw", ["12345", "555-CALL-NOW", "", None])
def test_format_phone_number_rejects_non_numbers(engine: FlowEngine, raw: str | None) -> None:
    assert run(engine, "Format_Phone_Number", {"RawPhone": raw}).outputs == {
        "FormattedPhone": None,
        "IsValidPhone": False,
    }


# ------------------------------------------------------------------------------------------ Customer_Welcome


def test_customer_welcome_uses_both_subflows(engine: FlowEngine) -> None:
    result = run(
        engine, "Customer_Welcome", {"CustomerName": "Ada", "Phone": "555 123 4567", "OrderAmounts": [1000, 5]}
    )
    assert result.outputs == {
        "FormattedPhone": "(555) 123-4567",
        "WelcomeMessage": "Welcome back, Ada! You are a Gold member with 1005 points. "
        "We will text you at (555) 123-4567.",
    }
    assert result.trace is not None
    assert [e.detail for e in result.trace[:2]] == ["ran Format_Phone_Number version 1", "ran Loyalty_Points version 1"]


def test_customer_welcome_without_phone_or_orders(engine: FlowEngine) -> None:
    assert run(engine, "Customer_Welcome", {"CustomerName": "Bo"}).outputs == {
        "FormattedPhone": None,
        "WelcomeMessage": "Welcome back, Bo! You are a Bronze member with 0 points.",
    }

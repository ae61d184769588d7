"""Declarative stubs for Apex nobody has ported, from flowforce.toml, so third-party flows run in tests::

    [actions.apex.GetCreditScore]
    outputs = { score = 700, rating = "A" }     # every request answers these outputs

    [actions.apex.PostToSlack]
    error = "Slack is not reachable from tests"  # every request faults with this message
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from flowforce.actions.base import Action, parameter
from flowforce.actions.registry import ActionFailure, ActionResult
from flowforce.engine.action_context import ActionContext
from flowforce.settings import SetupError


class StubError(SetupError):
    """A stub table flowforce.toml cannot mean (said at start-up)."""


def stub_action(action_type: str, name: str, table: Mapping[str, Any]) -> Action:
    unknown = set(table) - {"outputs", "error", "label", "description"}
    if unknown:
        raise StubError(f"[actions.{action_type}.{name}]: unknown keys {', '.join(sorted(unknown))} "
                        "(expected outputs, error, label, description)")
    outputs = dict(table.get("outputs") or {})
    error = table.get("error")

    def answer(requests: Sequence[Mapping[str, Any]], context: ActionContext) -> list[ActionResult]:
        return [ActionFailure(str(error)) if error else dict(outputs) for _ in requests]

    return Action(action_type, name, str(table.get("label") or name), answer,
                  outputs=tuple(parameter(key) for key in outputs),
                  description=str(table.get("description") or f"Stub from flowforce.toml for {action_type} {name}"))


def configured_stubs(actions_table: Mapping[str, Any]) -> Iterator[Action]:
    """`[actions.<type>.<Name>]` tables of flowforce.toml (apex, externalService, …)."""
    for action_type, by_name in actions_table.items():
        if not isinstance(by_name, Mapping):
            raise StubError(f"[actions.{action_type}] must hold one table per action name")
        for name, table in by_name.items():
            if not isinstance(table, Mapping):
                raise StubError(f"[actions.{action_type}.{name}] must be a table")
            yield stub_action(action_type, name, table)

"""Calling one invocable action directly (`POST actions/standard/NAME`, `actions/custom/apex/NAME`), in one
transaction: the same bulk contract as from a flow, and the same rule as a flow batch when some requests fail —
the failed ones' work is undone and the others keep theirs, each message sent once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flowforce.actions.registry import ActionFailure, ActionResult, InvocableAction
from flowforce.engine.action_context import ActionContext
from flowforce.engine.elements.action import call_action, missing_input

if TYPE_CHECKING:
    from flowforce.runtime.org import Org, RunAs


def run_action(org: Org, action: InvocableAction, requests: Sequence[Mapping[str, Any] | None],
               run_as: RunAs | None = None) -> list[ActionResult]:
    given = [dict(request or {}) for request in requests]
    results: list[ActionResult] = [ActionFailure(message) if (message := missing_input(action, request)) else {}
                                   for request in given]
    positions = [position for position, result in enumerate(results) if not isinstance(result, ActionFailure)]
    if not positions:
        return results
    context = org.run_context(run_as)
    tx = org.transaction(run_as)
    try:
        gateway = context.records = org.gateway(tx)
        marker = tx.savepoint()
        acting = ActionContext(context)
        called = call_action(action, [given[position] for position in positions], acting)
        kept = [number for number, result in enumerate(called) if not isinstance(result, ActionFailure)]
        if len(kept) < len(called):
            marker.rollback()  # the failed requests' work goes; the others are applied again below
            if acting.used_records:  # their writes were undone too: call the action again for them alone
                again = call_action(action, [given[positions[number]] for number in kept], ActionContext(context))
                for number, result in zip(kept, again):
                    called[number] = result
            else:
                for number in kept:
                    for effect in acting.effects.get(number, []):
                        effect(gateway)
        else:
            marker.release()
    except BaseException:
        tx.rollback()
        raise
    tx.commit()
    for position, result in zip(positions, called):
        results[position] = result
    return results

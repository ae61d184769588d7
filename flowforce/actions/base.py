"""An invocable action built from a function, and the helpers actions share.

`Action` satisfies the registry's `InvocableAction` protocol: built-in actions, Python invocable actions and
flowforce.toml stubs are all one of these, differing only in the bulk function they carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flowforce.actions.registry import ActionError, ActionFailure, ActionParameter, ActionResult
from flowforce.engine.action_context import ActionContext

__all__ = ["Action", "ActionError", "BulkFunction", "each_request", "parameter", "text_input", "text_list"]

#: One bulk call: every waiting interview's request in, one result per request out, in order.
BulkFunction = Callable[[Sequence[Mapping[str, Any]], ActionContext], Sequence[ActionResult]]
#: One request of a bulk call, by its position (effects are registered per position).
RequestFunction = Callable[[int, Mapping[str, Any], ActionContext], ActionResult]


@dataclass(frozen=True)
class Action:
    action_type: str
    name: str
    label: str
    run: BulkFunction
    inputs: Sequence[ActionParameter] = ()
    outputs: Sequence[ActionParameter] = ()
    description: str | None = None

    def invoke(self, requests: Sequence[Mapping[str, Any]], context: ActionContext) -> Sequence[ActionResult]:
        return self.run(requests, context)


def each_request(function: RequestFunction) -> BulkFunction:
    """A bulk function that handles the requests one by one; an `ActionError` fails only its own request."""

    def bulk(requests: Sequence[Mapping[str, Any]], context: ActionContext) -> list[ActionResult]:
        results: list[ActionResult] = []
        for position, request in enumerate(requests):
            try:
                results.append(function(position, request, context))
            except ActionError as error:
                results.append(ActionFailure(error.message))
        return results

    return bulk


def text_input(request: Mapping[str, Any], name: str) -> str:
    """A text input, '' when absent or blank."""
    value = request.get(name)
    return "" if value is None else str(value).strip()


def text_list(value: Any) -> list[str]:
    """A collection input or a comma-separated text input, as a list of non-blank strings."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def parameter(name: str, data_type: str = "String", *, required: bool = False, collection: bool = False,
              object_type: str | None = None, description: str | None = None) -> ActionParameter:
    return ActionParameter(name, data_type, required, collection, object_type, name, description)

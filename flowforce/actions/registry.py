"""Invocable actions by (actionType, actionName): what an `actionCalls` element can call.

Actions are bulk by contract (reference/flow-metadata.md §5.9): one call receives the requests of every
interview waiting at the element and returns one result per request, in order. Actions are registered by
name (`defaults.py`, a project's Python actions and stubs: `project.py`) or, for types whose names are open-ended
(quick actions, email alerts, callouts), found by a resolver; an action nobody provides faults the interview
with a message saying how to provide it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from flowforce.engine.action_context import ActionContext


@dataclass(frozen=True, slots=True)
class ActionParameter:
    name: str
    data_type: str = "String"
    required: bool = False
    is_collection: bool = False
    object_type: str | None = None
    label: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ActionFailure:
    """One request failed; `message` becomes the interview's `$Flow.FaultMessage`."""

    message: str


ActionResult = Mapping[str, Any] | ActionFailure


class ActionError(Exception):
    """Raised by an action: its message becomes the `$Flow.FaultMessage` of the request(s) it was raised for
    (one request under `each_request`, every request of the call otherwise)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvocableAction(Protocol):
    @property
    def action_type(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def inputs(self) -> Sequence[ActionParameter]: ...

    @property
    def outputs(self) -> Sequence[ActionParameter]: ...

    @property
    def description(self) -> str | None: ...

    def invoke(self, requests: Sequence[Mapping[str, Any]], context: ActionContext) -> Sequence[ActionResult]: ...


#: Finds the action of a type whose names are open-ended (quick actions, email alerts): None when there is none.
ActionResolver = Callable[[str], "InvocableAction | None"]
#: Says what to do about a name of that type the resolver does not know (the fault and the check warning).
MissingExplainer = Callable[[str], str]


def apex_how_to(name: str) -> str:
    """How to provide an Apex class flowforce does not have (one wording for `check` and for the fault)."""
    return (f"write a Python invocable action named {name} (@invocable_action in flowforce_actions/*.py) or stub "
            f"it under [actions.apex.{name}] in flowforce.toml")


def apex_missing_message(name: str) -> str:
    return f"The Apex action {name} isn't available in flowforce: {apex_how_to(name)}."


@dataclass
class ActionRegistry:
    _actions: dict[tuple[str, str], InvocableAction] = field(default_factory=dict)
    _resolvers: dict[str, ActionResolver] = field(default_factory=dict)
    _explainers: dict[str, MissingExplainer] = field(default_factory=dict)

    @staticmethod
    def _key(action_type: str, name: str) -> tuple[str, str]:
        return action_type.lower(), name.lower()

    def register(self, action: InvocableAction) -> InvocableAction:
        self._actions[self._key(action.action_type, action.name)] = action
        return action

    def register_type(self, action_type: str, resolver: ActionResolver, *,
                      explain: MissingExplainer | None = None) -> None:
        """Every name of *action_type* is looked up through *resolver* when not registered by name; *explain*
        words the fault for a name it does not know."""
        self._resolvers[action_type.lower()] = resolver
        if explain is not None:
            self._explainers[action_type.lower()] = explain

    def get(self, action_type: str, name: str) -> InvocableAction | None:
        action = self._actions.get(self._key(action_type, name))
        if action is None and (resolver := self._resolvers.get(action_type.lower())) is not None:
            action = resolver(name)
        return action

    def has(self, action_type: str, name: str) -> bool:
        return self.get(action_type, name) is not None

    def missing_message(self, action_type: str, name: str) -> str:
        """The fault of an interview that reaches an action nobody provides."""
        if action_type.lower() == "apex":
            return apex_missing_message(name)
        if (explain := self._explainers.get(action_type.lower())) is not None:
            return explain(name)
        return f"The action {action_type}:{name} isn't registered with flowforce, so the element can't run."

    def of_type(self, action_type: str) -> Iterator[InvocableAction]:
        wanted = action_type.lower()
        return (action for (kind, _), action in self._actions.items() if kind == wanted)

    def __iter__(self) -> Iterator[InvocableAction]:
        """Every registered action, ordered by (type, name)."""
        return iter([self._actions[key] for key in sorted(self._actions)])

"""Python invocable actions: the Apex substitute.

A project keeps them in `flowforce_actions/*.py` beside `force-app/` (or an installed package exposes them
through the `flowforce.actions` entry point group). Each is a function decorated like an Apex
`@InvocableMethod`, with typed `@InvocableVariable`-like inputs and outputs, and is called by the name the flow
already uses (`actionType=apex`, `actionName=ClassName`)::

    from flowforce.actions import ActionError, invocable_action, variable

    @invocable_action("GetCreditScore", label="Get Credit Score",
                      inputs=[variable("accountId", "String", required=True)],
                      outputs=[variable("score", "Number")])
    def get_credit_score(requests, context):
        return [{"score": 700} for _ in requests]

The function receives every waiting interview's request at once and returns one result per request (a dict of
outputs, or `ActionFailure`); `context.records` is the flow's transaction (counted against its limits).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from flowforce.actions.base import Action, BulkFunction, parameter
from flowforce.actions.registry import ActionParameter
from flowforce.settings import SetupError

ACTIONS_FOLDER = "flowforce_actions"
ENTRY_POINT_GROUP = "flowforce.actions"

variable = parameter


class ActionLoadError(SetupError):
    """A project's Python action could not be loaded: said when the org opens, not when a flow reaches it."""


def invocable_action(name: str | None = None, *, label: str | None = None, description: str | None = None,
                     inputs: Sequence[ActionParameter] = (), outputs: Sequence[ActionParameter] = (),
                     action_type: str = "apex") -> Callable[[BulkFunction], Action]:
    """Declare *function* an invocable action named *name* (default: the function's name)."""

    def declare(function: BulkFunction) -> Action:
        action_name = name or function.__name__
        return Action(action_type, action_name, label or action_name, function, tuple(inputs), tuple(outputs),
                      description or (function.__doc__ or "").strip() or None)

    return declare


def actions_in(module: ModuleType) -> list[Action]:
    return [value for value in vars(module).values() if isinstance(value, Action)]


def import_file(path: Path) -> ModuleType:
    """Import one project file under a name of its own (two projects may both have `flowforce_actions/util.py`)."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    module_name = f"flowforce_project_actions_{digest}.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ActionLoadError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        sys.modules.pop(module_name, None)
        raise ActionLoadError(f"{path} could not be loaded: {type(error).__name__}: {error}") from error
    return module


def project_actions(project_dir: Path) -> Iterator[Action]:
    """The actions of `<project>/flowforce_actions/*.py`, file by file in name order."""
    folder = project_dir / ACTIONS_FOLDER
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.py")):
        if not path.name.startswith("_"):
            yield from actions_in(import_file(path))


def installed_actions() -> Iterator[Action]:
    """Actions installed packages expose: an entry point names an action, a module, or a list of actions."""
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded: Any = point.load()
        except Exception as error:
            raise ActionLoadError(f"entry point {point.name} ({point.value}) could not be loaded: "
                                  f"{type(error).__name__}: {error}") from error
        if isinstance(loaded, Action):
            yield loaded
        elif isinstance(loaded, ModuleType):
            yield from actions_in(loaded)
        elif isinstance(loaded, Iterable):
            yield from (item for item in loaded if isinstance(item, Action))
        else:
            raise ActionLoadError(f"entry point {point.name} ({point.value}) is not an action, a module or a list "
                                  "of actions")

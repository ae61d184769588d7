"""Invocable actions: the registry, the built-in actions, and what a project's Python actions are written with."""

from flowforce.actions.base import Action, ActionError, each_request
from flowforce.actions.python import invocable_action, variable
from flowforce.actions.registry import ActionFailure, ActionParameter

__all__ = ["Action", "ActionError", "ActionFailure", "ActionParameter", "each_request", "invocable_action",
           "variable"]

"""The actions every flowforce server has before a project registers its own.

Empty for now: the actions issue adds email, SMS and Python invocable actions here. Keeping one source of
truth means `flowforce check` warns about exactly the actions a run would fault on.
"""

from __future__ import annotations

from flowforce.actions.registry import ActionRegistry


def default_registry() -> ActionRegistry:
    return ActionRegistry()

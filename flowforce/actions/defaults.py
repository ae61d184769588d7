"""The actions every flowforce server has before a project adds its own (flowforce/actions/project.py).

Keeping one source of truth means `flowforce check` warns about exactly the actions a run would fault on.
"""

from __future__ import annotations

from flowforce.actions.core import register_core_actions
from flowforce.actions.messages import EMAIL_SIMPLE, SMS_ACTION_TYPES, sms_action
from flowforce.actions.registry import ActionRegistry


def default_registry() -> ActionRegistry:
    registry = ActionRegistry()
    registry.register(EMAIL_SIMPLE)
    for action_type in SMS_ACTION_TYPES:
        registry.register(sms_action(action_type))
    register_core_actions(registry)
    return registry

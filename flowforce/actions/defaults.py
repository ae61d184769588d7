"""The actions every flowforce server has before a project adds its own (flowforce/actions/project.py).

Keeping one source of truth means `flowforce check` warns about exactly the actions a run would fault on.
"""

from __future__ import annotations

from flowforce.actions.core import register_core_actions
from flowforce.actions.email_alerts import register_email_alerts
from flowforce.actions.messages import EMAIL_SIMPLE, SEND_SMS
from flowforce.actions.registry import ActionRegistry


def default_registry() -> ActionRegistry:
    registry = ActionRegistry()
    registry.register(EMAIL_SIMPLE)
    registry.register(SEND_SMS)
    register_core_actions(registry)
    register_email_alerts(registry, None)  # a project's registry reads its own workflows
    return registry

"""Salesforce's core actions that write records or notify: chatterPost, quick actions, custom notifications,
verification codes, session permission sets."""

from __future__ import annotations

from flowforce.actions.registry import ActionRegistry


def register_core_actions(registry: ActionRegistry) -> None:
    """Filled in below as each core action is emulated."""

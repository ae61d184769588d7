"""A project's action registry: the built-in actions, installed packages' actions, flowforce.toml stubs, and
the project's own Python actions (which win over a stub of the same name) — the same for `serve`, `run`,
`check`, workers and tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flowforce.actions.callouts import register_callouts
from flowforce.actions.defaults import default_registry
from flowforce.actions.email_alerts import register_email_alerts
from flowforce.actions.python import installed_actions, project_actions
from flowforce.actions.registry import ActionRegistry
from flowforce.actions.stubs import configured_stubs
from flowforce.settings import read_config_file


def project_registry(project_dir: Path, actions_table: Mapping[str, Any] | None = None,
                     named_credentials: Mapping[str, Any] | None = None) -> ActionRegistry:
    """*actions_table* and *named_credentials* are flowforce.toml's `[actions]` and `[named_credentials]` (read
    from the project folder when not given)."""
    registry = default_registry()
    register_email_alerts(registry, project_dir)
    if actions_table is None or named_credentials is None:
        config = read_config_file(project_dir)
        actions_table = config.get("actions", {}) if actions_table is None else actions_table
        named_credentials = config.get("named_credentials", {}) if named_credentials is None else named_credentials
    register_callouts(registry, named_credentials)
    for action in configured_stubs(actions_table):
        registry.register(action)
    for action in installed_actions():
        registry.register(action)
    for action in project_actions(project_dir):
        registry.register(action)
    return registry


def project_root(path: Path) -> Path:
    """The SFDX project a flow file or folder belongs to (the nearest folder with sfdx-project.json)."""
    path = path.resolve()
    folder = path if path.is_dir() else path.parent
    return next((parent for parent in (folder, *folder.parents) if (parent / "sfdx-project.json").is_file()), folder)


def registry_for_paths(paths: Iterable[Path | str]) -> ActionRegistry:
    """What `flowforce check PATHS` checks against: the actions of the project the first path belongs to."""
    first = next(iter(paths), None)
    if first is None:
        return default_registry()
    return project_registry(project_root(Path(first)))

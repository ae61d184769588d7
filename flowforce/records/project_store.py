"""Where a project's records live by default, and opening that store with the project's schema."""

from __future__ import annotations

from pathlib import Path

from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore


def default_db_url(project: Path) -> str:
    """`sqlite:///<project>/.flowforce/flowforce.db`: a file beside the project, created on first use."""
    folder = (project / ".flowforce").resolve()
    return f"sqlite:///{folder / 'flowforce.db'}"


def open_project_store(project: Path, url: str | None = None) -> RecordStore:
    """The project's store (standard objects plus its SFDX objects), migrated to the current metadata."""
    registry = SchemaRegistry.load(project)
    target = url or default_db_url(project)
    if url is None:
        (project / ".flowforce").mkdir(parents=True, exist_ok=True)
    return RecordStore.open(target, registry)

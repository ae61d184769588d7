"""File paths as reports show them: relative to the working folder when under it, always with `/`."""

from __future__ import annotations

from pathlib import Path


def display_path(path: str, base: Path | None = None) -> str:
    if not path:
        return ""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to((base or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()

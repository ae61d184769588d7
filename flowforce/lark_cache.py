"""Lark parsers whose grammar analysis is cached on disk between runs: building the SOQL parser's tables costs
about a second, loading them back a twentieth of that — every `flowforce` start and every CI job pays it.

The cache is a pickle, so it lives in a directory only this user can write (never a shared temp directory);
lark keys it by the grammar and options, and rebuilds when they change. Without a writable cache directory the
parser is simply built each time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from lark import Lark


def cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "flowforce"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid != os.getuid() or not os.access(folder, os.W_OK):
            return None
    except OSError:
        return None
    return folder


def lalr_parser(name: str, grammar: str, transformer: Any) -> Lark:
    folder = cache_dir()
    digest = hashlib.sha256(grammar.encode()).hexdigest()[:16]
    cache: str | bool = str(folder / f"{name}-{digest}.lark") if folder is not None else False
    return Lark(grammar, parser="lalr", lexer="contextual", transformer=transformer, maybe_placeholders=True,
                cache=cache)

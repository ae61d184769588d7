"""Text templates: `{!ref}` merge fields in otherwise untouched text (reference/flow-metadata.md §4.5).

Rich-text HTML stays as stored; only well-formed merge fields are replaced. Anything else that starts with
`{!` (unterminated, or not a reference path) is left literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowforce.formula.environment import FormulaEnvironment
from flowforce.formula.parser import PATH_RE
from flowforce.formula.values import format_merge_value

_MERGE_FIELD = re.compile(r"\{!\s*(" + PATH_RE.pattern + r")\s*\}")


@dataclass(frozen=True, slots=True)
class _Merge:
    path: str


@dataclass(frozen=True)
class Template:
    """A parsed text template; parts alternate between literal text and merge fields."""

    text: str
    parts: tuple[str | _Merge, ...]

    @property
    def references(self) -> frozenset[str]:
        return frozenset(part.path for part in self.parts if isinstance(part, _Merge))

    def render(self, env: FormulaEnvironment) -> str:
        """Merge current values (templates are re-evaluated on every reference); null merges as ""."""
        return "".join(
            part if isinstance(part, str) else format_merge_value(env.resolve(part.path))
            for part in self.parts
        )


def parse_template(text: str) -> Template:
    parts: list[str | _Merge] = []
    position = 0
    for match in _MERGE_FIELD.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        parts.append(_Merge(match.group(1)))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return Template(text, tuple(parts))

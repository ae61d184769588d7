"""Cross-object references from `$Record` (`$Record.Account.Name`, `$Record.Owner.Email`): the parent records a
triggered flow reads are fetched once per chunk — one read per relationship for every record of the chunk —
and set on each interview's copy of `$Record` under the relationship name, where the engine's reference paths
find them. UNCONFIRMED: whether Salesforce counts these reads against the SOQL limit (flowforce does not).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from flowforce.engine.program import Program
from flowforce.records.record import Record

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction

#: `$Record.Account.Name`, and `$Record.Account` alone (an Update Records element's related record); names that
#: are fields rather than relationships are skipped when the parents are read.
PARENT_PATH = re.compile(r"\$Record(?:__Prior)?\.(\w+)", re.IGNORECASE)
_RELATIONSHIPS: WeakKeyDictionary[Program, frozenset[str]] = WeakKeyDictionary()

Parents = list[dict[str, Record]]


def texts(value: Any) -> Iterator[str]:
    """Every string inside a flow model value (frozen dataclasses, mappings, tuples)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from texts(getattr(value, item.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from texts(item)


def relationships(program: Program) -> frozenset[str]:
    """The relationship names the flow reads through `$Record` (lower-cased), found once per program."""
    found = _RELATIONSHIPS.get(program)
    if found is None:
        found = frozenset(match.group(1).lower() for text in texts(program.flow)
                          for match in PARENT_PATH.finditer(text))
        _RELATIONSHIPS[program] = found
    return found


def parents_of(tx: Transaction, program: Program, records: Sequence[Record]) -> Parents:
    """For each record, relationship name → its parent record (absent when the lookup is blank)."""
    found: Parents = [{} for _ in records]
    start = program.flow.start
    names = relationships(program)
    if not names or not records or start is None or not start.object or not tx.registry.has(start.object):
        return found
    obj = tx.registry.get(start.object)
    for name in names:
        if not obj.has_parent_relationship(name):
            continue
        field = obj.parent_relationship(name)
        by_target: dict[str, list[str]] = {}
        for parent_id in {str(record.get(field.name)) for record in records if record.get(field.name)}:
            target = tx.registry.object_for_id(parent_id)
            if target is not None:
                by_target.setdefault(target.name, []).append(parent_id)
        by_id: dict[str, Record] = {}
        for target_name, wanted in by_target.items():
            by_id.update({parent_id: row for parent_id, row in zip(wanted, tx.retrieve(target_name, wanted))
                          if row is not None})
        for index, record in enumerate(records):
            parent = by_id.get(str(record.get(field.name)))
            if parent is not None:
                found[index][field.relationship_name or name] = parent
    return found

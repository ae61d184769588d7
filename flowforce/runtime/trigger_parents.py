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

#: `$Record.Account.Name`, `$Record.Account.Owner.Email` (grandparents and deeper), `$Record.Account` alone
#: (an Update Records element's related record) and the polymorphic `$Record.What:Account.Name` (only when the
#: parent is an Account); names that are fields rather than relationships are skipped when the parents are read.
RelationshipTree = dict[str, "RelationshipTree"]
PARENT_PATH = re.compile(r"\$Record(?:__Prior)?((?:\.\w+(?::\w+)?)+)", re.IGNORECASE)
_RELATIONSHIPS: WeakKeyDictionary[Program, RelationshipTree] = WeakKeyDictionary()

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


def relationships(program: Program) -> RelationshipTree:
    """The relationship paths the flow reads through `$Record` (lower-cased, as a tree), found once per program."""
    found = _RELATIONSHIPS.get(program)
    if found is None:
        found = {}
        for text in texts(program.flow):
            for match in PARENT_PATH.finditer(text):
                branch = found
                for name in match.group(1).lower().split(".")[1:]:
                    branch = branch.setdefault(name, {})
        _RELATIONSHIPS[program] = found
    return found


def parents_of(tx: Transaction, program: Program, records: Sequence[Record]) -> Parents:
    """For each record, relationship name → its parent record (absent when the lookup is blank); the parent
    carries its own parents the flow reads further (`$Record.Account.Owner.Email`), one read per level."""
    start = program.flow.start
    tree = relationships(program)
    if not tree or not records or start is None or not start.object or not tx.registry.has(start.object):
        return [{} for _ in records]
    return _parents(tx, start.object, records, tree)


def _parents(tx: Transaction, object_name: str, records: Sequence[Record], tree: RelationshipTree) -> Parents:
    found: Parents = [{} for _ in records]
    obj = tx.registry.get(object_name)
    for key, deeper in tree.items():
        name, _, wanted_type = key.partition(":")
        if not obj.has_parent_relationship(name):
            continue
        field = obj.parent_relationship(name)
        by_target: dict[str, list[str]] = {}
        for parent_id in {str(record.get(field.name)) for record in records if record.get(field.name)}:
            target = tx.registry.object_for_id(parent_id)
            if target is not None and wanted_type in ("", target.name.lower()):
                by_target.setdefault(target.name, []).append(parent_id)
        by_id: dict[str, Record] = {}
        for target_name, wanted in by_target.items():
            pairs = [(parent_id, row.copy()) for parent_id, row in zip(wanted, tx.retrieve(target_name, wanted))
                     if row is not None]
            if deeper:
                rows = [row for _, row in pairs]
                for row, grandparents in zip(rows, _parents(tx, target_name, rows, deeper)):
                    row.update(grandparents)
            by_id.update(pairs)
        for index, record in enumerate(records):
            parent = by_id.get(str(record.get(field.name)))
            if parent is not None:
                key = field.relationship_name or name
                found[index][f"{key}:{wanted_type}" if wanted_type else key] = parent
    return found

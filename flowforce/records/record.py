"""An sObject record as flows, SOQL results and DML share it.

Salesforce field names are case-insensitive everywhere (SOQL, merge fields, REST bodies), but a record keeps
the casing it was given so that output JSON looks like the org's. A field that was never set or queried is
*absent* (reading it from a flow is an error, reference/flow-metadata.md §7.3), which is different from a
field set to null.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any


class Record(MutableMapping[str, Any]):
    """A mutable, case-insensitive field map tagged with its sObject type."""

    __slots__ = ("_data", "sobject_type")

    def __init__(self, sobject_type: str, fields: Mapping[str, Any] | None = None) -> None:
        self.sobject_type = sobject_type
        self._data: dict[str, tuple[str, Any]] = {}
        if fields:
            for key, value in fields.items():
                self[key] = value

    def __getitem__(self, key: str) -> Any:
        return self._data[key.lower()][1]

    def __setitem__(self, key: str, value: Any) -> None:
        folded = key.lower()
        previous = self._data.get(folded)
        self._data[folded] = (previous[0] if previous else key, value)

    def __delitem__(self, key: str) -> None:
        del self._data[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._data.values())

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: str, default: Any = None) -> Any:  # faster than Mapping.get's KeyError round trip
        entry = self._data.get(key.lower())
        return default if entry is None else entry[1]

    def has_folded(self, folded: str) -> bool:
        """`in` for a name the caller has already lower-cased (DML's per-field loops)."""
        return folded in self._data

    def put_folded(self, folded: str, name: str, value: Any) -> None:
        """Set a field whose lower-cased name the caller already has and that is not present yet."""
        self._data[folded] = (name, value)

    def values_for(self, folded_names: tuple[str, ...]) -> list[Any]:
        """Values of already lower-cased names, None where absent, in order."""
        data = self._data
        return [entry[1] if (entry := data.get(name)) is not None else None for name in folded_names]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._data

    def __repr__(self) -> str:
        return f"Record({self.sobject_type!r}, {dict(self.items())!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self.sobject_type.lower() == other.sobject_type.lower() and {
            k: v[1] for k, v in self._data.items()
        } == {k: v[1] for k, v in other._data.items()}

    __hash__ = None  # type: ignore[assignment]

    @property
    def id(self) -> str | None:
        value = self.get("Id")
        return value if isinstance(value, str) else None

    @property
    def known_id(self) -> str | None:
        """The record's id, even where a query did not select it (QueryRecord remembers it)."""
        return self.id

    def canonical_name(self, key: str) -> str | None:
        """The casing under which *key* was first stored, or None when absent."""
        entry = self._data.get(key.lower())
        return entry[0] if entry else None

    def copy(self) -> Record:
        """A deep-enough copy: nested parent records and child lists are copied too (loop variables are copies)."""
        clone = Record(self.sobject_type)
        for folded, (name, value) in self._data.items():
            if isinstance(value, Record):
                value = value.copy()
            elif isinstance(value, list):
                value = [item.copy() if isinstance(item, Record) else item for item in value]
            clone._data[folded] = (name, value)
        return clone

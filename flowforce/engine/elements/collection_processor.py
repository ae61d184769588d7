"""Collection Sort (in place, then `limit`) and Collection Filter (a new collection under the element name).

§5.10: Filter binds each item to `assignNextValueToReference` while evaluating Decision-style conditions
(or a formula); Sort reorders the referenced collection itself (inferred from a real file, UNCONFIRMED).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.operators import is_blank
from flowforce.engine.program import Program, Step
from flowforce.engine.references import member
from flowforce.metadata.model import CollectionProcessor, SortOption


def sort_key(item: Any, option: SortOption) -> Any:
    value = member(item, option.sort_field)[1] if option.sort_field else item
    if isinstance(value, str):
        value = value.casefold()
    return value


def _key_of(item: Any, option: SortOption) -> Any:
    return sort_key(item, option)


def sort_items(items: list[Any], options: tuple[SortOption, ...]) -> list[Any]:
    """Stable multi-key sort: apply the least significant option first. Blanks go first or last as asked."""
    for option in reversed(options or (SortOption(),)):
        descending = (option.sort_order or "Asc").lower() == "desc"
        present = [item for item in items if not is_blank(sort_key(item, option))]
        blank = [item for item in items if is_blank(sort_key(item, option))]
        try:
            present.sort(key=partial(_key_of, option=option), reverse=descending)
        except TypeError:
            raise ElementFault(f"Can't sort by {option.sort_field or 'value'}: the values have mixed types") from None
        items = blank + present if option.does_put_empty_string_and_null_first else present + blank
    return items


class CollectionProcessorStep(Step):
    pure = True

    def __init__(self, node: CollectionProcessor, program: Program) -> None:
        super().__init__(node, program)
        self.processor = node
        self.kind = node.collection_processor_type
        self.collection = program.references.getter(node.collection_reference, strict=False)
        if self.kind == "FilterCollectionProcessor":
            self.item_key = (node.assign_next_value_to_reference or f"currentItem_{node.name}").lower()
            self.predicate = program.conditions(node.condition_logic, node.conditions, node.formula)
        elif self.kind == "SortCollectionProcessor":
            self.store = program.references.setter(node.collection_reference)
        else:
            raise ValueError(f"{self.kind} collection processors are not supported headless")

    def run(self, iv: Interview) -> Step | None:
        source = self.collection(iv)
        items = list(source) if isinstance(source, list) else []
        if self.kind == "FilterCollectionProcessor":
            kept = []
            for item in items:
                iv.values[self.item_key] = item
                if self.predicate(iv):
                    kept.append(item)
            iv.values.pop(self.item_key, None)
            iv.values[self.key] = kept
            detail = f"kept {len(kept)} of {len(items)} items"
        else:
            ordered = sort_items(items, self.processor.sort_options)
            if self.processor.limit is not None:
                ordered = ordered[: self.processor.limit]
            if isinstance(source, list):
                source[:] = ordered  # in place: later elements keep using the original reference
            else:
                self.store(iv, ordered if source is not None else None)
            iv.values[self.key] = source if isinstance(source, list) else ordered
            detail = f"sorted {len(items)} items"
        if iv.trace is not None:
            iv.record(self.entry(detail=detail, changes={self.name: iv.values[self.key]}))
        return self.next

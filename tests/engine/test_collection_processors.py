"""Collection Filter and Collection Sort (flow-metadata.md §5.10)."""

from __future__ import annotations

from decimal import Decimal

from .flowkit import LOC, assignment, condition, connector, flow_xml, outputs_of, run_one, variable


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def collection_filter(
    name: str,
    collection: str,
    conditions: list[str],
    logic: str = "and",
    formula: str | None = None,
    next_: str | None = None,
) -> str:
    formula_xml = f"<formula>{formula}</formula>" if formula is not None else ""
    return (
        f"<collectionProcessors><name>{name}</name><elementSubtype>FilterCollectionProcessor</elementSubtype>"
        f"<label>{name}</label>{LOC}<assignNextValueToReference>currentItem_{name}</assignNextValueToReference>"
        f"<collectionProcessorType>FilterCollectionProcessor</collectionProcessorType>"
        f"<collectionReference>{collection}</collectionReference><conditionLogic>{logic}</conditionLogic>"
        f"{''.join(conditions)}{formula_xml}{connector(next_)}</collectionProcessors>"
    )


def sort(
    name: str,
    collection: str,
    options: list[tuple[str | None, str, bool]],
    limit: int | None = None,
    next_: str | None = None,
) -> str:
    rendered = "".join(
        "<sortOptions>"
        f"<doesPutEmptyStringAndNullFirst>{str(nulls_first).lower()}</doesPutEmptyStringAndNullFirst>"
        + (f"<sortField>{field}</sortField>" if field else "")
        + f"<sortOrder>{order}</sortOrder></sortOptions>"
        for field, order, nulls_first in options
    )
    limit_xml = f"<limit>{limit}</limit>" if limit is not None else ""
    return (
        f"<collectionProcessors><name>{name}</name><elementSubtype>SortCollectionProcessor</elementSubtype>"
        f"<label>{name}</label>{LOC}<collectionProcessorType>SortCollectionProcessor</collectionProcessorType>"
        f"<collectionReference>{collection}</collectionReference>{rendered}{limit_xml}{connector(next_)}"
        "</collectionProcessors>"
    )


CONTACTS = [
    {"LastName": "Dupont", "MailingCity": "Paris", "Age": 40},
    {"LastName": "Smith", "MailingCity": "London", "Age": 25},
    {"LastName": "Martin", "MailingCity": "PARIS", "Age": 31},
    {"LastName": "Rossi", "MailingCity": None, "Age": None},
]


def contacts_flow(processor: str, read: str) -> str:
    """Input `contacts`; the processor runs, then `kept` (and `contacts` itself) are outputs."""
    return flow_xml(
        variable("contacts", "SObject", collection=True, input=True, output=True, object_type="Contact")
        + variable("kept", "SObject", collection=True, output=True, object_type="Contact")
        + processor
        + assignment("Keep", [("kept", "Assign", ref(read))]),
        start="Process",
    )


def names(records: list | None) -> list[str]:
    return [r["LastName"] for r in records or []]


# ------------------------------------------------------------------------------------------ filter


def test_filter_keeps_matching_items_case_insensitively() -> None:
    xml = contacts_flow(
        collection_filter(
            "Process",
            "contacts",
            [condition("currentItem_Process.MailingCity", "EqualTo", "<stringValue>paris</stringValue>")],
            next_="Keep",
        ),
        "Process",
    )
    out = outputs_of(xml, {"contacts": CONTACTS})
    assert names(out["kept"]) == ["Dupont", "Martin"]


def test_filter_leaves_the_source_collection_unchanged() -> None:
    xml = contacts_flow(
        collection_filter(
            "Process",
            "contacts",
            [condition("currentItem_Process.Age", "GreaterThan", "<numberValue>30</numberValue>")],
            next_="Keep",
        ),
        "Process",
    )
    out = outputs_of(xml, {"contacts": CONTACTS})
    assert names(out["contacts"]) == ["Dupont", "Smith", "Martin", "Rossi"]
    assert names(out["kept"]) == ["Dupont", "Martin"]


def test_filter_with_custom_logic() -> None:
    xml = contacts_flow(
        collection_filter(
            "Process",
            "contacts",
            [
                condition("currentItem_Process.MailingCity", "EqualTo", "<stringValue>London</stringValue>"),
                condition("currentItem_Process.Age", "LessThan", "<numberValue>35</numberValue>"),
                condition("currentItem_Process.MailingCity", "IsNull", "<booleanValue>false</booleanValue>"),
            ],
            logic="1 OR (2 AND 3)",
            next_="Keep",
        ),
        "Process",
    )
    assert names(outputs_of(xml, {"contacts": CONTACTS})["kept"]) == ["Smith", "Martin"]


def test_filter_with_a_formula() -> None:
    xml = contacts_flow(
        collection_filter(
            "Process",
            "contacts",
            [],
            logic="formula_evaluates_to_true",
            formula="BEGINS({!currentItem_Process.LastName}, &quot;R&quot;) || {!currentItem_Process.Age} = 25",
            next_="Keep",
        ),
        "Process",
    )
    assert names(outputs_of(xml, {"contacts": CONTACTS})["kept"]) == ["Smith", "Rossi"]


def test_filter_of_a_null_collection_is_empty() -> None:
    xml = contacts_flow(
        collection_filter(
            "Process",
            "contacts",
            [condition("currentItem_Process.Age", "GreaterThan", "<numberValue>0</numberValue>")],
            next_="Keep",
        ),
        "Process",
    )
    assert outputs_of(xml, {"contacts": None})["kept"] == []


def test_filter_on_a_text_collection_compares_the_item_itself() -> None:
    xml = flow_xml(
        variable("words", collection=True, input=True)
        + variable("kept", collection=True, output=True)
        + collection_filter(
            "Process",
            "words",
            [condition("currentItem_Process", "StartsWith", "<stringValue>b</stringValue>")],
            next_="Keep",
        )
        + assignment("Keep", [("kept", "Assign", ref("Process"))]),
        start="Process",
    )
    assert outputs_of(xml, {"words": ["apple", "banana", "blueberry", "cherry"]}) == {"kept": ["banana", "blueberry"]}


def test_filter_trace_reports_the_count() -> None:
    xml = contacts_flow(
        collection_filter(
            "Process",
            "contacts",
            [condition("currentItem_Process.Age", "GreaterThan", "<numberValue>30</numberValue>")],
            next_="Keep",
        ),
        "Process",
    )
    result = run_one(xml, {"contacts": CONTACTS})
    assert result.trace is not None
    assert (result.trace[0].element_type, result.trace[0].detail) == ("FlowCollectionProcessor", "kept 2 of 4 items")


# ------------------------------------------------------------------------------------------ sort


def test_sort_ascending_sorts_the_collection_in_place() -> None:
    xml = contacts_flow(sort("Process", "contacts", [("LastName", "Asc", False)], next_="Keep"), "contacts")
    out = outputs_of(xml, {"contacts": CONTACTS})
    assert names(out["contacts"]) == ["Dupont", "Martin", "Rossi", "Smith"]


def test_sort_descending() -> None:
    xml = contacts_flow(sort("Process", "contacts", [("LastName", "Desc", False)], next_="Keep"), "contacts")
    assert names(outputs_of(xml, {"contacts": CONTACTS})["contacts"]) == ["Smith", "Rossi", "Martin", "Dupont"]


def test_sort_puts_nulls_last_by_default() -> None:
    xml = contacts_flow(sort("Process", "contacts", [("Age", "Asc", False)], next_="Keep"), "contacts")
    assert names(outputs_of(xml, {"contacts": CONTACTS})["contacts"]) == ["Smith", "Martin", "Dupont", "Rossi"]


def test_sort_puts_nulls_first_when_asked() -> None:
    xml = contacts_flow(sort("Process", "contacts", [("Age", "Desc", True)], next_="Keep"), "contacts")
    assert names(outputs_of(xml, {"contacts": CONTACTS})["contacts"]) == ["Rossi", "Dupont", "Martin", "Smith"]


def test_sort_by_several_keys_primary_first() -> None:
    people = [
        {"LastName": "A", "City": "Rome", "Age": 30},
        {"LastName": "B", "City": "Oslo", "Age": 50},
        {"LastName": "C", "City": "Rome", "Age": 20},
        {"LastName": "D", "City": "Oslo", "Age": 40},
    ]
    xml = contacts_flow(
        sort("Process", "contacts", [("City", "Asc", False), ("Age", "Desc", False)], next_="Keep"), "contacts"
    )
    assert names(outputs_of(xml, {"contacts": people})["contacts"]) == ["B", "D", "A", "C"]


def test_sort_with_a_limit_keeps_the_first_items() -> None:
    xml = contacts_flow(sort("Process", "contacts", [("LastName", "Asc", False)], limit=2, next_="Keep"), "contacts")
    assert names(outputs_of(xml, {"contacts": CONTACTS})["contacts"]) == ["Dupont", "Martin"]


def test_sort_is_case_insensitive_for_text() -> None:
    xml = flow_xml(
        variable("words", collection=True, input=True, output=True) + sort("Process", "words", [(None, "Asc", False)]),
        start="Process",
    )
    assert outputs_of(xml, {"words": ["banana", "Apple", "cherry"]}) == {"words": ["Apple", "banana", "cherry"]}


def test_sort_numbers_without_a_field() -> None:
    xml = flow_xml(
        variable("nums", "Number", collection=True, input=True, output=True)
        + sort("Process", "nums", [(None, "Desc", False)]),
        start="Process",
    )
    assert outputs_of(xml, {"nums": [3, 10, "2.5"]}) == {"nums": [Decimal(10), Decimal(3), Decimal("2.5")]}


def test_loop_after_sort_sees_the_sorted_order() -> None:
    xml = flow_xml(
        variable("words", collection=True, input=True)
        + variable("joined", output=True)
        + sort("Process", "words", [(None, "Asc", False)], next_="Each")
        + f"<loops><name>Each</name><label>Each</label>{LOC}<collectionReference>words</collectionReference>"
        f"{connector('Append', 'nextValueConnector')}</loops>"
        + assignment("Append", [("joined", "Add", ref("Each"))], next_="Each"),
        start="Process",
    )
    assert outputs_of(xml, {"words": ["c", "a", "b"]}) == {"joined": "abc"}

"""`POST composite/tree/{object}` (sObject Tree): parents with nested children, saved in one transaction.

What `sf data import tree` sends, one file (or plan part) per request (reference/clients.md §6). Each record
carries `attributes: {type, referenceId}`; children nest under their child-relationship name and get the
parent's id in the relationship field. Salesforce's rules: at most 200 records and 5 levels, top-level records of
the URL's type, a unique referenceId each; all or nothing. Success is 201
`{"hasErrors": false, "results": [{"referenceId", "id"}…]}` level by level (parents first); a failure rolls back
and answers 400 `{"hasErrors": true, "results": [{"referenceId", "errors": [...]}]}` for the failing records.

`@ref` values are not resolved here, as on Salesforce: the CLI replaces them with ids it got back from earlier
requests of a plan (plugin-data importPlan.js), so they never reach the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.body import json_object, wrong_shape
from flowforce.api.errors import RecordApiError
from flowforce.api.record_ops import Caller
from flowforce.api.responses import json_response
from flowforce.api.sobjects import caller_for
from flowforce.api.wire_values import dml_error_json
from flowforce.records.data_io import split_tree_record
from flowforce.records.transaction import Transaction

MAX_RECORDS = 200
MAX_DEPTH = 5


def invalid_input(message: str) -> RecordApiError:
    return RecordApiError("INVALID_INPUT", message)  # UNCONFIRMED code and wording for malformed trees


@dataclass
class TreeNode:
    object_name: str
    reference: str
    values: dict[str, Any]
    depth: int
    children: list[tuple[str, TreeNode]] = field(default_factory=list)  # (relationship field, child)
    parent_field: str | None = None
    parent: TreeNode | None = None
    id: str | None = None


class TreeReader:
    """Turns the request body into nodes, checking the limits and permissions before anything is saved."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.references: set[str] = set()
        self.count = 0

    def records(self, value: Any) -> list[Mapping[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            raise wrong_shape("List<SObject>", value)
        return value

    def node(self, raw: Mapping[str, Any], expected_type: str | None, depth: int) -> TreeNode:
        self.count += 1
        if self.count > MAX_RECORDS:
            raise invalid_input(f"Too many records in the request: the limit is {MAX_RECORDS}.")
        if depth > MAX_DEPTH:
            raise invalid_input(f"Too many levels of nested records: the limit is {MAX_DEPTH}.")
        attributes = raw.get("attributes")
        if not isinstance(attributes, Mapping) or not attributes.get("type"):
            raise invalid_input("Each record needs attributes with a type and a referenceId.")
        declared = str(attributes["type"])
        obj = self.caller.writable(declared, "POST")
        if expected_type is not None and obj.name.lower() != expected_type.lower():
            raise invalid_input(f"The record of type {declared} does not match the object of the request or "
                                f"relationship, {expected_type}.")
        reference = attributes.get("referenceId")
        if not isinstance(reference, str) or not reference:
            raise invalid_input("Include a reference ID for each record in the request.")
        if reference in self.references:
            raise invalid_input(f"Duplicate ReferenceId provided in the request: {reference}")
        self.references.add(reference)
        split = split_tree_record(obj, raw, reference)
        node = TreeNode(obj.name, reference, split.values, depth)
        for relationship_name, children in split.children:
            relationship = obj.child_relationship(relationship_name)
            for child_raw in self.records(children):
                child = self.node(child_raw, relationship.child_sobject, depth + 1)
                child.parent, child.parent_field = node, relationship.field
                node.children.append((relationship.field, child))
        return node

    def read(self, object_name: str, body: Mapping[str, Any]) -> list[TreeNode]:
        top = self.caller.writable(object_name, "POST")
        return [self.node(raw, top.name, 1) for raw in self.records(body.get("records"))]


def _levels(roots: list[TreeNode]) -> list[list[TreeNode]]:
    levels, level = [], roots
    while level:
        levels.append(level)
        level = [child for node in level for _, child in node.children]
    return levels


def _runs(level: list[TreeNode]) -> list[list[TreeNode]]:
    """Consecutive records of one type: one DML call each."""
    runs: list[list[TreeNode]] = []
    for node in level:
        if runs and runs[-1][0].object_name == node.object_name:
            runs[-1].append(node)
        else:
            runs.append([node])
    return runs


def save_tree(tx: Transaction, roots: list[TreeNode]) -> list[dict[str, Any]]:
    """Insert level by level; returns the failures (empty when everything was saved)."""
    failures: list[dict[str, Any]] = []
    for level in _levels(roots):
        for run in _runs(level):
            values = []
            for node in run:
                row = dict(node.values)
                if node.parent is not None and node.parent_field is not None:
                    row[node.parent_field] = node.parent.id
                values.append(row)
            results = tx.insert(run[0].object_name, values, all_or_none=False)
            for node, result in zip(run, results):
                if result.success:
                    node.id = result.id
                else:
                    failures.append({"referenceId": node.reference,
                                     "errors": [dml_error_json(error) for error in result.errors]})
        if failures:  # children of a failed parent can't be saved; Salesforce reports the failing level
            return failures
    return failures


def run_tree(caller: Caller, object_name: str, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    roots = TreeReader(caller).read(object_name, body)
    tx = caller.org.transaction(caller.session)
    try:
        failures = save_tree(tx, roots)
    except BaseException:
        tx.rollback()
        raise
    if failures:
        tx.rollback()
        return 400, {"hasErrors": True, "results": failures}
    tx.commit()
    saved = [{"referenceId": node.reference, "id": node.id} for level in _levels(roots) for node in level]
    return 201, {"hasErrors": False, "results": saved}


async def composite_tree(request: Request) -> Response:
    caller = caller_for(request)
    body = await json_object(request, "SObjectTreeRequest")
    status, result = await run_in_threadpool(run_tree, caller, request.path_params["sobject"], body)
    return json_response(result, status)

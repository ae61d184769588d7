"""Builders for real `.flow-meta.xml` text with record elements, and a harness that runs it against a store.

Values are the inner XML of `<value>`: use `ref("Var")`, `text("x")`, `num(3)`, `boolean(True)`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from flowforce.engine.batch import BatchResult
from flowforce.metadata.parser import parse_flow_bytes
from flowforce.records.limits import GovernorLimits
from flowforce.records.store import RecordStore
from flowforce.runtime import Org, build_auth_service
from flowforce.soql import run_soql

LOC = "<locationX>0</locationX><locationY>0</locationY>"
TAIL = "You can look up ExceptionCode values in the SOAP API Developer Guide."

Filter = tuple[str, str, str | None]  # field, operator, <value> inner XML (None: no value element)


# --------------------------------------------------------------------------------------------- values


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def text(value: str) -> str:
    return f"<stringValue>{escape(value)}</stringValue>"


def num(value: float) -> str:
    return f"<numberValue>{value}</numberValue>"


def boolean(value: bool) -> str:
    return f"<booleanValue>{str(value).lower()}</booleanValue>"


# --------------------------------------------------------------------------------------------- elements


def connector(target: str | None, tag: str = "connector") -> str:
    return f"<{tag}><targetReference>{target}</targetReference></{tag}>" if target else ""


def flow(*parts: str, start: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Flow xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "<apiVersion>62.0</apiVersion>\n<label>Records Test</label>\n"
        "<processType>AutoLaunchedFlow</processType>\n<status>Active</status>\n"
        f"<start>{LOC}{connector(start)}</start>\n" + "\n".join(parts) + "\n</Flow>\n"
    )


def var(name: str, data_type: str = "String", *, input: bool = False, output: bool = False,
        collection: bool = False, object_type: str | None = None, scale: int | None = None,
        default: str | None = None) -> str:
    parts = [f"<name>{name}</name>", f"<dataType>{data_type}</dataType>",
             f"<isCollection>{str(collection).lower()}</isCollection>",
             f"<isInput>{str(input).lower()}</isInput>", f"<isOutput>{str(output).lower()}</isOutput>"]
    if object_type:
        parts.append(f"<objectType>{object_type}</objectType>")
    if scale is not None:
        parts.append(f"<scale>{scale}</scale>")
    if default is not None:
        parts.append(f"<value>{default}</value>")
    return f"<variables>{''.join(parts)}</variables>"


def record_var(name: str, object_type: str, *, collection: bool = False, input: bool = False,
               output: bool = True) -> str:
    return var(name, "SObject", input=input, output=output, collection=collection, object_type=object_type)


def _filters(filters: Sequence[Filter], logic: str | None) -> str:
    out = f"<filterLogic>{logic}</filterLogic>" if logic else ""
    for field, operator, value in filters:
        value_xml = f"<value>{value}</value>" if value is not None else ""
        out += f"<filters><field>{field}</field><operator>{operator}</operator>{value_xml}</filters>"
    return out


def _ends(next_: str | None, fault: str | None) -> str:
    return connector(next_) + connector(fault, "faultConnector")


def lookup(name: str, obj: str, filters: Sequence[Filter] = (), *, logic: str | None = "and",
           first_only: bool = True, sort: tuple[str, str] | None = None, limit: str | None = None,
           output_reference: str | None = None, queried: Sequence[str] = (),
           assignments: Mapping[str, str] | None = None, assign_null: bool | None = None,
           auto: bool | None = None, next_: str | None = None, fault: str | None = None) -> str:
    """A `<recordLookups>`; *auto* defaults to true unless another output style is chosen."""
    if auto is None:
        auto = output_reference is None and not assignments
    body = f"<name>{name}</name><label>{name}</label>{LOC}"
    if assign_null is not None:
        body += f"<assignNullValuesIfNoRecordsFound>{str(assign_null).lower()}</assignNullValuesIfNoRecordsFound>"
    body += _ends(next_, fault) + _filters(filters, logic if filters else None)
    body += f"<getFirstRecordOnly>{str(first_only).lower()}</getFirstRecordOnly>"
    if limit is not None:
        body += f"<limit>{limit}</limit>"
    body += f"<object>{obj}</object>"
    for source, target in (assignments or {}).items():
        body += (f"<outputAssignments><assignToReference>{target}</assignToReference>"
                 f"<field>{source}</field></outputAssignments>")
    if output_reference:
        body += f"<outputReference>{output_reference}</outputReference>"
    body += "".join(f"<queriedFields>{field}</queriedFields>" for field in queried)
    if sort:
        body += f"<sortField>{sort[0]}</sortField><sortOrder>{sort[1]}</sortOrder>"
    body += f"<storeOutputAutomatically>{str(auto).lower()}</storeOutputAutomatically>"
    return f"<recordLookups>{body}</recordLookups>"


def _assignments(values: Mapping[str, str] | None) -> str:
    return "".join(f"<inputAssignments><field>{field}</field><value>{value}</value></inputAssignments>"
                   for field, value in (values or {}).items())


def create(name: str, obj: str | None = None, values: Mapping[str, str] | None = None, *,
           input_reference: str | None = None, assign_id_to: str | None = None, auto: bool | None = None,
           next_: str | None = None, fault: str | None = None) -> str:
    if auto is None:
        auto = input_reference is None and assign_id_to is None
    body = f"<name>{name}</name><label>{name}</label>{LOC}"
    if assign_id_to:
        body += f"<assignRecordIdToReference>{assign_id_to}</assignRecordIdToReference>"
    body += _ends(next_, fault) + _assignments(values)
    if input_reference:
        body += f"<inputReference>{input_reference}</inputReference>"
    if obj:
        body += f"<object>{obj}</object>"
    body += f"<storeOutputAutomatically>{str(auto).lower()}</storeOutputAutomatically>"
    return f"<recordCreates>{body}</recordCreates>"


def update(name: str, obj: str | None = None, filters: Sequence[Filter] = (),
           values: Mapping[str, str] | None = None, *, logic: str | None = "and",
           input_reference: str | None = None, next_: str | None = None, fault: str | None = None) -> str:
    body = f"<name>{name}</name><label>{name}</label>{LOC}" + _ends(next_, fault)
    body += _filters(filters, logic if filters else None) + _assignments(values)
    if input_reference:
        body += f"<inputReference>{input_reference}</inputReference>"
    if obj:
        body += f"<object>{obj}</object>"
    return f"<recordUpdates>{body}</recordUpdates>"


def delete(name: str, obj: str | None = None, filters: Sequence[Filter] = (), *, logic: str | None = "and",
           input_reference: str | None = None, next_: str | None = None, fault: str | None = None) -> str:
    body = f"<name>{name}</name><label>{name}</label>{LOC}" + _ends(next_, fault)
    body += _filters(filters, logic if filters else None)
    if input_reference:
        body += f"<inputReference>{input_reference}</inputReference>"
    if obj:
        body += f"<object>{obj}</object>"
    return f"<recordDeletes>{body}</recordDeletes>"


def assign(name: str, items: Iterable[tuple[str, str, str]], next_: str | None = None) -> str:
    """An `<assignments>`; items: (assignToReference, operator, `<value>` inner XML)."""
    rendered = "".join(f"<assignmentItems><assignToReference>{target}</assignToReference>"
                       f"<operator>{operator}</operator><value>{value}</value></assignmentItems>"
                       for target, operator, value in items)
    return f"<assignments><name>{name}</name><label>{name}</label>{LOC}{rendered}{connector(next_)}</assignments>"


def loop(name: str, collection: str, item: str | None, each: str, after: str | None = None) -> str:
    assign_to = f"<assignNextValueToReference>{item}</assignNextValueToReference>" if item else ""
    return (f"<loops><name>{name}</name><label>{name}</label>{LOC}{assign_to}"
            f"<collectionReference>{collection}</collectionReference><iterationOrder>Asc</iterationOrder>"
            f"{connector(each, 'nextValueConnector')}{connector(after, 'noMoreValuesConnector')}</loops>")


def rollback(name: str, next_: str | None = None) -> str:
    return f"<recordRollbacks><name>{name}</name><label>{name}</label>{LOC}{connector(next_)}</recordRollbacks>"


def fault_catcher(name: str = "On_Fault", target: str = "Fault", next_: str | None = None) -> str:
    """An assignment that copies `$Flow.FaultMessage` into *target*."""
    return assign(name, [(target, "Assign", ref("$Flow.FaultMessage"))], next_)


# --------------------------------------------------------------------------------------------- running


@dataclass
class Run:
    batch: BatchResult
    limits: GovernorLimits

    @property
    def results(self) -> list[Any]:
        return self.batch.results

    @property
    def one(self) -> Any:
        [result] = self.batch.results
        return result

    def outputs(self, index: int = 0) -> dict[str, Any]:
        result = self.batch.results[index]
        assert result.success, result.failure
        return result.outputs


class Harness:
    """Seeds, runs flows through an org on the store (one transaction a run, committed unless told otherwise)
    and reads the store back."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.org = Org.on_store(store, auth_factory=functools.partial(build_auth_service, password_hash_cost=4))

    def seed(self, object_name: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        tx = self.store.transaction()
        try:
            results = tx.insert(object_name, list(rows))
            assert all(r.success for r in results), [r.errors for r in results]
            tx.commit()
        finally:
            if tx.is_active:
                tx.rollback()
        return [r.id for r in results]

    def run(self, xml: str, inputs: Sequence[Mapping[str, Any] | None] = ({},), *, commit: bool = True,
            limits: GovernorLimits | None = None) -> Run:
        """Run one batch: committed unless *commit* is False or a governor limit ended it."""
        run = self.org.run(parse_flow_bytes(xml.encode(), api_name="Records_Test"), list(inputs), commit=commit,
                           limits=limits)
        assert run.limits is not None, "record-element flows run in a transaction"
        return Run(run.batch, run.limits)

    def query(self, soql: str) -> list[dict[str, Any]]:
        tx = self.store.transaction()
        try:
            return [dict(record) for record in run_soql(soql, tx, cache=self.org.queries).records]
        finally:
            tx.rollback()

    def count(self, object_name: str) -> int:
        return len(self.query(f"SELECT Id FROM {object_name}"))

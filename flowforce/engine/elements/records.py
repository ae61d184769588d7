"""Get/Create/Update/Delete Records: bulk steps over the record store (reference/flow-metadata.md §5.4–5.7).

All interviews waiting at the element share one SOQL query and/or one DML statement (H-BULK), and each
receives its own rows, ids or fault. Without a store attached to the context they fault with a message
saying so (and follow their fault connector like any DML failure would).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flowforce.engine.data.filters import FilterSet, field_path, freeze
from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.ports import RecordGateway
from flowforce.engine.program import Outcome, Program, Step
from flowforce.engine.values import to_decimal
from flowforce.metadata.model import RecordCreate, RecordDelete, RecordLookup, RecordUpdate
from flowforce.records.errors import DmlError, RecordError
from flowforce.records.record import Record
from flowforce.records.results import SaveResult, first_error
from flowforce.soql import SoqlError, ast
from flowforce.soql.equality import equality_key

TAIL = "You can look up ExceptionCode values in the SOAP API Developer Guide."


def dml_message(verb: str, error: DmlError) -> str:
    """§7.2 / confirmations.md §7: Salesforce appends '. ' even after a final period ('…today.. You…')."""
    return f"This error occurred when the flow tried to {verb} records: {error.status_code}: {error.message}. {TAIL}"


def update_message(ids: Sequence[str | None], error: DmlError) -> str:
    """confirmations.md §7, format B (Update Records with an input reference)."""
    listed = ", ".join(i for i in ids if i) or "null"
    return (f"The flow tried to update these records: {listed}. This error occurred: "
            f"{error.status_code}: {error.message}. {TAIL}")


class RecordElementStep(Step):
    bulk = True
    verb = "access"

    def run(self, iv: Interview) -> Step | None:  # pragma: no cover - bulk steps run through run_batch
        raise NotImplementedError

    def run_batch(self, interviews: Sequence[Interview]) -> list[Outcome]:
        gateway = interviews[0].context.records
        if gateway is None:
            return self.fault_all(interviews, f"This error occurred when the flow tried to {self.verb} records: "
                                              "no record store is attached to this run.")
        try:
            outcomes = self.execute(gateway, list(interviews))
        except SoqlError as error:
            return self.fault_all(interviews, lookup_message(error).replace("look up", self.verb, 1))
        except RecordError as error:
            return self.fault_all(interviews, f"This error occurred when the flow tried to {self.verb} records: "
                                              f"{error.status_code}: {error.message}. {TAIL}")
        return outcomes

    def execute(self, gateway: RecordGateway, interviews: list[Interview]) -> list[Outcome]:
        raise NotImplementedError

    @staticmethod
    def fault_all(interviews: Sequence[Interview], message: str) -> list[Outcome]:
        return [ElementFault(message) for _ in interviews]

    def done(self, iv: Interview, detail: str, changes: dict[str, Any] | None = None) -> Outcome:
        if iv.trace is not None:
            iv.record(self.entry(detail=detail, changes=changes))
        return self.next


class QueryingStep(RecordElementStep):
    """A step that reads rows with filters: Get Records, and Update/Delete Records by conditions."""

    object_name: str
    filters: FilterSet

    def select(self, gateway: RecordGateway, interviews: list[Interview], fields: Sequence[str],
               order: tuple[ast.OrderItem, ...] = (), limits: Sequence[int | None] | None = None
               ) -> tuple[dict[int, list[Record]], dict[int, Outcome], str]:
        """One SOQL query for every interview: {id(iv): rows}, faults, and the SOQL text for the trace.

        Interviews asking the same question share the rows. The common bulk case — ANDed filters where one
        equality value differs between interviews (`Id = {!recordId}`) — is one `field IN (…)` query whose rows
        are handed out by that field (soql/equality.py: SOQL's own `=`). Any other mix of questions asks the
        database each question on its own, still counted as one SOQL query, so no filter rule is written twice.
        """
        bound: dict[int, Any] = {}
        faults: dict[int, Outcome] = {}
        for iv in interviews:
            try:
                bound[id(iv)] = self.filters.bind(iv)
            except ElementFault as fault:
                faults[id(iv)] = fault
        questions = {freeze(values): values for values in bound.values()}
        if not questions:
            return {}, faults, ""
        caps = {id(iv): (limits[index] if limits else None) for index, iv in enumerate(interviews)}
        shared_cap = next(iter(set(caps.values()))) if len(questions) == 1 and len(set(caps.values())) == 1 else None
        extra: list[str] = []
        answers: dict[Any, list[Record] | SoqlError]
        if len(questions) == 1:
            [(key, values)] = questions.items()
            rows, soql = gateway.query(self.query(values, fields, order, shared_cap))
            answers = {key: rows}
        else:
            keyed = self.by_equality(gateway, questions, fields, order)
            if keyed is not None:
                answers, soql, extra = keyed
            else:
                answers, soql = self.each_question(gateway, questions, fields, order)
        results: dict[int, list[Record]] = {}
        handed: set[int] = set()

        def own(record: Record) -> Record:
            """Each interview gets its own record object; the first taker gets the fetched one."""
            if id(record) in handed:
                return record.copy()
            handed.add(id(record))
            return record

        for iv in interviews:
            values = bound.get(id(iv))
            if values is None:
                continue
            answer = answers[freeze(values)]
            if isinstance(answer, SoqlError):
                faults[id(iv)] = ElementFault(lookup_message(answer))
                continue
            cap = caps[id(iv)]
            kept = answer[:cap] if cap is not None else answer
            results[id(iv)] = [strip(own(record), extra) for record in kept]
        return results, faults, soql

    def query(self, values: Any, fields: Sequence[str], order: tuple[ast.OrderItem, ...], cap: int | None,
              where: ast.Condition | None = None) -> ast.Query:
        return ast.Query(self.object_name, tuple(field_path(f) for f in fields),
                         where=where if where is not None else self.filters.condition(values),
                         order_by=order, limit=cap)

    def by_equality(self, gateway: RecordGateway, questions: dict[Any, Any], fields: Sequence[str],
                    order: tuple[ast.OrderItem, ...]
                    ) -> tuple[dict[Any, list[Record] | SoqlError], str, list[str]] | None:
        """The `field IN (…)` query and its rows per question, or None when SOQL's `=` can't be mirrored."""
        position = self.filters.varying_equality(list(questions.values()))
        if position is None:
            return None
        field_name = self.filters.filters[position].field
        obj = gateway.registry.get(self.object_name)
        if "." in field_name or not obj.has_field(field_name):
            return None
        schema = obj.field(field_name)
        wanted = {key: equality_key(schema, values[position][2]) for key, values in questions.items()}
        if any(value is None for value in wanted.values()):
            return None
        extra = [] if any(name.lower() == schema.name.lower() for name in fields) else [schema.name]
        try:
            rows, soql = gateway.query(self.query(None, [*fields, *extra], order, None,
                                                  self.filters.in_condition(list(questions.values()), position)))
        except SoqlError:
            return None  # one interview's value was refused: ask each question alone, so only it faults
        found: dict[Any, list[Record]] = {}
        for row in rows:
            found.setdefault(equality_key(schema, row.get(schema.name)), []).append(row)
        return {key: found.get(value, []) for key, value in wanted.items()}, soql, extra

    def each_question(self, gateway: RecordGateway, questions: dict[Any, Any], fields: Sequence[str],
                      order: tuple[ast.OrderItem, ...]) -> tuple[dict[Any, list[Record] | SoqlError], str]:
        keys = list(questions)
        answers: dict[Any, list[Record] | SoqlError] = {}
        soql = ""
        for key, answer in zip(keys, gateway.query_each([self.query(questions[key], fields, order, None)
                                                          for key in keys])):
            if isinstance(answer, SoqlError):
                answers[key] = answer
            else:
                answers[key], soql = answer
        return answers, soql


def strip(record: Record, extra: Sequence[str]) -> Record:
    """Drop the fields queried only to match rows to interviews (their first path part)."""
    for name in extra:
        record.pop(name.split(".")[0], None)
    return record


def lookup_message(error: Exception) -> str:
    """confirmations.md §7 (weak capture): the query and its error on one line."""
    text = " ".join(line.strip() for line in str(getattr(error, "message", None) or error).splitlines()
                    if line.strip() and set(line.strip()) != {"^"})
    return f"This error occurred when the flow tried to look up records: {text}"


class RecordLookupStep(QueryingStep):
    verb = "look up"

    def __init__(self, node: RecordLookup, program: Program) -> None:
        super().__init__(node, program)
        self.lookup = node
        self.object_name = node.object
        self.filters = FilterSet(program, node.filters, node.filter_logic)
        self.limit = program.value(node.limit) if node.limit is not None else None
        self.output = program.references.setter(node.output_reference) if node.output_reference else None
        self.assignments = [(a.source, program.references.setter(a.assign_to_reference))
                            for a in node.output_assignments]
        order = (node.sort_order or "Asc").lower() == "desc"
        self.order = (ast.OrderItem(ast.FieldPath((node.sort_field,)), descending=order),) \
            if node.sort_field else ()

    def fields(self, gateway: RecordGateway) -> list[str]:
        node = self.lookup
        if node.queried_fields and not node.store_output_automatically:
            wanted = list(node.queried_fields)
        elif node.output_assignments and not node.store_output_automatically:
            wanted = [a.source for a in node.output_assignments]
        else:  # automatic output: every field (X-Skills "ALL fields are retrieved and stored")
            wanted = [field.name for field in gateway.registry.get(self.object_name).fields.values()]
        if not any(name.lower() == "id" for name in wanted):
            wanted.insert(0, "Id")
        return wanted

    def row_cap(self, iv: Interview) -> int | None:
        if self.lookup.get_first_record_only or self.lookup.output_assignments:
            return 1
        if self.limit is None:
            return None
        value = self.limit(iv)
        return None if value is None else int(to_decimal(value))

    def execute(self, gateway: RecordGateway, interviews: list[Interview]) -> list[Outcome]:
        caps = [self.row_cap(iv) for iv in interviews]
        rows, faults, soql = self.select(gateway, interviews, self.fields(gateway), self.order, caps)
        obj = gateway.registry.get(self.object_name)
        # Rows carry the schema's names; a source may spell one with the project's namespace (ns__Field__c).
        sources = {a.source: obj.field(a.source).name if obj.has_field(a.source) else a.source
                   for a in self.lookup.output_assignments}
        outcomes: list[Outcome] = []
        for iv in interviews:
            if id(iv) in faults:
                outcomes.append(faults[id(iv)])
                continue
            outcomes.append(self.store(iv, rows.get(id(iv), []), soql, sources))
        return outcomes

    def store(self, iv: Interview, found: list[Record], soql: str, sources: dict[str, str]) -> Outcome:
        node = self.lookup
        single = node.get_first_record_only
        # confirmations.md §6a: nothing found leaves null, for single records and collections alike.
        value: Any = (found[0] if found else None) if single else (found or None)
        changes: dict[str, Any] = {}
        if node.output_assignments:
            first = found[0] if found else None
            if first is not None or node.assign_null_values_if_no_records_found:
                for source, setter in self.assignments:
                    found_value = first.get(sources.get(source, source)) if first is not None else None
                    setter(iv, found_value)
                    changes[source] = found_value
        elif self.output is not None:
            self.output(iv, value)
            changes[node.output_reference or self.name] = value
        else:
            iv.values[self.key] = value
            changes[self.name] = value
        return self.done(iv, f"{len(found)} record(s): {soql}", changes)


class RecordWriteStep(QueryingStep):
    """Shared by Create/Update/Delete: input records per interview and one DML call for the group."""

    def records_from(self, iv: Interview, getter: Callable[[Interview], Any]) -> list[Record]:
        value = getter(iv)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, Record) for item in items):
            raise ElementFault(f"{self.name}: the input must be a record or a record collection")
        return list(items)


def save_grouped(gateway: RecordGateway, save: Callable[..., list[SaveResult]],
                 planned: list[tuple[Interview, Record]]) -> dict[int, list[tuple[Record, SaveResult]]]:
    """Every interview's records in one DML call per sObject type (one in practice), results per interview."""
    by_type: dict[str, list[tuple[Interview, Record]]] = {}
    for iv, record in planned:
        by_type.setdefault(record.sobject_type.lower(), []).append((iv, record))
    if not by_type:
        gateway.count_empty_dml()
    results: dict[int, list[tuple[Record, SaveResult]]] = {}
    for pairs in by_type.values():
        saved = save(pairs[0][1].sobject_type, [record for _, record in pairs], all_or_none=False,
                     ignore_readonly=True)
        for (iv, record), result in zip(pairs, saved):
            results.setdefault(id(iv), []).append((record, result))
    return results


class RecordCreateStep(RecordWriteStep):
    verb = "create"

    def __init__(self, node: RecordCreate, program: Program) -> None:
        super().__init__(node, program)
        self.create = node
        self.object_name = node.object or ""
        self.values = [(a.target, program.value(a.value)) for a in node.input_assignments]
        self.source = program.references.getter(node.input_reference, strict=False) \
            if node.input_reference else None
        self.id_target = program.references.setter(node.assign_record_id_to_reference) \
            if node.assign_record_id_to_reference else None

    def inputs(self, iv: Interview) -> list[Record]:
        if self.source is not None:
            return self.records_from(iv, self.source)
        return [Record(self.object_name, {field: getter(iv) for field, getter in self.values})]

    def execute(self, gateway: RecordGateway, interviews: list[Interview]) -> list[Outcome]:
        done: dict[int, Outcome] = {}
        planned: list[tuple[Interview, Record]] = []
        for iv in interviews:
            try:
                planned.extend((iv, record) for record in self.inputs(iv))
            except ElementFault as fault:
                done[id(iv)] = fault
        results = save_grouped(gateway, gateway.insert, planned)
        for iv in interviews:
            if id(iv) not in done:
                done[id(iv)] = self.settle(iv, results.get(id(iv), []))
        return [done[id(iv)] for iv in interviews]

    def settle(self, iv: Interview, pairs: list[tuple[Record, SaveResult]]) -> Outcome:
        failed = first_error([result for _, result in pairs])
        if failed is not None:
            return ElementFault(dml_message("create", failed))
        for record, result in pairs:
            record["Id"] = result.id
        ids = [result.id for _, result in pairs]
        if self.id_target is not None and ids:
            self.id_target(iv, ids[0])
        if self.create.store_output_automatically and self.source is None:
            iv.values[self.key] = ids[0] if ids else None
        return self.done(iv, f"created {len(ids)} record(s)", {"Id": ids[0] if len(ids) == 1 else ids})


class RecordUpdateStep(RecordWriteStep):
    verb = "update"

    def __init__(self, node: RecordUpdate, program: Program) -> None:
        super().__init__(node, program)
        self.update = node
        self.object_name = node.object or ""
        self.filters = FilterSet(program, node.filters, node.filter_logic)
        self.values = [(a.target, program.value(a.value)) for a in node.input_assignments]
        self.source = program.references.getter(node.input_reference, strict=False) \
            if node.input_reference else None
        #: "Update the record that triggered the flow": `$Record` with field values set by the element, when
        #: it meets the element's conditions (read on `$Record` in memory).
        self.triggering = (node.input_reference or "").strip().lower() == "$record"
        self.record_meets = program.record_conditions(node.filter_logic, node.filters) \
            if self.triggering and node.filters else None

    def triggering_records(self, iv: Interview) -> list[Record]:
        """`$Record` with the element's field values set on it (in a before-save flow that is the whole update:
        the values are saved with the record, without DML)."""
        record = iv.values.get("$record")
        if not isinstance(record, Record) or (self.record_meets is not None and not self.record_meets(iv)):
            return []
        values = {field: getter(iv) for field, getter in self.values}
        record.update(values)
        if iv.context.before_save:
            return []
        return [Record(record.sobject_type, {"Id": record.id, **values})] if values else [record]

    def related_records(self, iv: Interview, source: Callable[[Interview], Any]) -> list[Record]:
        """The referenced record(s); with field values (Flow Builder's "update records related to the record that
        triggered the flow", `inputReference=$Record.Account`), only those fields are set on each, by Id."""
        records = self.records_from(iv, source)
        if not self.values:
            return records
        values = {field: getter(iv) for field, getter in self.values}
        return [Record(record.sobject_type, {"Id": record.id, **values}) for record in records]

    def execute(self, gateway: RecordGateway, interviews: list[Interview]) -> list[Outcome]:
        done: dict[int, Outcome] = {}
        planned: list[tuple[Interview, Record]] = []
        if self.source is not None:
            for iv in interviews:
                try:
                    records = self.triggering_records(iv) if self.triggering else self.related_records(iv, self.source)
                except ElementFault as fault:
                    done[id(iv)] = fault
                    continue
                missing = next((r for r in records if not r.id), None)
                if missing is not None:
                    done[id(iv)] = ElementFault(update_message(
                        [], DmlError("MISSING_ARGUMENT", "Id not specified in an update call")))
                    continue
                planned.extend((iv, record) for record in records)
        else:
            rows, faults, _ = self.select(gateway, interviews, ["Id"])
            done.update(faults)
            for iv in interviews:
                if id(iv) in done:
                    continue
                try:
                    values = {field: getter(iv) for field, getter in self.values}
                except ElementFault as fault:
                    done[id(iv)] = fault
                    continue
                planned.extend((iv, Record(self.object_name, {"Id": row.id, **values}))
                               for row in rows.get(id(iv), []))
        in_memory = self.triggering and bool(interviews) and interviews[0].context.before_save
        outcomes = {} if in_memory else save_grouped(gateway, gateway.update, planned)
        for iv in interviews:
            if id(iv) in done:
                continue
            saved_pairs = outcomes.get(id(iv), [])
            failed = first_error([result for _, result in saved_pairs])
            if failed is None:
                done[id(iv)] = self.done(iv, f"updated {len(saved_pairs)} record(s)")
            elif self.source is not None:
                done[id(iv)] = ElementFault(update_message([record.id for record, _ in saved_pairs], failed))
            else:
                done[id(iv)] = ElementFault(dml_message("update", failed))
        return [done[id(iv)] for iv in interviews]


class RecordDeleteStep(RecordWriteStep):
    verb = "delete"

    def __init__(self, node: RecordDelete, program: Program) -> None:
        super().__init__(node, program)
        self.object_name = node.object or ""
        self.filters = FilterSet(program, node.filters, node.filter_logic)
        self.source = program.references.getter(node.input_reference, strict=False) \
            if node.input_reference else None

    def execute(self, gateway: RecordGateway, interviews: list[Interview]) -> list[Outcome]:
        done: dict[int, Outcome] = {}
        targets: list[tuple[Interview, str]] = []
        if self.source is not None:
            for iv in interviews:
                value = self.source(iv)
                items = value if isinstance(value, list) else ([] if value is None else [value])
                ids = [item.id if isinstance(item, Record) else item for item in items]
                targets.extend((iv, record_id) for record_id in ids if isinstance(record_id, str))
        else:
            rows, faults, _ = self.select(gateway, interviews, ["Id"])
            done.update(faults)
            targets.extend((iv, row.id) for iv in interviews for row in rows.get(id(iv), []) if row.id)
        if targets:
            results = gateway.delete(self.object_name or None, [record_id for _, record_id in targets],
                                     all_or_none=False)
        else:
            gateway.count_empty_dml()
            results = []
        per_interview: dict[int, list[SaveResult]] = {}
        for (iv, _), result in zip(targets, results):
            per_interview.setdefault(id(iv), []).append(result)
        for iv in interviews:
            if id(iv) in done:
                continue
            failed = first_error(per_interview.get(id(iv), []))
            done[id(iv)] = ElementFault(dml_message("delete", failed)) if failed is not None else \
                self.done(iv, f"deleted {len(per_interview.get(id(iv), []))} record(s)")
        return [done[id(iv)] for iv in interviews]

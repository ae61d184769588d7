"""A flow compiled for running: steps linked to steps, formulas parsed, references resolved — once.

`Program` is immutable after construction and shared by every interview of the flow version; `Step` is the
base class of the element handlers in `flowforce.engine.elements` (one module per element kind).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Union

from flowforce.engine.condition_logic import ConditionLogicError, combine
from flowforce.engine.faults import ElementFault, InputError, unknown_input_message
from flowforce.engine.interview import Interview, TraceEntry
from flowforce.engine.operators import COMPARATORS, HISTORY_OPERATORS
from flowforce.engine.references import Getter, ReferenceCompiler
from flowforce.engine.values import CoercionError, coerce, type_label
from flowforce.formula import FormulaError, compile_formula, parse_template
from flowforce.metadata.model import Condition, Connector, Flow, FlowValue, Node, RecordFilter, ValueKind

if TYPE_CHECKING:
    from flowforce.engine.context import RunContext

Outcome = Union["Step", None, ElementFault]
Predicate = Callable[[Interview], bool]


class FlowCompileError(ValueError):
    """The flow cannot run as written; the message names the flow version and the element."""

    def __init__(self, flow: Flow, element: str | None, message: str) -> None:
        self.flow = flow
        self.element = element
        where = f", element {element}" if element else ""
        super().__init__(f"Flow {flow.api_name} (version {flow.version}{where}): {message}")


class InterviewEnvironment:
    """The formula language's view of an interview: lenient reads (null propagates) and the clock."""

    __slots__ = ("iv",)

    def __init__(self, iv: Interview) -> None:
        self.iv = iv

    def resolve(self, reference: str) -> Any:
        return self.iv.program.references.getter(reference, strict=False)(self.iv)

    def now(self) -> Any:
        return self.iv.context.now()

    def today(self) -> Any:
        return self.iv.context.today()

    def prior(self, reference: str) -> Any:
        parts = reference.split(".", 1)
        if parts[0].lower() == "$record" and len(parts) == 2:
            return self.resolve(f"$Record__Prior.{parts[1]}")
        return None

    def is_new(self) -> bool:
        """ISNEW(): a record-triggered interview about a record being created (it has no prior record)."""
        values = self.iv.values
        return values.get("$record") is not None and values.get("$record__prior") is None and \
            self.iv.context.trigger_operation == "insert"


def constant_getter(value: Any) -> Getter:
    return lambda iv: value


def template_getter(template: Any) -> Getter:
    return lambda iv: template.render(InterviewEnvironment(iv))


class Step:
    """One element of a program. Non-bulk steps implement `run`; bulk steps override `run_batch`."""

    bulk: ClassVar[bool] = False
    #: Touches nothing outside the interview (no records, actions, other flows, rollbacks).
    pure: ClassVar[bool] = False

    def __init__(self, node: Node, program: Program) -> None:
        self.node = node
        self.program = program
        self.name = node.name
        self.key = node.name.lower()
        self.element_type = node.ELEMENT_TYPE
        self.label = node.label
        self.next: Step | None = None
        self.fault_target: Step | None = None

    def link(self) -> None:
        """Resolve connectors to steps; called once every step of the program exists."""
        self.next = self.program.step_for(getattr(self.node, "connector", None), self.name)
        self.fault_target = self.program.step_for(getattr(self.node, "fault_connector", None), self.name)

    def run(self, iv: Interview) -> Step | None:
        raise NotImplementedError

    def run_batch(self, interviews: Sequence[Interview]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for iv in interviews:
            try:
                outcomes.append(self.run(iv))
            except ElementFault as fault:
                outcomes.append(fault)
        return outcomes

    def entry(self, outcome: str | None = None, detail: str | None = None,
              changes: dict[str, Any] | None = None) -> TraceEntry:
        return TraceEntry(self.name, self.element_type, self.label, outcome, detail, changes)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class Program:
    """A runnable flow version."""

    def __init__(self, flow: Flow, step_types: Mapping[type[Node], type[Step]]) -> None:
        self.flow = flow
        self.variables = {name.lower(): var for name, var in flow.variables.items()}
        self.references = ReferenceCompiler(self)
        self._resources: dict[str, Getter] = {}
        self._compile_resources()
        self.steps: dict[str, Step] = {}
        for name, node in flow.nodes.items():
            step_type = step_types.get(type(node))
            if step_type is None:
                raise FlowCompileError(flow, name, f"{node.ELEMENT_TYPE} elements are not supported")
            self.steps[name.lower()] = self._guard(name, partial(step_type, node, self))
        for step in self.steps.values():
            self._guard(step.name, step.link)
        self.start = self.step_for(Connector(flow.start_target), None) if flow.start_target else None
        self._defaults = [
            (self.references.setter(var.name), self.value(var.value))
            for var in flow.variables.values() if var.value is not None
        ]
        #: Pure logic (no record elements, actions, subflows or record variables) can run without a store
        #: transaction — callers use this to skip opening one.
        self.needs_records = any(not step.pure for step in self.steps.values()) \
            or any(var.data_type == "SObject" for var in flow.variables.values())

    # ------------------------------------------------------------------------------------------ building

    def _guard(self, element: str | None, build: Callable[[], Any]) -> Any:
        try:
            return build()
        except FlowCompileError:
            raise
        except (FormulaError, ConditionLogicError, ValueError) as error:
            raise FlowCompileError(self.flow, element, str(error)) from None

    def _compile_resources(self) -> None:
        for name, formula in self.flow.formulas.items():
            compiled = self._guard(name, partial(compile_formula, formula.expression,
                                                 result_type=formula.data_type, scale=formula.scale))
            self._resources[name.lower()] = self._formula_getter(name, compiled)
        for name, template in self.flow.text_templates.items():
            parsed = self._guard(name, partial(parse_template, template.text))
            self._resources[name.lower()] = template_getter(parsed)
        for name, constant in self.flow.constants.items():
            self._resources[name.lower()] = constant_getter(constant.value.literal if constant.value else None)
        for name, choice in self.flow.choices.items():
            literal = choice.value.literal if choice.value else choice.choice_text
            self._resources[name.lower()] = constant_getter(literal)

    @staticmethod
    def _formula_getter(name: str, compiled: Any) -> Getter:
        def evaluate(iv: Interview) -> Any:
            try:
                return compiled.evaluate(InterviewEnvironment(iv))
            except FormulaError as error:
                # confirmations.md §6e (choice): a formula that fails faults the element reading it.
                raise ElementFault(f"The formula {name} could not be evaluated: {error}") from None

        return evaluate

    def resource_getter(self, key: str) -> Getter | None:
        return self._resources.get(key)

    def step_for(self, connector: Connector | None, owner: str | None) -> Step | None:
        if connector is None:
            return None
        step = self.steps.get(connector.target_reference.lower())
        if step is None:
            raise FlowCompileError(self.flow, owner,
                                   f"the connector goes to {connector.target_reference}, which does not exist")
        return step

    # ------------------------------------------------------------------------------------------ values

    def value(self, value: FlowValue | None, *, strict: bool = True) -> Getter:
        """A getter for a `FlowElementReferenceOrValue`; literals become constants."""
        if value is None or value.kind is ValueKind.NULL:
            return lambda iv: None
        if value.kind is ValueKind.REFERENCE:
            return self.references.getter(value.text or "", strict=strict)
        if value.kind is ValueKind.STRING:
            text = value.text or ""
            if "{!" in text:
                template = parse_template(text)
                return lambda iv: template.render(InterviewEnvironment(iv))
            return lambda iv: text
        if value.kind is ValueKind.FORMULA:
            compiled = compile_formula(value.text or "", result_type=value.formula_data_type)
            return self._formula_getter("expression", compiled)
        if value.kind in (ValueKind.NUMBER, ValueKind.BOOLEAN, ValueKind.DATE, ValueKind.DATETIME,
                          ValueKind.TIME):
            literal = value.literal
            return lambda iv: literal
        kind = value.kind.value

        def unsupported(iv: Interview) -> Any:
            raise ElementFault(f"values of kind {kind} are not supported by flowforce")

        return unsupported

    def condition(self, condition: Condition) -> Predicate:
        operator = condition.operator
        if operator in HISTORY_OPERATORS:
            return self._history_condition(condition)
        compare = COMPARATORS.get(operator)
        if compare is None:
            raise ValueError(f"unknown condition operator {operator}")
        left = self.references.getter(condition.left_value_reference, strict=False)
        right = self.value(condition.right_value, strict=False)
        return lambda iv: compare(left(iv), right(iv))

    def _history_condition(self, condition: Condition) -> Predicate:
        subject = condition.left_value_reference
        wanted_getter = self.value(condition.right_value, strict=False)

        def wanted(iv: Interview) -> bool:
            flag = wanted_getter(iv)
            return True if flag is None else bool(flag)

        if condition.operator == "HasError":
            key = subject.lower()
            return lambda iv: (key in iv.element_errors) == wanted(iv)
        if condition.operator == "WasVisited":
            key = subject.lower()
            return lambda iv: (key in iv.visited) == wanted(iv)
        # IsChanged: the $Record field differs from $Record__Prior; always false without a prior record.
        current = self.references.getter(subject, strict=False)
        parts = subject.split(".", 1)
        prior_path = f"$Record__Prior.{parts[1]}" if len(parts) == 2 else "$Record__Prior"
        prior = self.references.getter(prior_path, strict=False)

        def changed(iv: Interview) -> bool:
            if iv.values.get("$record__prior") is None:
                return False is wanted(iv)
            return (COMPARATORS["NotEqualTo"](current(iv), prior(iv))) == wanted(iv)

        return changed

    def record_conditions(self, logic: str | None, filters: Sequence[RecordFilter]) -> Predicate:
        """Record filters (field, operator, value) read as conditions on `$Record` in memory: entry conditions,
        and the conditions of an update of the triggering record."""
        return self.conditions(logic, [Condition(f"$Record.{f.field}", f.operator, f.value) for f in filters])

    def conditions(self, logic: str | None, conditions: Sequence[Condition],
                   formula: str | None = None) -> Predicate:
        """Conditions combined by their logic, or a `formula_evaluates_to_true` formula."""
        if (logic or "").strip().lower() == "formula_evaluates_to_true":
            if formula is None and conditions and conditions[0].right_value is not None:
                formula = conditions[0].right_value.text  # decision outcomes keep the formula here
            compiled = compile_formula(formula or "", result_type="Boolean")
            evaluate = self._formula_getter("condition formula", compiled)
            return lambda iv: evaluate(iv) is True
        predicates = [self.condition(condition) for condition in conditions]
        return combine(logic, predicates)

    # ------------------------------------------------------------------------------------------ interviews

    def new_interview(self, context: RunContext, inputs: Mapping[str, Any] | None = None, *,
                      index: int = 0, depth: int = 0, record: Any = None, prior: Any = None,
                      path: tuple[int, ...] | None = None, guid: str | None = None) -> Interview:
        """An interview at the start element, with defaults applied and then the caller's inputs.

        *record* and *prior* are `$Record` and `$Record__Prior` for record-triggered and scheduled runs.
        """
        iv = Interview(self, context, index=index, depth=depth, path=path, guid=guid)
        if record is not None:
            iv.values["$record"] = record
        if prior is not None:
            iv.values["$record__prior"] = prior
        for setter, getter in self._defaults:
            setter(iv, getter(iv))
        for name, value in (inputs or {}).items():
            variable = self.variables.get(name.lower())
            if variable is None or not variable.is_input:
                if name in self.flow.implicit_inputs:
                    continue
                raise InputError(unknown_input_message(name))
            try:
                converted = coerce(value, variable.data_type, object_type=variable.object_type,
                                   scale=variable.scale, is_collection=variable.is_collection)
            except CoercionError as error:
                expected = type_label(variable.data_type, variable.is_collection, variable.object_type)
                raise InputError(f"The input variable {variable.name} expects a {expected}: {error}") from None
            iv.values[variable.name.lower()] = converted
        iv.current = self.start
        return iv

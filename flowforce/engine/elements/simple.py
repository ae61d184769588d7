"""Small elements: Custom Error, Roll Back Records, Transform, legacy Step, and the non-headless ones."""

from __future__ import annotations

from typing import Any

from flowforce.engine.faults import ElementFault, UnhandledFault
from flowforce.engine.interview import CustomErrorInfo, Interview
from flowforce.engine.program import InterviewEnvironment, Program, Step
from flowforce.formula import parse_template
from flowforce.metadata.model import CustomError, Node, OrchestratedStage, Transform
from flowforce.metadata.model import Step as LegacyStep
from flowforce.records.record import Record


class CustomErrorStep(Step):
    """§5.11: the flow's `addError`. The message is kept on the interview and the path continues.

    Inside a record-triggered save the trigger machinery turns it into the record's error; anywhere else
    the context's `fail_on_custom_error` fails the interview with the message when it ends.
    """

    def __init__(self, node: CustomError, program: Program) -> None:
        super().__init__(node, program)
        self.messages = [(m.field_selection if m.is_field_error else None, parse_template(m.error_message))
                         for m in node.custom_error_messages]

    def run(self, iv: Interview) -> Step | None:
        env = InterviewEnvironment(iv)
        rendered = [CustomErrorInfo(self.name, field, template.render(env)) for field, template in self.messages]
        iv.custom_errors.extend(rendered)
        if iv.trace is not None:
            iv.record(self.entry(detail="; ".join(error.message for error in rendered)))
        return self.next


class RecordRollbackStep(Step):
    """§5.12: undo the record changes of the current transaction, then continue (typically on a fault path)."""

    def run(self, iv: Interview) -> Step | None:
        records = iv.context.records
        if records is not None:
            records.rollback_pending_changes()
        if iv.trace is not None:
            iv.record(self.entry(detail="pending record changes rolled back"))
        return self.next


class TransformStep(Step):
    """§5.13: build a value (usually one record) from mapped values; the element name is the output."""

    def __init__(self, node: Transform, program: Program) -> None:
        super().__init__(node, program)
        self.transform = node
        self.maps = []
        for group in node.transform_values:
            for action in group.transform_value_actions:
                if action.transform_type != "Map":
                    raise ValueError(f"transform type {action.transform_type} is not supported")
                self.maps.append((action.output_field_api_name, program.value(action.value)))

    def run(self, iv: Interview) -> Step | None:
        node = self.transform
        if node.data_type == "SObject" and not node.is_collection:
            output: Any = Record(node.object_type or "SObject", {field: get(iv) for field, get in self.maps if field})
        elif node.data_type == "Apex" and not node.is_collection:
            output = {field: get(iv) for field, get in self.maps if field}
        elif len(self.maps) == 1 and not node.is_collection:
            output = self.maps[0][1](iv)
        else:
            raise ElementFault(f"Transform {self.name}: collection transforms are not supported yet")
        iv.values[self.key] = output
        if iv.trace is not None:
            iv.record(self.entry(changes={self.name: output}))
        return self.next


class LegacyStepStep(Step):
    """Cloud Flow Designer's placeholder element: a no-op that follows its first connector."""

    def __init__(self, node: LegacyStep, program: Program) -> None:
        super().__init__(node, program)
        self.legacy = node

    def link(self) -> None:
        connectors = self.legacy.connectors
        self.next = self.program.step_for(connectors[0], self.name) if connectors else None

    def run(self, iv: Interview) -> Step | None:
        if iv.trace is not None:
            iv.record(self.entry())
        return self.next


class NotHeadlessStep(Step):
    """Screens and orchestration stages load but can't run without a person or an orchestrator (§5.14)."""

    def __init__(self, node: Node, program: Program) -> None:
        super().__init__(node, program)

    def link(self) -> None:
        self.next = None

    def run(self, iv: Interview) -> Step | None:
        if isinstance(self.node, OrchestratedStage):
            raise UnhandledFault(f"Orchestrator stage {self.name} isn't run: flowforce loads and checks "
                                 "Orchestrator flows but doesn't run orchestrations (stages and their steps)")
        raise UnhandledFault(f"{self.element_type} {self.name} can't run headless: flowforce runs flows "
                             "without a user interface")


"""Element handlers, one module per element kind, and the table that maps model nodes to them."""

from __future__ import annotations

from flowforce.engine.elements.action import ActionCallStep
from flowforce.engine.elements.assignment import AssignmentStep
from flowforce.engine.elements.collection_processor import CollectionProcessorStep
from flowforce.engine.elements.decision import DecisionStep
from flowforce.engine.elements.loop import LoopStep
from flowforce.engine.elements.records import (
    RecordCreateStep,
    RecordDeleteStep,
    RecordLookupStep,
    RecordUpdateStep,
)
from flowforce.engine.elements.simple import (
    CustomErrorStep,
    LegacyStepStep,
    NotHeadlessStep,
    RecordRollbackStep,
    TransformStep,
)
from flowforce.engine.elements.subflow import SubflowStep
from flowforce.engine.elements.wait import WaitStep
from flowforce.engine.program import Step
from flowforce.metadata import model

STEP_TYPES: dict[type[model.Node], type[Step]] = {
    model.Assignment: AssignmentStep,
    model.Decision: DecisionStep,
    model.Loop: LoopStep,
    model.RecordLookup: RecordLookupStep,
    model.RecordCreate: RecordCreateStep,
    model.RecordUpdate: RecordUpdateStep,
    model.RecordDelete: RecordDeleteStep,
    model.Subflow: SubflowStep,
    model.ActionCall: ActionCallStep,
    model.CollectionProcessor: CollectionProcessorStep,
    model.CustomError: CustomErrorStep,
    model.RecordRollback: RecordRollbackStep,
    model.Transform: TransformStep,
    model.Wait: WaitStep,
    model.Step: LegacyStepStep,
    model.Screen: NotHeadlessStep,
    model.OrchestratedStage: NotHeadlessStep,
    model.ApexPluginCall: ActionCallStep,
}

__all__ = ["STEP_TYPES"]

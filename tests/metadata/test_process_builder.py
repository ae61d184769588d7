"""Process Builder files load with a warning saying flowforce never fires them (corpus: NebulaLogger, MAS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowforce.metadata.project import FlowLibrary

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "flow-corpus"
FILES = [
    ("jongpie__NebulaLogger/Account_Process_Logger_Example", "Workflow"),
    ("sfdx-mass-action-scheduler__sfdx-mass-action-scheduler/MAS_Batch_Apex_Error_Event", "CustomEvent"),
]


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/flow-corpus is not beside the project")
@pytest.mark.parametrize(("name", "process_type"), FILES)
def test_a_process_builder_file_says_it_is_never_fired(name: str, process_type: str) -> None:
    [loaded] = list(FlowLibrary.load([CORPUS / f"{name}.flow-meta.xml"]))
    assert loaded.flow.process_type == process_type
    assert (f"a Process Builder process (processType {process_type}): Salesforce retired Process Builder and no "
            "longer lets you edit one; flowforce never fires it on record changes or events — migrate it to a "
            "record-triggered flow") in [problem.message for problem in loaded.warnings]

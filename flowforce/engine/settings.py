"""Knobs of the interpreter, with Salesforce's values as defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EngineSettings:
    #: reference/flow-metadata.md §7.4: 10,000 ms of CPU per synchronous transaction.
    cpu_time_limit_ms: int = 10_000
    #: confirmations.md §8: "Number of iterations exceeded" at 2,000 executed elements when apiVersion < 57.
    legacy_element_limit: int = 2_000
    legacy_element_limit_below_api: int = 57
    #: Safety cap for flows without the legacy limit, so a runaway loop ends with a clear error.
    max_elements_per_interview: int = 5_000_000
    #: Depth of nested subflows (UNCONFIRMED on Salesforce; Apex's stack depth is about 1,000).
    max_subflow_depth: int = 50
    #: confirmations.md §6c: RemovePosition counts from 1 (UNCONFIRMED; one switch).
    remove_position_base: int = 1
    #: H-BULK: successful record changes are saved again up to three times after a failure.
    bulk_retry_attempts: int = 3
    #: Keep an element-by-element trace for each interview.
    trace: bool = True

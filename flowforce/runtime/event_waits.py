"""Paused interviews resumed by a platform event (reference/flow-metadata.md §5.16): a Wait whose event type is
`X__e` resumes, along that event's connector, when an `X__e` message is published that meets the event's resume
conditions. Publishing queues one job (it runs after the publishing transaction commits); the job finds the
interviews paused on that event type and resumes each matching one in the job's transaction, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from flowforce.engine.elements.wait import WaitStep
from flowforce.engine.interview import Interview
from flowforce.engine.program import Program
from flowforce.engine.serialize import InterviewStateError, load
from flowforce.records.record import Record
from flowforce.runtime.interviews import PAUSED
from flowforce.runtime.lifecycle import interview_row, run_resumed
from flowforce.runtime.trigger_jobs import loaded_program

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction
    from flowforce.runtime.org import Org

EVENT_RESUME_JOB = "flow.event-resume"


def register_event_wait_jobs(org: Org) -> None:
    org.jobs.register(EVENT_RESUME_JOB, lambda tx, payload: resume_waiting(org, tx, payload))


def queue_event_resume(org: Org, tx: Transaction, event_type: str, ids: list[str]) -> None:
    org.jobs.enqueue(tx, EVENT_RESUME_JOB, {"object": event_type, "ids": ids})


def resume_waiting(org: Org, tx: Transaction, payload: dict[str, Any]) -> None:
    event_type = str(payload["object"])
    waiting = paused_on(org, tx, event_type)
    if not waiting:
        return
    for message in tx.retrieve(event_type, list(payload["ids"])):
        for interview_id in waiting:
            found = matching_event(org, tx, interview_id, event_type, message) if message is not None else None
            if found is not None:
                org.jobs.cancel(tx, interview_id)  # its time-based resume, if it had one
                run_resumed(org, tx, interview_id, found[0], 0, found[1])


def paused_on(org: Org, tx: Transaction, event_type: str) -> list[str]:
    """Interviews whose saved state mentions the event type (each is checked properly before it resumes)."""
    table = org.interviews.table
    pattern = f"%{event_type.lower()}%"
    query = sa.select(table.c.id).where(sa.func.lower(table.c.state).like(pattern)).order_by(table.c.updated_at)
    return [str(value) for value in tx.connection.execute(query).scalars()]


def matching_event(org: Org, tx: Transaction, interview_id: str, event_type: str, message: Record
                   ) -> tuple[str, dict[str, Any]] | None:
    row = interview_row(tx, interview_id)
    stored = org.interviews.stored(interview_id, tx.connection)
    if row is None or row["InterviewStatus"] != PAUSED or stored is None or stored.state is None:
        return None

    def program_of(name: str, version: int) -> Program:
        program = loaded_program(org, name, version)
        if program is None:
            raise LookupError(f"{name} version {version}")
        return program

    try:
        iv: Interview = load(stored.state, program_of, org.run_context(None))
    except (LookupError, InterviewStateError):
        return None
    while iv.child is not None:
        iv = iv.child
    step = iv.current
    return step.event_arrived(iv, event_type, message) if isinstance(step, WaitStep) else None

"""Schedule-triggered flows (`start.triggerType` Scheduled): the next run of each active one is a queued job.

reference/flow-metadata.md §8.2: at each occurrence of `start.schedule` (its start date and time, then
Once / Hourly / Daily / Weekly / Monthly / Yearly, stepped by `dateutil.rrule`), a flow with an object runs
one interview per record that meets its filters, in batches of 200 each in its own transaction; a flow
without an object runs one interview. The job that starts an occurrence queues the batches and the next
occurrence, keyed by flow version so that several processes on one database queue it once. Times are UTC
(flowforce has no org time zone). The org's clock drives it: advancing a frozen clock past an occurrence runs it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from dateutil import rrule

from flowforce.metadata.model import Flow, Schedule
from flowforce.records.record_io import chunks
from flowforce.runtime.trigger_jobs import loaded_program, queue_runs, run_job
from flowforce.runtime.trigger_runs import CHUNK
from flowforce.runtime.versions import ACTIVE

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction
    from flowforce.runtime.org import Org

SCHEDULE_JOB = "flow.schedule"
FREQUENCIES = {"Hourly": rrule.HOURLY, "Daily": rrule.DAILY, "Weekly": rrule.WEEKLY, "Monthly": rrule.MONTHLY,
               "Yearly": rrule.YEARLY}


def first_moment(schedule: Schedule) -> dt.datetime | None:
    if schedule.start_date is None:
        return None
    moment = dt.datetime.combine(schedule.start_date, schedule.start_time or dt.time())
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def next_run(schedule: Schedule, after: dt.datetime, *, inclusive: bool = True) -> dt.datetime | None:
    """The first occurrence at or after *after* (strictly after unless *inclusive*); None when none is left."""
    start = first_moment(schedule)
    if start is None:
        return None
    if schedule.frequency not in FREQUENCIES:  # Once (and OnActivate): the start moment only
        return start if start > after or (inclusive and start == after) else None
    until = None
    if schedule.end_date is not None:
        until = dt.datetime.combine(schedule.end_date, schedule.end_time or dt.time.max).replace(tzinfo=dt.UTC)
    rule = rrule.rrule(FREQUENCIES[schedule.frequency], dtstart=start, until=until,
                       interval=max(schedule.frequency_number or 1, 1))
    found: dt.datetime | None = rule.after(after, inc=inclusive)
    return found


def schedule_key(flow: Flow) -> str:
    return f"schedule:{flow.api_name.lower()}:{flow.version}"


def sync_schedules(org: Org) -> None:
    """Queue the next occurrence of every active scheduled flow that has none queued (start-up, activation)."""
    now = org.clock.now()
    for trigger in org.triggers.index().scheduled:
        flow = trigger.flow
        schedule = flow.start.schedule if flow.start is not None else None
        key = schedule_key(flow)
        if schedule is None or org.jobs.jobs(kind=SCHEDULE_JOB, status="queued", key=key, limit=1):
            continue
        due = next_run(schedule, now)
        if due is not None:
            with org.store.transaction(system=True) as tx:
                org.jobs.enqueue(tx, SCHEDULE_JOB, {"flow": flow.api_name, "version": flow.version,
                                                    "at": due.isoformat()}, run_at=due, key=key)


def register_schedule_jobs(org: Org) -> None:
    org.jobs.register(SCHEDULE_JOB, lambda tx, payload: run_occurrence(org, tx, payload))


def run_occurrence(org: Org, tx: Transaction, payload: dict[str, Any]) -> None:
    """One occurrence: queue its batches, then the next occurrence (unless the version is no longer active)."""
    program = loaded_program(org, payload["flow"], int(payload["version"]))
    loaded = org.loaded_flows.get(payload["flow"], int(payload["version"]))
    start = program.flow.start if program is not None else None
    if program is None or loaded is None or loaded.effective_status != ACTIVE or start is None \
            or start.schedule is None:
        return  # deleted or deactivated since: its schedule ends here
    batches = chunks(matching_ids(tx, start.object), CHUNK) if start.object else [[]]
    queue_runs(org, tx, [run_job(program, path=None, object_name=start.object, ids=ids, user_id=None, batched=False)
                         for ids in batches])
    due = next_run(start.schedule, dt.datetime.fromisoformat(payload["at"]), inclusive=False)
    now = org.clock.now()
    if due is not None and due < now:  # occurrences missed while nothing ran are skipped, not replayed
        due = next_run(start.schedule, now)
    if due is not None:
        org.jobs.enqueue(tx, SCHEDULE_JOB, {**payload, "at": due.isoformat()}, run_at=due,
                         key=schedule_key(program.flow))


def matching_ids(tx: Transaction, object_name: str) -> list[str]:
    """Every live record of the object, oldest first; the batches apply the flow's filters to each record."""
    table = tx.tables.table(tx.registry.get(object_name).name)
    query = sa.select(table.c.id).where(table.c.isdeleted.is_(sa.false())).order_by(table.c.id)
    return [str(value) for value in tx.connection.execute(query).scalars()]

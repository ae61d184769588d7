"""`POST /_flowforce/reset`: back to a fresh org between tests — the data, the interviews, the queued work and
the outbox emptied, the project's flow files read again. Users, profiles, permission sets, groups, record
types and connected apps stay, so the caller's session keeps working."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from flowforce.jobs.table import QUEUED
from flowforce.runtime.flow_records import FLOW_INTERVIEW
from flowforce.runtime.interviews import PURGE_JOB

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

#: The org's own setup, kept by a reset.
KEPT_OBJECTS = frozenset({"user", "profile", "permissionset", "group", "organization", "recordtype"})


def reset_org(org: Org) -> dict[str, int]:
    """Delete every data record, interview, queued job (but the daily purge) and outbox message; returns how
    many records and messages went."""
    deleted = 0
    with org.store.engine.begin() as conn:
        for obj in org.registry:
            if obj.name.lower() in KEPT_OBJECTS or not (obj.createable or obj.name == FLOW_INTERVIEW):
                continue
            deleted += int(conn.execute(org.store.tables.table(obj.name).delete()).rowcount or 0)
        conn.execute(org.interviews.table.delete())
        jobs = org.jobs.table
        conn.execute(jobs.delete().where(jobs.c.status != QUEUED))
        conn.execute(jobs.delete().where(jobs.c.status == QUEUED, jobs.c.kind != PURGE_JOB))
        messages = int(conn.execute(sa.select(sa.func.count()).select_from(org.outbox.table)).scalar() or 0)
        conn.execute(org.outbox.table.delete())
    org.reload_files()
    return {"recordsDeleted": deleted, "messagesDeleted": messages}

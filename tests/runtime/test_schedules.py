"""Schedule-triggered flows: occurrences stepped by dateutil.rrule from the start date and time, and a flow
without an object running one interview at each occurrence, driven by the org's clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.metadata.model import Schedule
from flowforce.runtime import Org
from flowforce.runtime.schedules import next_run
from flowforce.settings import load_settings
from flowforce.soql import run_soql

from .conftest import CHEAP_AUTH


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


START = dict(start_date=dt.date(2026, 3, 2), start_time=dt.time(6, 30))  # a Monday


@pytest.mark.parametrize(("schedule", "after", "expected"), [
    (Schedule(frequency="Once", **START), at("2026-03-01T00:00"), at("2026-03-02T06:30")),
    (Schedule(frequency="Once", **START), at("2026-03-02T06:30"), at("2026-03-02T06:30")),
    (Schedule(frequency="Once", **START), at("2026-03-02T06:31"), None),
    (Schedule(frequency="Daily", **START), at("2026-03-05T07:00"), at("2026-03-06T06:30")),
    (Schedule(frequency="Weekly", **START), at("2026-03-03T00:00"), at("2026-03-09T06:30")),
    (Schedule(frequency="Daily", end_date=dt.date(2026, 3, 3), **START), at("2026-03-03T07:00"), None),
])
def test_next_occurrence(schedule: Schedule, after: dt.datetime, expected: dt.datetime | None) -> None:
    assert next_run(schedule, after) == expected


NIGHTLY = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Nightly Note</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Note</targetReference></connector>
        <schedule><frequency>Daily</frequency><startDate>2026-03-02</startDate><startTime>23:00:00.000Z</startTime>
        </schedule><triggerType>Scheduled</triggerType></start>
    <recordCreates><name>Note</name><label>Note</label>
        <inputAssignments><field>Subject</field><value><stringValue>Nightly {!$Flow.CurrentDate}</stringValue>
        </value></inputAssignments>
        <object>Task</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
</Flow>
"""


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Org]:
    flows = tmp_path / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (tmp_path / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}]}')
    (flows / "Nightly_Note.flow-meta.xml").write_text(NIGHTLY)
    settings = load_settings(project_dir=tmp_path, database_url="sqlite://", clock="2026-03-02T12:00:00Z")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as opened:
        yield opened


def notes(org: Org) -> list[str]:
    with org.transaction() as tx:
        return [row["Subject"] for row in run_soql("SELECT Subject FROM Task ORDER BY Subject", tx).records]


def test_a_flow_without_an_object_runs_once_per_occurrence(org: Org) -> None:
    org.advance_clock(to=at("2026-03-02T22:59"))
    assert notes(org) == []
    org.advance_clock(to=at("2026-03-02T23:00"))
    assert notes(org) == ["Nightly 2026-03-02"]
    org.advance_clock(to=at("2026-03-03T23:00"))
    assert notes(org) == ["Nightly 2026-03-02", "Nightly 2026-03-03"]
    org.advance_clock(to=at("2026-03-06T23:30"))  # three nights missed at once: one run, the rest skipped
    assert notes(org) == ["Nightly 2026-03-02", "Nightly 2026-03-03", "Nightly 2026-03-06"]

"""What an interview may reach outside itself: the clock, the running user, actions, other flows, records.

A `RunContext` is shared by every interview of one transaction. The engine never imports the API layer;
callers (CLI, REST) build a context and hand it in.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flowforce.clock import SYSTEM_CLOCK, Clock
from flowforce.engine.journal import ActionJournal
from flowforce.engine.ports import FlowSource, RecordGateway
from flowforce.engine.settings import EngineSettings
from flowforce.records.errors import LimitException
from flowforce.records.record import Record
from flowforce.records.schema import find_label

if TYPE_CHECKING:
    from flowforce.actions.registry import ActionRegistry


@dataclass
class CpuBudget:
    """Salesforce's CPU-time governor for one transaction (reference/flow-metadata.md §7.4).

    It reads the running thread's CPU time: a transaction runs on one thread from start to end, and
    process-wide time would charge each transaction for every other one running beside it.
    """

    limit_ms: int
    started: float | None = None

    def start(self) -> None:
        """The clock starts with the transaction's first interview, not when the context was built."""
        if self.started is None:
            self.started = time.thread_time()

    def used_ms(self) -> float:
        return 0.0 if self.started is None else (time.thread_time() - self.started) * 1000

    def check(self) -> None:
        if self.used_ms() > self.limit_ms:
            raise LimitException("Apex CPU time limit exceeded")


def default_user() -> Record:
    return Record("User", {
        "Id": "005000000000001AAA", "Username": "admin@flowforce.local", "Email": "admin@flowforce.local",
        "FirstName": "Flow", "LastName": "Admin", "Name": "Flow Admin", "Alias": "fadmin",
        "ProfileId": "00e000000000001AAA", "TimeZoneSidKey": "GMT", "LanguageLocaleKey": "en_US",
        "LocaleSidKey": "en_US", "IsActive": True,
    })


def default_organization() -> Record:
    return Record("Organization", {
        "Id": "00D000000000001AAA", "Name": "flowforce", "OrganizationType": "Developer Edition",
        "TimeZoneSidKey": "GMT", "LanguageLocaleKey": "en_US", "IsSandbox": False,
    })


@dataclass
class RunContext:
    """Everything one transaction's interviews share."""

    settings: EngineSettings = field(default_factory=EngineSettings)
    actions: ActionRegistry | None = None
    flows: FlowSource | None = None
    records: RecordGateway | None = None
    user: Record = field(default_factory=default_user)
    organization: Record = field(default_factory=default_organization)
    profile: Record | None = None
    user_role: Record | None = None
    #: Reads a record by (object, id) for `$Profile` / `$UserRole` when they were not given: only flows that
    #: use them pay for the read.
    record_reader: Callable[[str, str], Record | None] | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    #: `$CustomMetadata.Type__mdt.Record.Field__c` → the value (the project's custom metadata records)
    custom_metadata: Callable[[str, str, str], Any] | None = None
    #: `$Setup.Setting__c.Field__c` for a user id → the value (hierarchy custom settings)
    custom_settings: Callable[[str, str, str | None], Any] | None = None
    #: `$Permission.Name` for a user id → whether their profile or a permission set enables it
    custom_permissions: Callable[[str, str | None], bool] | None = None
    session_id: str | None = None
    instance_url: str = "http://127.0.0.1:8000"
    clock: Clock = SYSTEM_CLOCK
    cpu: CpuBudget | None = None
    #: Outside a record-triggered save there is no record to attach a Custom Error to: fail the interview.
    fail_on_custom_error: bool = True
    #: "insert", "update" or "delete" while record-triggered interviews run for that DML (ISNEW()).
    trigger_operation: str | None = None
    #: In a before-save flow, updating `$Record` changes it in memory: it is saved with the record, no DML.
    before_save: bool = False
    #: Action results of the running batch, replayed when the batch re-runs its surviving interviews.
    journal: ActionJournal = field(default_factory=ActionJournal)

    def __post_init__(self) -> None:
        if self.cpu is None:
            self.cpu = CpuBudget(self.settings.cpu_time_limit_ms)

    def label(self, name: str) -> str | None:
        return find_label(self.labels, name)

    def custom_metadata_value(self, parts: tuple[str, ...]) -> Any:
        if self.custom_metadata is None or len(parts) != 4:
            return None
        return self.custom_metadata(parts[1], parts[2], parts[3])

    def setup_value(self, parts: tuple[str, ...]) -> Any:
        if self.custom_settings is None or len(parts) != 3:
            return None
        return self.custom_settings(parts[1], parts[2], self.user.get("Id"))

    def has_custom_permission(self, name: str) -> bool:
        return self.custom_permissions is not None and self.custom_permissions(name, self.user.get("Id"))

    def global_record(self, object_type: str) -> Record | None:
        """The record behind `$User`, `$Profile`, `$UserRole` or `$Organization` (by its object type)."""
        if object_type == "User":
            return self.user
        if object_type == "Organization":
            return self.organization
        if object_type == "Profile":
            if self.profile is None:
                self.profile = self._read_referenced("ProfileId", "Profile")
            return self.profile
        if object_type == "UserRole":
            if self.user_role is None:
                self.user_role = self._read_referenced("UserRoleId", "UserRole")
            return self.user_role
        return None

    def _read_referenced(self, field_name: str, object_type: str) -> Record | None:
        record_id = self.user.get(field_name)
        if self.record_reader is None or not isinstance(record_id, str):
            return None
        return self.record_reader(object_type, record_id)


    def now(self) -> dt.datetime:
        return self.clock.now()

    def today(self) -> dt.date:
        return self.clock.now().date()

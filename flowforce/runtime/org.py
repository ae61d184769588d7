"""`Org`: the one composition root. Every entry point — the REST API, every CLI command, workers, the console,
the pytest plugin — builds an org the same way and asks it to run flows; none assembles the parts by hand.

An org is a project (flows + schema) over a record store, with auth, the action registry, the engine and one
clock. `Org.run` is the only implementation of "one call = one transaction": interviews batched, the
successful ones committed unless a governor limit fired, after-commit work run only then.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from flowforce.actions.defaults import default_registry
from flowforce.actions.project import project_registry
from flowforce.actions.registry import ActionRegistry, ActionResult, InvocableAction
from flowforce.clock import ControllableClock
from flowforce.engine.batch import BatchResult
from flowforce.engine.context import RunContext, default_organization, default_user
from flowforce.engine.engine import FlowEngine, UnknownFlowError
from flowforce.engine.program import Program
from flowforce.engine.settings import EngineSettings
from flowforce.jobs import JobQueue, Worker
from flowforce.metadata.model import Flow
from flowforce.metadata.project import FlowLibrary, LoadFailure, file_sources
from flowforce.outbox import Outbox
from flowforce.outbox.transports import transports_from
from flowforce.records.custom_settings import setup_value_for
from flowforce.records.errors import InvalidCrossReferenceKey
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.record_io import load_rows
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction
from flowforce.runtime.deploy_org import ensure_organization
from flowforce.runtime.deploy_schema import read_deployed, registry_with
from flowforce.runtime.event_waits import register_event_wait_jobs
from flowforce.runtime.flow_records import sync_flow_records
from flowforce.runtime.gateway import StoreGateway
from flowforce.runtime.interviews import InterviewLedger
from flowforce.runtime.lifecycle import (
    needs_rows,
    register_interview_jobs,
    runs_async,
    schedule_purge,
    start_async,
)
from flowforce.runtime.run_mode import ObjectAccess, enforced_access
from flowforce.runtime.schedules import register_schedule_jobs, sync_schedules
from flowforce.runtime.trigger_hooks import FlowTriggers
from flowforce.runtime.trigger_jobs import register_trigger_jobs
from flowforce.runtime.versions import FlowVersionStore, version_statuses
from flowforce.settings import Settings, load_settings
from flowforce.soql import QueryCache

if TYPE_CHECKING:
    from flowforce.auth.service import AuthService


class RunAs(Protocol):
    """Who a run or a transaction acts for (an authenticated session satisfies it)."""

    @property
    def user_id(self) -> str: ...

    @property
    def session_id(self) -> str | None: ...

    @property
    def user_record(self) -> Any: ...


AuthFactory = Callable[[RecordStore, Settings], "AuthService"]


def secret_key(settings: Settings) -> str:
    """FLOWFORCE_SECRET_KEY, else the project's `.flowforce/secret.key` (created once, readable by its owner only)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.state_dir / "secret.key"
    if not path.exists():  # written aside, then linked into place: processes starting together agree on one
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"secret.key.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def build_auth_service(store: RecordStore, settings: Settings, **extra: Any) -> AuthService:
    """The real auth service (flowforce.auth), configured from settings and `[auth]` of flowforce.toml."""
    from flowforce.auth.service import AuthService
    from flowforce.auth.settings import AuthSettings

    options: dict[str, Any] = {**extra,
        "session_timeout_minutes": settings.session_timeout_minutes, "instance_url": settings.base_url,
        "login_url": settings.base_url, "org_name": settings.org_name,
        "max_login_failures": settings.max_login_failures, "lockout_minutes": settings.lockout_minutes,
        "login_burst_failures": settings.login_burst_failures, "secret_key": secret_key(settings),
    }
    if settings.org_id:
        options["org_id"] = settings.org_id
    service = AuthService(store, AuthSettings(**options))
    service.ensure_schema()
    if settings.auth:
        service.configure_from(settings.auth)
    return service


@lru_cache(maxsize=8)
def organization_record(org_id: str, name: str) -> Record:
    """`$Organization`: built once per org (globals are read-only in the engine, so it is shared)."""
    organization = default_organization()
    organization["Id"] = org_id
    organization["Name"] = name
    return organization


@dataclass
class FlowRun:
    """What one `Org.run` did: the batch's results, and the limits its transaction used (None when the flow
    needed no transaction: pure logic touches no records)."""

    batch: BatchResult
    limits: GovernorLimits | None
    committed: bool
    #: CPU time the transaction's thread spent on the run (the governor's reading).
    cpu_ms: float = 0.0
    #: Input index → the FlowInterview row kept for it (paused, failed, asynchronous or asked for).
    interview_ids: dict[int, str] = field(default_factory=dict)


def clock_from(setting: str | None) -> ControllableClock:
    """`FLOWFORCE_CLOCK`: unset → real time; `frozen` → frozen now; an ISO-8601 instant → frozen there."""
    if not setting:
        return ControllableClock()
    if setting.strip().lower() == "frozen":
        return ControllableClock(ControllableClock().now())
    moment = dt.datetime.fromisoformat(setting.strip().replace("Z", "+00:00"))
    return ControllableClock(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))


def cpu_ms(context: RunContext) -> float:
    return context.cpu.used_ms() if context.cpu is not None else 0.0


class Org:
    def __init__(self, settings: Settings, *, registry: SchemaRegistry, library: FlowLibrary, store: RecordStore,
                 auth: AuthService, actions: ActionRegistry, clock: ControllableClock | None = None) -> None:
        self.settings = settings
        self.registry = registry
        self._library = library
        self.store = store
        self.auth = auth
        self.actions = actions
        self.clock = clock if clock is not None else ControllableClock()
        self.engine = FlowEngine(library)
        self._file_failures: list[LoadFailure] = []
        self.engine_settings = EngineSettings(trace=settings.trace)
        self.queries = QueryCache()
        self._globals: dict[tuple[str, str], Record | None] = {}
        self.versions = FlowVersionStore(store)
        self._parsed: dict[Any, Any] = {}
        self._generation = self.versions.generation()
        self._checked = time.monotonic()
        self._refresh_lock = threading.Lock()
        self.jobs = JobQueue(store, self.clock)
        self.interviews = InterviewLedger(store, self.jobs)
        register_interview_jobs(self)
        register_trigger_jobs(self)
        register_schedule_jobs(self)
        register_event_wait_jobs(self)
        self.triggers = FlowTriggers(self)
        store.hooks = self.triggers
        self.outbox = Outbox(store, self.jobs, self.clock, transports_from(settings),
                             max_attempts=settings.outbox_max_attempts)

    @classmethod
    def open(cls, settings: Settings, *, auth_factory: AuthFactory = build_auth_service,
             actions: ActionRegistry | None = None, clock: ControllableClock | None = None) -> Org:
        """The org of a project: its schema and flows loaded, its store opened and migrated, flow records synced."""
        clock = clock if clock is not None else clock_from(settings.clock)
        registry = registry_with(settings.project_dir, read_deployed(settings.database))
        actions = actions if actions is not None else project_registry(settings.project_dir, settings.actions,
                                                                      settings.named_credentials)
        store = RecordStore.open(settings.database, registry, clock=clock)
        try:
            auth = auth_factory(store, settings)
            org = cls(settings, registry=registry, library=FlowLibrary(), store=store, auth=auth, actions=actions,
                      clock=clock)
            org.reload_files()
            ensure_organization(org)
            schedule_purge(org)
        except BaseException:
            store.close()
            raise
        return org

    @classmethod
    def on_store(cls, store: RecordStore, *, library: FlowLibrary | None = None, settings: Settings | None = None,
                 auth_factory: AuthFactory = build_auth_service, actions: ActionRegistry | None = None) -> Org:
        """An org over a store someone already opened (tests and embedders that bring their own schema)."""
        settings = settings if settings is not None else Settings(database_url=store.url)
        clock = store.clock if isinstance(store.clock, ControllableClock) else ControllableClock()
        store.clock = clock
        return cls(settings, registry=store.registry, library=library if library is not None else FlowLibrary(),
                   store=store, auth=auth_factory(store, settings),
                   actions=actions if actions is not None else default_registry(), clock=clock)

    # --- flow versions --------------------------------------------------------------------------------------

    @property
    def library(self) -> FlowLibrary:
        """The flow versions as the org keeps them; a change another process made is picked up within
        `settings.flow_refresh_seconds`."""
        if time.monotonic() - self._checked >= self.settings.flow_refresh_seconds:
            self.refresh_flows()
        return self._library

    @property
    def loaded_flows(self) -> FlowLibrary:
        """The flow versions as last loaded, without looking for changes (safe inside a DML's transaction)."""
        return self._library

    def refresh_flows(self, *, force: bool = False) -> bool:
        """Rebuild the library when the stored versions changed; True when they had."""
        with self._refresh_lock:
            self._checked = time.monotonic()
            generation = self.versions.generation()
            if generation == self._generation and not force:
                return False
            self._library = FlowLibrary.build(self.versions.sources(), schema=self.registry, actions=self.actions,
                                              failures=self._file_failures, parsed=self._parsed)
            self.engine.catalog = self._library
            self._generation = generation
            return True

    def reload_files(self) -> bool:
        """Read the project's flow files again into the stored versions (start-up, `serve --reload`), rebuild the
        library and the flow records; True when anything changed."""
        files, self._file_failures = file_sources([self.settings.project_dir])
        changed = self.versions.reconcile(files)
        if self.refresh_flows(force=not self._library.names()) or changed:
            sync_flow_records(self.store, self._library)
        sync_schedules(self)
        return changed

    def set_flow_version(self, name: str, version: int, *, status: str | None = None,
                         description: str | None = None) -> None:
        """Activate or deactivate a version (activating one makes the active one Obsolete; deactivating leaves
        none active) and/or set its description — durably, for every process of the org."""
        loaded = self.library.get(name, version)
        if loaded is None:
            raise InvalidCrossReferenceKey(f"no version {version} of the flow {name}", [])
        statuses = version_statuses(self.library, loaded, status) if status is not None else {}
        with self.store.engine.begin() as conn:
            if statuses:
                self.versions.set_statuses(conn, statuses)
            if description is not None:
                self.versions.set_description(conn, loaded.flow.api_name, version, description)
        if self.refresh_flows():
            sync_flow_records(self.store, self._library)
        sync_schedules(self)

    # --- running flows --------------------------------------------------------------------------------------

    def version(self, name: str, version: int) -> Program:
        """The program of one version of a flow (a paused or queued interview keeps the version it began on)."""
        loaded = self.library.get(name, version)
        if loaded is None:
            raise UnknownFlowError(f"{name} version {version}")
        return self.engine.compiled(loaded.flow)

    def program(self, flow: str | Flow) -> Program:
        """The compiled program for a flow version, or for a name the version that runs (active, else latest)."""
        if isinstance(flow, Flow):
            return self.engine.compiled(flow)
        program = self.engine.program_for(flow)
        if program is None:
            raise UnknownFlowError(flow)
        return program

    def run_context(self, run_as: RunAs | None = None, *, trace: bool | None = None) -> RunContext:
        organization = organization_record(self.auth.org_id, self.settings.org_name)
        user = (run_as.user_record if run_as is not None else None) or default_user()
        return RunContext(
            settings=self.engine_settings if trace is None else replace(self.engine_settings, trace=trace),
            actions=self.actions, flows=self.engine, user=user, organization=organization,
            record_reader=self._platform_record, session_id=run_as.session_id if run_as is not None else None,
            instance_url=self.settings.base_url, clock=self.clock, labels=self.registry.labels,
            custom_metadata=self.registry.custom_metadata_value, custom_settings=self._setup_value,
            custom_permissions=self._has_custom_permission,
        )

    def _has_custom_permission(self, permission: str, user_id: str | None) -> bool:
        """`$Permission` in flows: enabled by the running user's profile or one of their permission sets."""
        if user_id is None or not self.registry.custom_permission_grants:
            return False
        return self.registry.grants_custom_permission(self.auth.users.permission_holders(user_id), permission)

    def _setup_value(self, setting: str, field: str, user_id: str | None) -> Any:
        """`$Setup` in flows: custom settings as committed (flows read them, they rarely write them)."""
        with self.store.reading() as conn:
            return setup_value_for(conn, self.store.tables, self.registry, setting, field, user_id)

    def _platform_record(self, object_name: str, record_id: str) -> Record | None:
        """`$Profile` / `$UserRole` records, read once per id (flows cannot change them)."""
        if not self.registry.has(object_name):
            return None
        key = (object_name, record_id)
        if key not in self._globals:
            with self.store.reading() as conn:
                self._globals[key] = load_rows(conn, self.store.tables, self.registry.get(object_name),
                                               [record_id]).get(record_id)
        return self._globals[key]

    def invoke(self, flow: str | Flow, inputs: Sequence[Mapping[str, Any] | None], *,
               run_as: RunAs | None = None, access: ObjectAccess | None = None) -> FlowRun:
        """What a REST invoke does: asynchronous flows (on-demand ones, `run = "async"` in flowforce.toml) are
        accepted and queued; the others run now, within *access* (the caller's object permissions) unless the
        flow runs in a system mode (run_mode.py)."""
        program = self.program(flow)
        if runs_async(program.flow, self.settings):
            return start_async(self, program, inputs, run_as)
        return self.run(program.flow, inputs, run_as=run_as, access=access)

    def run(self, flow: str | Flow, inputs: Sequence[Mapping[str, Any] | None], *, run_as: RunAs | None = None,
            commit: bool = True, trace: bool | None = None, limits: GovernorLimits | None = None,
            keep_rows: bool = False, access: ObjectAccess | None = None) -> FlowRun:
        """Run one interview per input, batched, in one transaction: commit what succeeded (unless *commit* is
        False), or nothing when a governor limit ended the transaction. Paused and failed interviews become
        FlowInterview rows (every one with *keep_rows*); `FlowRun.interview_ids` names them."""
        program = self.program(flow)
        context = self.run_context(run_as, trace=trace)
        user_id = run_as.user_id if run_as is not None else None
        if not program.needs_records:
            batch = self.engine.run_program(program, inputs, context)
            ids: dict[int, str] = {}
            if commit and (keep_rows or needs_rows(batch)):
                with self.store.transaction(user_id=user_id, system=True) as tx:
                    ids = self.interviews.record(tx, program, batch, user_id=user_id, keep_all=keep_rows)
            return FlowRun(batch, None, bool(ids), cpu_ms(context), ids)
        tx = self.transaction(run_as, limits=limits)
        try:
            context.records = self.gateway(tx, enforced_access(program.flow, access))
            batch = self.engine.run_program(program, inputs, context)
            keep = commit and batch.limit_error is None
            ids = self.interviews.record(tx, program, batch, user_id=user_id, keep_all=keep_rows) if keep else {}
        except BaseException:
            tx.rollback()
            raise
        if keep:
            tx.commit()
            return FlowRun(batch, tx.limits, True, cpu_ms(context), ids)
        tx.rollback()
        if commit:  # a governor limit undid the work; the failed interviews are still recorded
            with self.store.transaction(user_id=user_id, system=True) as failures:
                ids = self.interviews.record(failures, program, batch, user_id=user_id, keep_all=keep_rows)
        return FlowRun(batch, tx.limits, False, cpu_ms(context), ids)

    def run_in(self, tx: Transaction, program: Program, inputs: Sequence[Mapping[str, Any] | None], *,
               run_as: RunAs | None, guids: Sequence[str]) -> FlowRun:
        """Run in a transaction the caller owns (a job's): nothing is committed or rolled back here."""
        context = self.run_context(run_as, trace=True)
        context.records = self.gateway(tx)
        batch = self.engine.run_program(program, inputs, context, guids=guids)
        return FlowRun(batch, tx.limits, False, cpu_ms(context))

    def invoke_action(self, action: InvocableAction, requests: Sequence[Mapping[str, Any] | None], *,
                      run_as: RunAs | None = None) -> list[ActionResult]:
        """One action called directly (REST `actions/standard/NAME`), in a transaction of its own."""
        from flowforce.runtime.action_runs import run_action

        return run_action(self, action, requests, run_as)

    def advance_clock(self, *, seconds: float | None = None, to: dt.datetime | None = None) -> int:
        """Move the org's clock (freezing it) and run every job that falls due, in order; returns how many."""
        if not self.clock.frozen:
            self.clock.freeze()
        if to is not None:
            self.clock.set(to)
        if seconds:
            self.clock.advance(dt.timedelta(seconds=seconds))
        return self.jobs.run_due()

    # --- records --------------------------------------------------------------------------------------------

    def gateway(self, tx: Transaction, access: ObjectAccess | None = None) -> StoreGateway:
        """*tx* as the engine's record port, with this org's outbox for what actions send (and, for a flow in user
        context, the running user's object permissions)."""
        return StoreGateway(tx, self.outbox, access)

    def transaction(self, run_as: RunAs | None = None, *, limits: GovernorLimits | None = None) -> Transaction:
        """A transaction acting for *run_as* (the platform's own user without one). Flow versions another process
        changed are picked up first, so that its DML fires the flows active now (record-triggered flows)."""
        self.library  # noqa: B018 — the property refreshes at most every flow_refresh_seconds
        return self.store.transaction(user_id=run_as.user_id if run_as is not None else None, limits=limits)

    def start_worker(self, threads: int | None = None) -> Worker:
        """Threads that run this org's due jobs until stopped (`flowforce serve` embeds them)."""
        count = self.settings.worker_threads if threads is None else threads
        return Worker(self.jobs, threads=count, poll_seconds=self.settings.job_poll_seconds).start()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Org:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_project(project_dir: Path, database_url: str | None = None, **explicit: Any) -> Org:
    """The org of a project folder as the CLI commands open it: settings from flags > environment >
    flowforce.toml, exactly as `flowforce serve` reads them."""
    return Org.open(load_settings(project_dir=project_dir, database_url=database_url, **explicit))

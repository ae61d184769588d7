"""Everything the routes share, built once per app: flows, engine, store, auth, actions, cursors, usage.

Routes only translate between the wire and these objects (moto's responses/models split, STYLE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flowforce.actions.defaults import default_registry
from flowforce.actions.registry import ActionRegistry
from flowforce.api.flow_records import build_registry, sync_flow_records
from flowforce.api.limits import ApiUsage
from flowforce.api.locators import QueryLocators
from flowforce.api.session import AuthPort
from flowforce.engine.engine import FlowEngine
from flowforce.metadata.project import FlowLibrary
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.settings import Settings
from flowforce.soql import QueryCache

AuthFactory = Callable[[RecordStore, Settings], AuthPort]


def build_auth_service(store: RecordStore, settings: Settings, **extra: Any) -> AuthPort:
    """The real auth service (flowforce.auth), configured from settings and `[auth]` of flowforce.toml."""
    from flowforce.auth.service import AuthService
    from flowforce.auth.settings import AuthSettings

    options: dict[str, Any] = {**extra,
        "session_timeout_minutes": settings.session_timeout_minutes, "instance_url": settings.base_url,
        "login_url": settings.base_url, "org_name": settings.org_name,
    }
    if settings.org_id:
        options["org_id"] = settings.org_id
    service = AuthService(store, AuthSettings(**options))
    service.ensure_schema()
    if settings.auth:
        service.configure_from(settings.auth)
    return service


@dataclass
class Services:
    settings: Settings
    registry: SchemaRegistry
    library: FlowLibrary
    engine: FlowEngine
    store: RecordStore
    auth: AuthPort
    actions: ActionRegistry
    locators: QueryLocators
    queries: QueryCache
    usage: ApiUsage

    @classmethod
    def build(cls, settings: Settings, *, auth_factory: AuthFactory = build_auth_service,
              actions: ActionRegistry | None = None) -> Services:
        registry = build_registry(settings.project_dir)
        actions = actions if actions is not None else default_registry()
        library = FlowLibrary.load([settings.project_dir], schema=registry, actions=actions)
        store = RecordStore.open(settings.database, registry)
        sync_flow_records(store, library)
        return cls(
            settings=settings, registry=registry, library=library, engine=FlowEngine(library), store=store,
            auth=auth_factory(store, settings), actions=actions,
            locators=QueryLocators(), queries=QueryCache(), usage=ApiUsage(settings.daily_api_requests),
        )

    def close(self) -> None:
        self.store.close()

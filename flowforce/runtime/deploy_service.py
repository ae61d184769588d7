"""The org's Metadata API: deploys and retrieves run, their results kept for the status calls.

The wire (SOAP envelopes, REST `deployRequest` JSON) lives in api/metadata*.py; this is what they call.
Deploys of one process run one at a time (each takes the next version numbers of its flows).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from typing import TYPE_CHECKING

from flowforce.records.ids import new_id
from flowforce.runtime.deploy import DeployOptions, DeployOutcome, deploy_package
from flowforce.runtime.deploy_requests import MetadataRequests
from flowforce.runtime.retrieve import RetrieveOutcome, RetrieveRequest, retrieve_package

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

DEPLOY_PREFIX, RETRIEVE_PREFIX = "0Af", "09S"


class MetadataService:
    def __init__(self, org: Org) -> None:
        self.org = org
        self.requests = MetadataRequests(org.store)
        self._lock = threading.Lock()

    def now(self) -> str:
        """The Metadata API's timestamps: UTC with milliseconds and a Z."""
        now = self.org.clock.now().astimezone(dt.UTC)
        return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"

    def deploy(self, data: bytes, options: DeployOptions, user_id: str, user_name: str) -> DeployOutcome:
        outcome = DeployOutcome(new_id(DEPLOY_PREFIX), options.check_only, options.rollback_on_error,
                                options.ignore_warnings, user_id, user_name, self.now())
        with self._lock:
            deploy_package(self.org, data, options, outcome)
        outcome.completed_date = self.now()
        self.requests.save_deploy(outcome)
        return outcome

    def deploy_status(self, request_id: str) -> DeployOutcome | None:
        return self.requests.load_deploy(request_id)

    def retrieve(self, request: RetrieveRequest, user_id: str, user_name: str) -> RetrieveOutcome:
        outcome = RetrieveOutcome(new_id(RETRIEVE_PREFIX), user_id, user_name, self.now())
        retrieve_package(self.org, request, outcome)
        self.requests.save_retrieve(outcome)
        return outcome

    def retrieve_status(self, request_id: str) -> RetrieveOutcome | None:
        return self.requests.load_retrieve(request_id)


_SERVICES: weakref.WeakKeyDictionary[Org, MetadataService] = weakref.WeakKeyDictionary()
_SERVICES_LOCK = threading.Lock()


def metadata_service(org: Org) -> MetadataService:
    """The org's service (made on first use: its table is created then)."""
    with _SERVICES_LOCK:
        service = _SERVICES.get(org)
        if service is None:
            service = _SERVICES[org] = MetadataService(org)
        return service

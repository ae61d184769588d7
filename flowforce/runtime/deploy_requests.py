"""Deploy and retrieve requests kept in the database, so `checkDeployStatus` / `GET deployRequest/{id}` /
`checkRetrieveStatus` answer from any process serving the org, and after a restart.

Requests run to completion when they are made (a flowforce deploy takes milliseconds); what is kept is the
result the status calls report, as JSON.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import sqlalchemy as sa

from flowforce.records.column_types import UtcDateTime
from flowforce.records.store import RecordStore
from flowforce.runtime.deploy import DeployOutcome
from flowforce.runtime.deploy_messages import ComponentMessage
from flowforce.runtime.retrieve import FileProperty, RetrieveOutcome

DEPLOY, RETRIEVE = "deploy", "retrieve"


def requests_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "ff_metadata_requests", metadata,
        sa.Column("id", sa.String(18), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(18)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )


class MetadataRequests:
    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.table = requests_table(sa.MetaData())
        with store.engine.begin() as conn:
            self.table.create(conn, checkfirst=True)

    def save(self, kind: str, request_id: str, created_by: str | None, body: dict[str, Any]) -> None:
        with self.store.engine.begin() as conn:
            conn.execute(self.table.insert().values(id=request_id, kind=kind, created_by=created_by,
                                                    body=json.dumps(body), created_at=self.store.now()))

    def load(self, kind: str, request_id: str) -> dict[str, Any] | None:
        with self.store.reading() as conn:
            body = conn.execute(sa.select(self.table.c.body).where(
                self.table.c.id == request_id, self.table.c.kind == kind)).scalar()
        return json.loads(body) if body is not None else None

    def save_deploy(self, outcome: DeployOutcome) -> None:
        self.save(DEPLOY, outcome.id, outcome.created_by, dataclasses.asdict(outcome))

    def load_deploy(self, request_id: str) -> DeployOutcome | None:
        body = self.load(DEPLOY, request_id)
        if body is None:
            return None
        messages = [ComponentMessage(**message) for message in body.pop("messages")]
        return DeployOutcome(**body, messages=messages)

    def save_retrieve(self, outcome: RetrieveOutcome) -> None:
        self.save(RETRIEVE, outcome.id, outcome.created_by, dataclasses.asdict(outcome))

    def load_retrieve(self, request_id: str) -> RetrieveOutcome | None:
        body = self.load(RETRIEVE, request_id)
        if body is None:
            return None
        files = [FileProperty(**item) for item in body.pop("files")]
        messages = [(str(file), str(problem)) for file, problem in body.pop("messages")]
        return RetrieveOutcome(**body, files=files, messages=messages)

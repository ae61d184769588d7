"""`POST actions/custom/flow/NAME`: the request's inputs → one engine batch in one transaction → result array.

reference/api-surface.md §1.4 with confirmations.md §2a, §3, §5: one interview per input, all in ONE
transaction (batched, so record elements are bulkified); interviews that succeed keep their work unless a
governor limit fails them all; the reply holds one result per input in order, HTTP 400 when any failed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flowforce.api.body import wrong_shape
from flowforce.api.errors import JsonParserError
from flowforce.api.services import Services
from flowforce.api.session import Session
from flowforce.api.wire_values import to_wire
from flowforce.engine.batch import BatchResult, InterviewResult
from flowforce.engine.context import RunContext, default_organization, default_user
from flowforce.engine.data.gateway import StoreGateway
from flowforce.engine.settings import EngineSettings
from flowforce.metadata.model import Flow
from flowforce.records.record import Record

# confirmations.md §3b: Salesforce reports every unhandled fault with this generic error; flowforce then
# names the element and the fault message (what Salesforce only puts in the fault email, seed 001).
FAULT_PREFIX = "An error occurred when executing a flow interview."
FAULT_STATUS_CODE = "UNKNOWN_EXCEPTION"


def parse_inputs(body: Any) -> list[dict[str, Any] | None]:
    """The `inputs` array (confirmations.md §2c: wording of the deserializer family, exact text UNCONFIRMED)."""
    if not isinstance(body, dict):
        raise wrong_shape("InvocableActionRequest", body)
    if "inputs" not in body:
        raise JsonParserError("Missing required 'inputs' parameter.")
    inputs = body["inputs"]
    if not isinstance(inputs, list):
        raise wrong_shape("List<Map<String,ANY>>", inputs)
    for item in inputs:
        if item is not None and not isinstance(item, dict):
            raise wrong_shape("Map<String,ANY>", item)
    return inputs


def needs_store(services: Services, flow: Flow) -> bool:
    """Whether the run needs a store transaction (on SQLite that takes the write lock)."""
    return services.engine.compiled(flow).needs_records


@lru_cache(maxsize=8)
def organization_record(org_id: str, name: str) -> Record:
    """`$Organization` for flows: built once per org (globals are read-only in the engine, so it is shared)."""
    organization = default_organization()
    organization["Id"] = org_id
    organization["Name"] = name
    return organization


def run_context(services: Services, session: Session) -> RunContext:
    organization = organization_record(session.org_id, services.settings.org_name)
    return RunContext(
        settings=EngineSettings(trace=services.settings.trace), actions=services.actions,
        user=getattr(session, "user_record", None) or default_user(), organization=organization,
        session_id=session.session_id, instance_url=services.settings.base_url,
    )


def run_flow(services: Services, session: Session, flow: Flow, inputs: list[dict[str, Any] | None]) -> BatchResult:
    """Run the batch; commit what succeeded, or nothing when a governor limit ended the transaction."""
    context = run_context(services, session)
    program = services.engine.compiled(flow)
    if not program.needs_records:
        return services.engine.run_program(program, inputs, context)
    transaction = services.store.transaction(user_id=session.user_id)
    try:
        context.records = StoreGateway(transaction)
        batch = services.engine.run_program(program, inputs, context)
    except BaseException:
        transaction.rollback()
        raise
    if batch.limit_error is not None:
        transaction.rollback()
    else:
        transaction.commit()
    return batch


def fault_message(result: InterviewResult) -> str:
    failure = result.failure
    if failure is None:
        return FAULT_PREFIX
    where = f" Error element {failure.element} ({failure.element_type})." if failure.element else ""
    return f"{FAULT_PREFIX}{where} {failure.message}"


def _error(message: str) -> list[dict[str, Any]]:
    return [{"statusCode": FAULT_STATUS_CODE, "message": message, "fields": []}]


def result_entry(result: InterviewResult, action_name: str, api_version: str) -> dict[str, Any]:
    """One element of the reply; keys in Salesforce's (alphabetical) order, `sortOrder` -1, `version` 1 (§5c)."""
    name: str | None = action_name
    errors: list[dict[str, Any]] | None = None
    outputs: dict[str, Any] | None
    if result.success:
        outputs = to_wire(result.outputs or {}, api_version)
        outputs["Flow__InterviewGuid"] = result.guid
        outputs["Flow__InterviewStatus"] = result.status.value
    elif result.input_error:
        # confirmations.md §2a: the interview never starts; actionName is null in the captured body.
        name, outputs = None, None
        errors = _error(result.failure.message if result.failure else "")
    else:
        errors = _error(fault_message(result))
        # seed 003 (REST guide): a flow that started reports its GUID and the Error status.
        outputs = {"Flow__InterviewGuid": result.guid, "Flow__InterviewStatus": "Error"} if result.guid else None
    return {
        "actionName": name, "errors": errors, "invocationId": None, "isSuccess": result.success,
        "outcome": None, "outputValues": outputs, "sortOrder": -1, "version": 1,
    }


def render_batch(batch: BatchResult, action_name: str, api_version: str) -> tuple[list[dict[str, Any]], int]:
    entries = [result_entry(result, action_name, api_version) for result in batch.results]
    return entries, 200 if batch.all_succeeded else 400

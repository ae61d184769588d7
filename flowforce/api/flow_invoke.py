"""`POST actions/custom/flow/NAME` on the wire: the `inputs` array in, the result array out (`Org.run` runs them).

reference/api-surface.md §1.4 with confirmations.md §2a, §3, §5: one interview per input, all in ONE
transaction (batched, so record elements are bulkified); interviews that succeed keep their work unless a
governor limit fails them all; the reply holds one result per input in order, HTTP 400 when any failed.
"""

from __future__ import annotations

from typing import Any

from flowforce.api.body import wrong_shape
from flowforce.api.errors import JsonParserError
from flowforce.api.wire_values import to_wire
from flowforce.engine.batch import BatchResult, InterviewResult

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

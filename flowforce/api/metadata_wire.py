"""The Metadata API's result shapes, shared by the REST `deployRequest` JSON and the SOAP envelopes: a DeployResult
with its DeployMessages (`componentFailures` / `componentSuccesses` under `details`), an AsyncResult, a
RetrieveResult with its FileProperties. Field names and order follow Salesforce's WSDL (what SDR reads)."""

from __future__ import annotations

from typing import Any

from flowforce.auth.session import Session
from flowforce.runtime.deploy import DeployOutcome
from flowforce.runtime.deploy_messages import ComponentMessage
from flowforce.runtime.retrieve import FileProperty, RetrieveOutcome

#: UNCONFIRMED: listMetadata's dates for components flowforce keeps no history of.
EPOCH = "1970-01-01T00:00:00.000Z"


def user_name(session: Session) -> str:
    """`createdByName`: the user's name, else the username."""
    record = session.user_record
    return str(record.get("Name") or session.username) if record is not None else session.username


def deploy_message(message: ComponentMessage, created_date: str) -> dict[str, Any]:
    return {
        "changed": message.changed, "columnNumber": message.column, "componentType": message.component_type,
        "created": message.created, "createdDate": created_date, "deleted": False, "fileName": message.file_name,
        "forPackageManifestFile": message.file_name == "package.xml", "fullName": message.full_name,
        "id": message.id, "lineNumber": message.line, "problem": message.problem,
        "problemType": message.problem_type, "success": message.success,
    }  # fmt: skip


def run_test_result() -> dict[str, Any]:
    """No Apex here: an empty test run."""
    return {"codeCoverage": [], "codeCoverageWarnings": [], "failures": [], "flowCoverage": [],
            "flowCoverageWarnings": [], "numFailures": 0, "numTestsRun": 0, "successes": [], "totalTime": 0.0}


def deploy_result(outcome: DeployOutcome, *, details: bool = True) -> dict[str, Any]:
    completed = outcome.completed_date or outcome.created_date
    failures = [deploy_message(message, completed) for message in outcome.failures]
    successes = [deploy_message(message, completed) for message in outcome.successes]
    result: dict[str, Any] = {
        "id": outcome.id, "canceledBy": None, "canceledByName": None, "checkOnly": outcome.check_only,
        "completedDate": completed, "createdBy": outcome.created_by, "createdByName": outcome.created_by_name,
        "createdDate": outcome.created_date,
    }  # fmt: skip
    if details:
        result["details"] = {"componentFailures": failures, "componentSuccesses": successes,
                             "runTestResult": run_test_result()}
    result.update({
        "done": True, "errorMessage": outcome.error_message, "errorStatusCode": outcome.error_status_code,
        "ignoreWarnings": outcome.ignore_warnings, "lastModifiedDate": completed,
        "numberComponentErrors": outcome.components_failed,
        "numberComponentsDeployed": outcome.components_deployed,
        "numberComponentsTotal": outcome.components_total, "numberTestErrors": 0, "numberTestsCompleted": 0,
        "numberTestsTotal": 0, "rollbackOnError": outcome.rollback_on_error, "runTestsEnabled": False,
        "startDate": outcome.created_date, "stateDetail": None, "status": outcome.status,
        "success": outcome.status != "Failed",
    })  # fmt: skip
    return result


def deploy_options(outcome: DeployOutcome) -> dict[str, Any]:
    return {"allowMissingFiles": False, "autoUpdatePackage": False, "checkOnly": outcome.check_only,
            "ignoreWarnings": outcome.ignore_warnings, "performRetrieve": False, "purgeOnDelete": False,
            "rollbackOnError": outcome.rollback_on_error, "runTests": [], "singlePackage": True,
            "testLevel": "NoTestRun"}


def async_result(request_id: str) -> dict[str, Any]:
    """What `deploy` / `retrieve` answer at once (flowforce has finished by then)."""
    return {"done": True, "id": request_id, "state": "Completed"}


def file_property(item: FileProperty, user_id: str, name: str, date: str = EPOCH) -> dict[str, Any]:
    """A FileProperties entry (retrieve results, listMetadata)."""
    return {
        "createdById": user_id, "createdByName": name, "createdDate": date, "fileName": item.file_name,
        "fullName": item.full_name, "id": item.id or None, "lastModifiedById": user_id, "lastModifiedByName": name,
        "lastModifiedDate": date, "manageableState": "unmanaged", "type": item.component_type,
    }  # fmt: skip


def retrieve_result(outcome: RetrieveOutcome) -> dict[str, Any]:
    files = [file_property(item, outcome.created_by, outcome.created_by_name, outcome.created_date)
             for item in outcome.files]
    return {
        "done": True, "fileProperties": files, "id": outcome.id,
        "messages": [{"fileName": file, "problem": problem} for file, problem in outcome.messages],
        "status": outcome.status, "success": True, "zipFile": outcome.zip_base64,
    }

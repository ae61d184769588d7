"""Which object permissions a flow run obeys: Salesforce's `runInMode` (issue 9 item 13).

Salesforce's "Flow Run Context" table: a flow launched from the REST API runs, by default (`DefaultMode`), in user
context — the running user's profile and permission sets decide what its Get/Create/Update/Delete Records may
touch. `SystemModeWithSharing` ignores object and field permissions but respects record sharing;
`SystemModeWithoutSharing` accesses all data. Record-triggered and scheduled flows run in system context without
sharing (they never get here with a user's access).

flowforce models object permissions, not record sharing or field-level security, so both system modes run
unchecked. UNCONFIRMED: the exact fault wording when a user-context flow lacks access, and whether a subflow
keeps its parent's context (here: it does, it shares the parent's record gateway).
"""

from __future__ import annotations

from collections.abc import Callable

from flowforce.metadata.model import Flow

#: (object API name, operation "read" | "create" | "edit" | "delete") → allowed?
ObjectAccess = Callable[[str, str], bool]

SYSTEM_MODES = frozenset({"SystemModeWithSharing", "SystemModeWithoutSharing"})


def enforced_access(flow: Flow, access: ObjectAccess | None) -> ObjectAccess | None:
    """The checks a run of *flow* applies: the user's in user context (DefaultMode, or an unknown mode, which
    validation already reports as running in DefaultMode), none in a system mode."""
    return None if flow.run_in_mode in SYSTEM_MODES else access

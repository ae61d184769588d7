"""Exactly-once actions under the bulk retry.

reference/flow-metadata.md §7.1 (H-BULK): when some interviews of a batch fail, Salesforce rolls the batch back
and runs the surviving interviews again. Re-running them must not call their actions again — an email or SMS
would leave twice. The journal keeps every action result of the batch, with the effects the action registered
for that request (engine/action_context.py), by *where* it was produced (the flow, the interview's path, the
element, how many elements the interview had executed). The re-run replays the result and applies the effects
again — the rollback removed them with everything else of the first attempt — without calling the action.

An action that used the record store during its call is not journaled: its writes were rolled back with the
batch, so it runs again, writes again and registers its effects again.
"""

from __future__ import annotations

from typing import Any

#: Where an action result was produced: (flow, interview path, element key, elements executed so far).
JournalKey = tuple[str, tuple[int, ...], str, int]


class ActionJournal:
    def __init__(self) -> None:
        self._results: dict[JournalKey, Any] = {}

    def recorded(self, key: JournalKey) -> tuple[bool, Any]:
        if key in self._results:
            return True, self._results[key]
        return False, None

    def record(self, key: JournalKey, result: Any) -> None:
        self._results[key] = result

    def __len__(self) -> int:
        return len(self._results)

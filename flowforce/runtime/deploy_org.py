"""The org's Organization record: the `sf` CLI reads it before every deploy and retrieve
(`SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization`,
one row expected) to decide whether the org tracks source. Its Id is the org's id (the identity URL's)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowforce.records.limits import GovernorLimits
from flowforce.soql import run_soql

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

ORGANIZATION = "Organization"
#: UNCONFIRMED choices: what a Developer Edition answers; "FF1" names flowforce's one instance.
EDITION, INSTANCE = "Developer Edition", "FF1"


def ensure_organization(org: Org) -> None:
    if not org.registry.has(ORGANIZATION):
        return
    values: dict[str, Any] = {"Name": org.settings.org_name, "IsSandbox": False, "OrganizationType": EDITION,
                              "InstanceName": INSTANCE}
    with org.store.transaction(limits=GovernorLimits.unlimited(), system=True) as tx:
        rows = run_soql(f"SELECT Id FROM {ORGANIZATION}", tx).records
        if rows:
            tx.update(ORGANIZATION, [{"Id": rows[0].id, **values}])
            return
        [saved] = tx.insert(ORGANIZATION, [values])
    # Inserts take fresh ids; the record's id is the org's own.
    table = org.store.tables.table(ORGANIZATION)
    with org.store.engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == saved.id).values(id=org.auth.org_id))

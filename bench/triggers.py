"""Record-triggered flow overhead: insert 200 and 10,000 Opportunities through REST `composite/sobjects`
(200 records per call, in-process over the ASGI app) into a project with the example's after-save flow
`Opportunity_Follow_Up` (a Get Records of the owner, a Create Records of a Task, a scheduled path queued per
record) and into the same project with no flows. Prints records/s of each and the overhead ratio.

    python3 bench/triggers.py [--sizes 200,10000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

SQLite is a fresh file per run; PostgreSQL runs too when --pg or FLOWFORCE_TEST_DATABASE_URL is given.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pg_scratch import postgres_scratch_schema

from flowforce.api.app import create_app
from flowforce.runtime import Org, build_auth_service
from flowforce.settings import BUNDLED_EXAMPLE, load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
FLOWS = Path("force-app") / "main" / "default" / "flows"
PER_CALL = 200


def project(folder: Path, with_flow: bool) -> Path:
    root = folder / ("with-flow" if with_flow else "no-flows")
    (root / FLOWS).mkdir(parents=True)
    shutil.copy(BUNDLED_EXAMPLE / "sfdx-project.json", root)
    if with_flow:
        shutil.copy(BUNDLED_EXAMPLE / FLOWS / "Opportunity_Follow_Up.flow-meta.xml", root / FLOWS)
    return root


def insert_rate(root: Path, database: str, count: int) -> float:
    """Records per second for *count* inserts, 200 per composite/sobjects call."""
    settings = load_settings(project_dir=root, database_url=database, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                             daily_api_requests=10**9)
    org = Org.open(settings, auth_factory=functools.partial(build_auth_service, password_hash_cost=4))
    try:
        org.auth.ensure_dev_org("bench@flowforce.test", "bench-password-1", CLIENT_ID, CLIENT_SECRET)
        client = TestClient(create_app(settings, org=org))
        token = client.post("/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        }).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        bodies = [{"allOrNone": True, "records": [
            {"attributes": {"type": "Opportunity"}, "Name": f"Deal {start + n}", "StageName": "Prospecting",
             "CloseDate": "2026-06-30"} for n in range(min(PER_CALL, count - start))]}
            for start in range(0, count, PER_CALL)]
        started = time.perf_counter()
        for body in bodies:
            response = client.post("/services/data/v66.0/composite/sobjects", json=body, headers=headers)
            assert response.status_code == 200 and all(item["success"] for item in response.json()), response.text
        return count / (time.perf_counter() - started)
    finally:
        org.close()


@contextmanager
def databases(pg: str | None) -> Iterator[list[tuple[str, Any]]]:
    with tempfile.TemporaryDirectory() as folder:
        def sqlite(name: str) -> str:
            return f"sqlite:///{Path(folder) / name}.db"

        found: list[tuple[str, Any]] = [("sqlite", sqlite)]
        if not pg:
            yield found
            return

        @contextmanager
        def postgres(name: str) -> Iterator[str]:
            with postgres_scratch_schema(pg) as url:
                yield url

        found.append(("postgresql", postgres))
        yield found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,10000")
    parser.add_argument("--pg", default=os.environ.get("FLOWFORCE_TEST_DATABASE_URL"))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder, databases(args.pg) as kinds:
        roots = {flag: project(Path(folder), flag) for flag in (False, True)}
        print(f"{'database':<11} {'records':>7} {'no flows rec/s':>15} {'after-save rec/s':>17} {'overhead':>9}")
        for kind, url_for in kinds:
            for size in sizes:
                rates = []
                for with_flow in (False, True):
                    name = f"{kind}-{size}-{with_flow}"
                    if kind == "sqlite":
                        rates.append(insert_rate(roots[with_flow], url_for(name), size))
                    else:
                        with url_for(name) as url:
                            rates.append(insert_rate(roots[with_flow], url, size))
                print(f"{kind:<11} {size:>7} {rates[0]:>15.0f} {rates[1]:>17.0f} {rates[0] / rates[1]:>8.2f}x")


if __name__ == "__main__":
    main()

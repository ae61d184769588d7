"""Issue 9 figures: memory held by open query cursors, and how login throttling answers a password-guessing run.

    python3 bench/cursors_and_logins.py [--rows 27000] [--cursors 60]

Part 1 seeds ROWS Accounts (SQLite file), opens CURSORS paged queries over them through the REST app and reports
the Python memory the open cursors hold (tracemalloc: allocated while opening minus what was freed once the
responses were gone), per cursor, and the time to fetch one later page (read again from the store).
Part 2 makes 200 wrong password-grant calls for one user from one address, then the right one, and prints what
each stretch answered (the lockout after 10, the 429 burst brake after 30).
"""

from __future__ import annotations

import argparse
import collections
import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=27_000)
    parser.add_argument("--cursors", type=int, default=60)
    args = parser.parse_args()
    from api.conftest import TEST_PROJECT, make_settings, open_api

    work = Path(tempfile.mkdtemp())
    try:
        project = work / "project"
        shutil.copytree(TEST_PROJECT, project)
        sessions = open_api(make_settings(project, f"sqlite:///{work / 'bench.db'}"))
        api = next(sessions)
        for start in range(0, args.rows, 5000):
            with api.org.store.transaction() as tx:
                tx.insert("Account", [{"Name": f"Account {n:06d}", "Description": "x" * 200}
                                      for n in range(start, min(start + 5000, args.rows))])
        cursors(api, args.cursors)
        logins(api.client, api)
        sessions.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cursors(api: object, count: int) -> None:
    soql = "SELECT Id, Name, Description, CreatedDate FROM Account ORDER BY Name"
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    urls = []
    for _ in range(count):
        body = api.get("query", params={"q": soql}).json()  # type: ignore[attr-defined]
        urls.append(body["nextRecordsUrl"])
        del body
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    started = time.perf_counter()
    page = api.get(urls[-1]).json()  # type: ignore[attr-defined]
    fetch_ms = (time.perf_counter() - started) * 1000
    print(f"cursors: {count} open over {page['totalSize']} rows hold {held / 1024:.0f} KiB in all, "
          f"{held / count:.0f} bytes each; a later page of {len(page['records'])} rows read in {fetch_ms:.0f} ms")


def logins(client: TestClient, api: object) -> None:
    from api.conftest import CLIENT_ID, CLIENT_SECRET

    auth = api.org.auth  # type: ignore[attr-defined]
    info = auth.add_user("target@flowforce.test", "right-password-1", profile="Standard User")
    answers = []
    for attempt in range(201):
        password = "right-password-1" + info.security_token if attempt == 200 else f"guess-{attempt}"
        response = client.post("/services/oauth2/token", data={
            "grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "username": "target@flowforce.test", "password": password})
        answers.append((response.status_code, response.headers.get("retry-after")))
    runs: list[tuple[tuple[int, str | None], int]] = []
    for answer in answers:
        if runs and runs[-1][0] == answer:
            runs[-1] = (answer, runs[-1][1] + 1)
        else:
            runs.append((answer, 1))
    print("logins: 200 wrong passwords then the right one, from one address:")
    for (status, retry), times in runs:
        print(f"  {times:>3} × HTTP {status}" + (f" (Retry-After: {retry} s)" if retry else ""))
    counts = dict(collections.Counter(status for status, _ in answers))
    print(f"  last (right password): HTTP {answers[-1][0]}; counts: {counts}")
    other = auth.add_user("second@flowforce.test", "right-password-2", profile="Standard User")
    wrong = [auth.users.verify_login("second@flowforce.test", f"guess-{n}") for n in range(10)]
    right = auth.users.verify_login("second@flowforce.test", "right-password-2" + other.security_token)
    print(f"lockout: after {len(wrong)} wrong passwords the right one is "
          f"{'refused (locked for 15 minutes)' if right is None else 'accepted'}")
    started = time.perf_counter()
    for _ in range(20):
        auth.users.verify_login("nobody@flowforce.test", "x" * 40)
    unknown = (time.perf_counter() - started) / 20 * 1000
    known_user = auth.add_user("third@flowforce.test", "right-password-3", profile="Standard User")
    started = time.perf_counter()
    for _ in range(9):  # under the lockout threshold
        auth.users.verify_login(known_user.username, "x" * 40)
    known = (time.perf_counter() - started) / 9 * 1000
    print(f"timing: a wrong login costs {unknown:.1f} ms for an unknown username, {known:.1f} ms for a known one")


if __name__ == "__main__":
    main()

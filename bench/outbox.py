"""Outbox benchmark: what sending costs a flow run, and how fast the queue delivers.

    python3 bench/outbox.py [--inputs 200]

Runs the example's On_Demand_Flow in-process for N interviews (each emails and texts) in one transaction, then
delivers every message from the job queue to an SMTP server (aiosmtpd) and an HTTP SMS gateway in this process.
Prints the run's time with and without messages (the same flow; inputs without a phone or an address take the
no-message branches), the cost per outbox row written, and delivery throughput.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from mail_and_sms import sms_gateway, smtp_inbox  # noqa: E402

from flowforce.runtime import Org  # noqa: E402
from flowforce.settings import BUNDLED_EXAMPLE, load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=200)
    count = parser.parse_args().inputs
    sending = [{"EmailAddress": f"c{n}@example.com", "TelephoneNumber": f"+1415555{n:04d}", "OrderNumber": f"A-{n}"}
               for n in range(count)]
    silent = [{"OrderNumber": f"A-{n}"} for n in range(count)]
    with tempfile.TemporaryDirectory() as folder, smtp_inbox() as inbox, sms_gateway() as gateway:
        project = Path(folder) / "example"
        shutil.copytree(BUNDLED_EXAMPLE, project, ignore=shutil.ignore_patterns(".flowforce"))
        settings = load_settings(project_dir=project, database_url=f"sqlite:///{folder}/bench.db",
                                 smtp_url=inbox.url, sms_url=gateway.url, worker_threads=0)
        with Org.open(settings) as org:
            org.run("On_Demand_Flow", silent[:5])  # warm up: compile, caches
            started = time.perf_counter()
            org.run("On_Demand_Flow", silent)
            quiet = time.perf_counter() - started
            started = time.perf_counter()
            run = org.run("On_Demand_Flow", sending)
            loud = time.perf_counter() - started
            messages = len(org.outbox.messages(limit=10 * count))
            started = time.perf_counter()
            org.jobs.run_due()
            delivery = time.perf_counter() - started
    print(f"interviews: {count} (all succeeded: {run.batch.all_succeeded})")
    print(f"run without messages: {quiet * 1000:.1f} ms; with an email and an SMS each: {loud * 1000:.1f} ms")
    print(f"outbox rows written: {messages} ({(loud - quiet) * 1000 / max(messages, 1):.2f} ms each, row + job)")
    print(f"delivered: {len(inbox.messages)} emails + {len(gateway.requests)} SMS in {delivery:.2f} s "
          f"({(len(inbox.messages) + len(gateway.requests)) / delivery:.0f} messages/s, one worker, SQLite)")


if __name__ == "__main__":
    main()

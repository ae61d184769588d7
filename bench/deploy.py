"""A Metadata API deploy into an org holding the flow corpus (../shared/flow-corpus): the time one deploy of one
changed flow takes in process (package read, every version validated together, the version stored and the flow
records synced), best and median of --repeat, and the same for a check-only deploy. No asserts: a measurement.

    python bench/deploy.py [--corpus ../shared/flow-corpus] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from flowforce.runtime.deploy import DeployOptions
from flowforce.runtime.deploy_service import metadata_service
from flowforce.runtime.org import Org
from flowforce.settings import BUNDLED_EXAMPLE, load_settings

ROOT = Path(__file__).resolve().parents[1]
FLOW = BUNDLED_EXAMPLE / "force-app" / "main" / "default" / "flows" / "Format_Phone_Number.flow-meta.xml"


def package(step: int) -> bytes:
    xml = FLOW.read_bytes().replace(b"</description>", f" (change {step})</description>".encode(), 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.xml", b'<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>'
                         b"Bench_Flow</members><name>Flow</name></types><version>62.0</version></Package>")
        archive.writestr("flows/Bench_Flow.flow", xml)
    return buffer.getvalue()


def timed(org: Org, repeat: int, options: DeployOptions, offset: int) -> list[float]:
    service = metadata_service(org)
    times = []
    for step in range(repeat):
        started = time.perf_counter()
        outcome = service.deploy(package(offset + step), options, "005000000000000AAA", "bench")
        times.append(time.perf_counter() - started)
        assert outcome.status == "Succeeded", outcome.messages
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "flow-corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        org = Org.open(load_settings(project_dir=args.corpus, database_url=f"sqlite:///{folder}/bench.db"))
        opened = time.perf_counter() - started
        with org:
            versions = len(org.library)
            for label, options, offset in (("deploy", DeployOptions(), 0),
                                           ("check-only", DeployOptions(check_only=True), 1000)):
                times = timed(org, args.repeat, options, offset)
                print(f"{label:10s} 1 flow into {versions}+ versions: best {min(times) * 1000:.0f} ms, "
                      f"median {statistics.median(times) * 1000:.0f} ms ({args.repeat} runs)")
    print(f"org open with the corpus: {opened:.2f} s")


if __name__ == "__main__":
    main()

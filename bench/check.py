"""`flowforce check` over the flow corpus (../shared/flow-corpus): every file loaded, validated and linted with
all 30 rules (beta included). Prints the in-process time per phase (best of --repeat, after imports; formula
and schema caches cold on the first run only) and the wall and CPU time of the whole command as a user runs
it. No asserts: it is a measurement (the issue's target: the corpus in under 2 s).

    python bench/check.py [--corpus ../shared/flow-corpus] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from flowforce.lint.command import CheckOptions, lint_paths

ROOT = Path(__file__).resolve().parents[1]


def in_process(corpus: Path, repeat: int) -> tuple[list[float], int, int]:
    times = []
    flows = findings = 0
    for _ in range(repeat):
        started = time.perf_counter()
        report = lint_paths([corpus], CheckOptions(beta=True))
        times.append(time.perf_counter() - started)
        flows, findings = len(report.flows), len(report.findings)
    return times, flows, findings


def command(corpus: Path, *extra: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of `flowforce check CORPUS --beta --json [extra]` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flowforce", "check", str(corpus), "--beta", "--json", *extra],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "flow-corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    times, flows, findings = in_process(args.corpus, args.repeat)
    print(f"corpus: {args.corpus} ({flows} flow files, {findings} findings with beta rules)")
    print(f"in process: first {times[0] * 1000:.0f} ms, best {min(times) * 1000:.0f} ms "
          f"(load + validate + 30 rules, {args.repeat} runs)")
    wall, cpu = command(args.corpus)
    print(f"whole command: {wall:.2f} s wall, {cpu:.2f} s CPU (python start-up and imports included)")
    wall, cpu = command(args.corpus, "--run")
    print(f"with --run (flows run, record-triggered ones saved): {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()

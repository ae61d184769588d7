"""Engine speed: a flow that loops 10,000 times over an Assignment and a Decision, vs the same logic in
plain Python with Decimal. Prints µs per executed element and the ratio (issue target: ≤ 30×).

    python3 bench/engine.py [--iterations 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from decimal import Decimal

from flowforce.engine.batch import run_batch
from flowforce.engine.context import RunContext
from flowforce.engine.engine import compile_program
from flowforce.engine.settings import EngineSettings
from flowforce.metadata.parser import parse_flow_bytes

FLOW = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Counter</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start><connector><targetReference>Increment</targetReference></connector></start>
  <variables><name>Limit</name><dataType>Number</dataType><isCollection>false</isCollection>
    <isInput>true</isInput><isOutput>false</isOutput><scale>0</scale></variables>
  <variables><name>Counter</name><dataType>Number</dataType><isCollection>false</isCollection>
    <isInput>false</isInput><isOutput>true</isOutput><scale>0</scale>
    <value><numberValue>0</numberValue></value></variables>
  <assignments><name>Increment</name><label>Increment</label>
    <assignmentItems><assignToReference>Counter</assignToReference><operator>Add</operator>
      <value><numberValue>1</numberValue></value></assignmentItems>
    <connector><targetReference>More</targetReference></connector></assignments>
  <decisions><name>More</name><label>More?</label>
    <rules><name>Again</name><conditionLogic>and</conditionLogic>
      <conditions><leftValueReference>Counter</leftValueReference><operator>LessThan</operator>
        <rightValue><elementReference>Limit</elementReference></rightValue></conditions>
      <connector><targetReference>Increment</targetReference></connector></rules></decisions>
</Flow>"""


def plain_python(limit: Decimal) -> Decimal:
    counter = Decimal(0)
    while True:
        counter += 1
        if not counter < limit:
            return counter


def interleaved_best(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best time of each run, measured in alternation so machine noise hits every contender alike."""
    best = {name: float("inf") for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    program = compile_program(parse_flow_bytes(FLOW.encode(), api_name="Counter"))
    limit = Decimal(args.iterations)
    elements = 2 * args.iterations

    def engine(trace: bool) -> None:
        context = RunContext(settings=EngineSettings(trace=trace))
        result = run_batch(program, [{"Limit": args.iterations}], context).results[0]
        assert result.outputs == {"Counter": limit}, result

    best = interleaved_best(args.repeat, {
        "python": lambda: plain_python(limit),
        "trace off": lambda: engine(False),
        "trace on": lambda: engine(True),
    })
    python_us = best["python"] * 1e6 / elements
    print(f"elements executed per run: {elements:,} (best of {args.repeat} interleaved runs)")
    print(f"plain Python (Decimal):        {python_us:8.3f} µs/element")
    for name in ("trace off", "trace on"):
        per_element = best[name] * 1e6 / elements
        print(f"flowforce engine, {name:9}: {per_element:8.3f} µs/element  ratio {per_element / python_us:6.1f}x"
              "  (target <= 30x)")

if __name__ == "__main__":
    main()

"""`flowforce test`: run a project's Salesforce Flow Tests offline, reporting as `sf flow run test` does."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from flowforce.settings import BUNDLED_EXAMPLE


class ResultFormat(StrEnum):
    human = "human"
    tap = "tap"
    junit = "junit"
    json = "json"


def flow_test(
    project_dir: Annotated[Path | None, typer.Argument(help="SFDX project folder (default: the bundled example).")]
    = None,
    tests: Annotated[list[str] | None, typer.Option("--tests", "-t", help="Flow.Test names to run (repeatable).")]
    = None,
    flows: Annotated[list[str] | None, typer.Option("--flow", "-n", help="Run the tests of these flows.")] = None,
    result_format: Annotated[ResultFormat, typer.Option("--result-format", "-r", help="Output format.")]
    = ResultFormat.human,
    code_coverage: Annotated[bool, typer.Option("--code-coverage", "-c", help="Report elements visited per flow.")]
    = False,
    output_dir: Annotated[Path | None, typer.Option("--output-dir", "-d", help="Also write the results here.")]
    = None,
    db: Annotated[str | None, typer.Option(help="Record store to run against (default: a throw-away SQLite).")]
    = None,
) -> None:
    """Run the project's flowtests/*.flowtest-meta.xml; exit 1 when any test fails."""
    from flowforce.runtime import open_project
    from flowforce.testing.flowtests import FlowTestParseError, run_flow_tests, select_flow_tests
    from flowforce.testing.flowtests.report import as_json, as_junit, as_tap

    project = project_dir or BUNDLED_EXAMPLE
    err = Console(stderr=True)
    try:
        chosen = select_flow_tests(project, tests=tests or (), flows=flows or ())
    except FlowTestParseError as error:
        err.print(f"[red]Can't read a flow test: {error}[/red]")
        raise typer.Exit(1) from None
    if not chosen:
        err.print(f"[yellow]No flow tests matched under {project}.[/yellow]")
        raise typer.Exit(1)
    started = dt.datetime.now(dt.UTC)
    with (tempfile.TemporaryDirectory(prefix="flowforce-test-") as scratch,
          open_project(project, db or f"sqlite:///{Path(scratch) / 'tests.db'}", worker_threads=0) as org,
          Progress(console=err, transient=True, disable=not sys.stderr.isatty()) as progress):
        task = progress.add_task("Running flow tests", total=len(chosen))
        outcomes = run_flow_tests(org, chosen, lambda _: progress.advance(task))
    rendered = {
        ResultFormat.json: lambda: json.dumps({"status": 0 if all(o.passed for o in outcomes) else 1,
                                               "result": as_json(outcomes, started, with_coverage=code_coverage)},
                                              indent=2),
        ResultFormat.tap: lambda: as_tap(outcomes),
        ResultFormat.junit: lambda: as_junit(outcomes, started),
    }
    if result_format is ResultFormat.human:
        print_human(Console(), outcomes, started, code_coverage)
    else:
        typer.echo(rendered[result_format]())
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        (output_dir / "test-result.json").write_text(rendered[ResultFormat.json]())
        (output_dir / "test-result-junit.xml").write_text(rendered[ResultFormat.junit]())
    raise typer.Exit(0 if all(outcome.passed for outcome in outcomes) else 1)


def print_human(console: Console, outcomes: list, started: dt.datetime, with_coverage: bool) -> None:  # type: ignore[type-arg]
    from flowforce.testing.flowtests.report import coverage, failure_text, summary

    for outcome in outcomes:
        if not outcome.passed:
            console.print(f"[bold red]=== Failed: {outcome.test.full_name}[/bold red]")
            console.print(failure_text(outcome), markup=False, highlight=False)
            console.print()
    results = Table(title="Test Results", title_justify="left")
    for column in ("TEST NAME", "OUTCOME", "MESSAGE", "RUNTIME (MS)"):
        results.add_column(column)
    for outcome in outcomes:
        message = "" if outcome.passed else failure_text(outcome).splitlines()[0]
        results.add_row(outcome.test.full_name, "[green]Pass[/green]" if outcome.passed else "[red]Fail[/red]",
                        message, str(round(outcome.duration_ms)))
    console.print(results)
    if with_coverage:
        table = Table(title="Flow Coverage", title_justify="left")
        for column in ("FLOW", "PERCENT", "UNCOVERED ELEMENTS"):
            table.add_column(column)
        for item in coverage(outcomes):
            table.add_row(item.flow, f"{item.percent}%", ", ".join(item.uncovered))
        console.print(table)
    overview = Table(title="Test Summary", title_justify="left")
    overview.add_column("NAME")
    overview.add_column("VALUE")
    for name, value in summary(outcomes, started).items():
        overview.add_row(name, str(value))
    console.print(overview)

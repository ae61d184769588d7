"""The `flowforce` command: check flow files, run a flow, manage seed data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flowforce.api.wire_values import to_wire
from flowforce.commands.access import apps_app, users_app
from flowforce.commands.data import data_app
from flowforce.commands.flow_test import flow_test
from flowforce.engine.batch import InterviewResult
from flowforce.engine.program import FlowCompileError
from flowforce.records.errors import RecordError, SchemaMigrationError
from flowforce.settings import BUNDLED_EXAMPLE

app = typer.Typer(help="flowforce: a self-hostable, Salesforce-compatible flow server.", no_args_is_help=True)
# A pipe or a CI log has no width: give the trace table room instead of wrapping every cell.
err = Console(stderr=True, width=None if sys.stderr.isatty() else 180)


app.add_typer(data_app, name="data", help="Import and export seed records (sf data tree format).")
app.add_typer(users_app, name="users")
app.add_typer(apps_app, name="apps")
app.command("test", help="Run the project's Salesforce Flow Tests (flowtests/*.flowtest-meta.xml) offline.")(flow_test)


@app.command()
def serve(
    project_dir: Annotated[Path | None, typer.Argument(help="SFDX project folder (default: the bundled example).")]
    = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    db: Annotated[str | None, typer.Option(help="Record store URL (default sqlite in <project>/.flowforce).")]
    = None,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
    reload: Annotated[bool, typer.Option(help="Pick up changed flow files under the project while serving.")]
    = False,
    tls: Annotated[bool, typer.Option("--tls", help="Serve HTTPS (a generated local CA unless --tls-cert).")]
    = False,
    tls_cert: Annotated[Path | None, typer.Option(help="PEM certificate (chain) to serve; implies --tls.")] = None,
    tls_key: Annotated[Path | None, typer.Option(help="PEM private key of --tls-cert.")] = None,
) -> None:
    """Serve the project's flows and records over Salesforce's REST API (settings also from FLOWFORCE_* and
    flowforce.toml)."""
    from flowforce.api.serve import ServeError
    from flowforce.api.serve import serve as run_server
    from flowforce.settings import load_settings

    settings = load_settings(project_dir=project_dir, host=host, port=port, database_url=db, tls=tls or None,
                             tls_cert=tls_cert, tls_key=tls_key)
    try:
        run_server(settings, typer.echo, access_log=access_log, reload=reload)
    except ServeError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


@app.command()
def worker(
    project_dir: Annotated[Path | None, typer.Argument(help="SFDX project folder (default: the bundled example).")]
    = None,
    db: Annotated[str | None, typer.Option(help="Record store URL, shared with the servers (PostgreSQL).")] = None,
    threads: Annotated[int, typer.Option(help="Jobs run at once by this process.")] = 1,
) -> None:
    """Run queued jobs — asynchronous interviews, wait resumes — beside `flowforce serve` processes on one
    database, until interrupted."""
    import signal
    import threading

    from flowforce.runtime import open_project

    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    with open_project(project_dir or BUNDLED_EXAMPLE, db) as org:
        running = org.start_worker(threads)
        typer.echo(f"flowforce worker: {threads} thread(s) on {org.settings.database}")
        stop.wait()
        running.stop()


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Flow files or SFDX project folders.")],
    strict: Annotated[bool, typer.Option(help="Treat warnings (unknown objects, actions) as errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every load problem.")] = False,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="A .flow-scanner.yml/.json or flowforce.toml (default: found from PATHS up).")] = None,
    threshold: Annotated[str | None, typer.Option(
        "--threshold", "-t", help="Exit 1 on a finding this severe or worse: error, warning, note, never.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    sarif: Annotated[bool, typer.Option("--sarif", help="Print the report as SARIF 2.1.0.")] = False,
    junit: Annotated[bool, typer.Option("--junit", help="Print the report as JUnit XML.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the JSON/SARIF/JUnit report here (format from the flag or the file name) "
        "and print the table.")] = None,
    beta: Annotated[bool, typer.Option("--beta", help="Also run the scanner's beta rules (betaMode).")] = False,
    run: Annotated[bool, typer.Option("--run", help="Also run each flow on generated inputs (rolled back) and "
                                      "report what the runs show: SOQL/DML per input, faults, unvisited elements.")]
    = False,
) -> None:
    """Load every flow under PATHS (one line per version), run the Lightning Flow Scanner rules, and exit 1 when a
    file does not load or a finding meets --threshold (default error)."""
    from flowforce.lint.command import CheckOptions, output_format, run_check_command

    chosen = [name for name, flag in (("json", as_json), ("sarif", sarif), ("junit", junit)) if flag]
    if len(chosen) > 1:
        err.print("[red]Choose one of --json, --sarif and --junit.[/red]")
        raise typer.Exit(2)
    options = CheckOptions(strict=strict, verbose=verbose, config=config, threshold=threshold,
                           output_format=output_format(chosen[0] if chosen else None, output), output=output,
                           beta=beta, run=run)
    raise typer.Exit(run_check_command(paths, options))


def parse_inputs(text: str) -> list[dict[str, Any]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        err.print(f"[red]--input is not valid JSON:[/red] {error}")
        raise typer.Exit(2) from None
    if isinstance(value, dict) and isinstance(value.get("inputs"), list):
        value = value["inputs"]  # the REST body shape works too
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    err.print("[red]--input must be a JSON object, an array of objects, or {\"inputs\": [...]}.[/red]")
    raise typer.Exit(2)


def output_values(result: InterviewResult) -> dict[str, Any] | None:
    """The `outputValues` shape of a REST invoke result (reference/api-surface.md §1.4)."""
    if result.outputs is None:
        return None
    values = dict(to_wire(result.outputs))
    values["Flow__InterviewGuid"] = result.guid
    values["Flow__InterviewStatus"] = result.status.value
    return values


def print_trace(result: InterviewResult, index: int) -> None:
    table = Table(title=f"interview {index + 1}: {result.status.value}", title_justify="left")
    for column in ("element", "type", "outcome", "why", "changed", "µs"):
        table.add_column(column)
    for entry in result.trace or []:
        changed = ", ".join(f"{name}={json.dumps(to_wire(value), default=str)}"
                            for name, value in entry.changes.items())
        why = (entry.fault and f"[red]{entry.fault}[/red]") or entry.detail or ""
        table.add_row(entry.element, entry.element_type, entry.outcome or "", why, changed,
                      f"{entry.duration_us:.0f}")
    err.print(table)


@app.command()
def run(
    flow: Annotated[str, typer.Argument(help="The flow's API name.")],
    project: Annotated[Path, typer.Option(help="SFDX project folder (or a folder of flow files).")] = BUNDLED_EXAMPLE,
    input: Annotated[str, typer.Option("--input", "-i", help="Inputs as JSON: one object or an array.")] = "{}",
    trace: Annotated[bool, typer.Option(help="Print each element executed and why (to stderr).")] = False,
    db: Annotated[str | None, typer.Option(help="Record store URL (default: the project's SQLite file).")] = None,
    commit: Annotated[bool, typer.Option(help="Keep the records the flow wrote (--no-commit rolls back).")] = True,
) -> None:
    """Run FLOW once per input (one transaction) and print the results' outputValues as JSON."""
    from flowforce.runtime import Org
    from flowforce.settings import load_settings

    inputs = parse_inputs(input)
    try:
        org = Org.open(load_settings(project_dir=project, database_url=db))
    except (RecordError, SchemaMigrationError) as error:
        err.print(f"[red]Can't open the record store: {error}[/red]")
        raise typer.Exit(1) from None
    with org:
        if org.library.runnable_version(flow) is None:
            versions = org.library.versions(flow)
            reason = "every version is an invalid draft" if versions else "no such flow"
            err.print(f"[red]Can't run {flow} from {project}: {reason}.[/red]")
            for item in versions:
                for problem in item.errors:
                    err.print(f"  version {item.flow.version}: {problem}")
            raise typer.Exit(1)
        try:
            batch = org.run(flow, inputs, commit=commit, trace=trace).batch
        except FlowCompileError as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from None
    payload = []
    for index, result in enumerate(batch.results):
        if trace:
            print_trace(result, index)
        entry: dict[str, Any] = {"isSuccess": result.success, "outputValues": output_values(result)}
        if result.failure is not None:
            entry["error"] = {"element": result.failure.element, "message": result.failure.message}
        payload.append(entry)
    typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2))
    raise typer.Exit(0 if batch.all_succeeded else 1)


if __name__ == "__main__":  # pragma: no cover
    app()

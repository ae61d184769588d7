"""`flowforce check PATH...`: load flows the way the server would and say, per flow version, what it is.

One line per version (API name, processType, trigger, element count, verdict), a summary, and an exit code
for CI: 0 only when everything loads. An InvalidDraft is what Salesforce would hold too, so it loads and does
not fail the run, unless its file claims to be Active (Salesforce would not have activated it) or `--strict`
asks for warnings (unknown objects, unregistered actions) to count as errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from flowforce.actions.defaults import default_registry
from flowforce.metadata.problems import Problem
from flowforce.metadata.project import INVALID_DRAFT, FlowLibrary, LoadedFlow, LoadFailure

HEADLESS_PREFIX = "not runnable headless"


@dataclass(frozen=True)
class CheckLine:
    api_name: str
    version: int
    process_type: str
    trigger: str
    element_count: int
    status_text: str
    problems: tuple[Problem, ...] = ()
    path: str = ""
    status: str = "-"  # effective status (Active, Draft, …) or "-" when the file did not load
    outcome: str = "ok"  # ok | warnings | invalid | failed
    fails_run: bool = False


@dataclass(frozen=True)
class CheckReport:
    lines: tuple[CheckLine, ...]
    strict: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        count = {
            outcome: sum(line.outcome == outcome for line in self.lines)
            for outcome in ("ok", "warnings", "invalid", "failed")
        }
        total = len(self.lines)
        return (
            f"{total} flow{'s' if total != 1 else ''}: {count['ok']} ok, {count['warnings']} with warnings, "
            f"{count['invalid']} invalid draft{'s' if count['invalid'] != 1 else ''}, "
            f"{count['failed']} failed to load"
        )

    @property
    def exit_code(self) -> int:
        return 1 if any(line.fails_run for line in self.lines) else 0


def check_paths(
    paths: Iterable[Path | str], *, strict: bool = False, schema: Any = None, actions: Any = None
) -> CheckReport:
    library = FlowLibrary.load(
        paths, schema=schema, actions=actions if actions is not None else default_registry()
    )
    return check_library(library, strict=strict)


def check_library(library: FlowLibrary, *, strict: bool = False) -> CheckReport:
    """The report for a library already loaded (the linter loads once and reports both)."""
    lines = [_loaded_line(item, strict) for item in library]
    lines += [_failure_line(failure) for failure in library.failures]
    lines.sort(key=lambda line: (line.api_name.lower(), line.version, line.path))
    return CheckReport(tuple(lines), strict)


def _loaded_line(item: LoadedFlow, strict: bool) -> CheckLine:
    flow = item.flow
    errors, warnings = item.errors, item.warnings
    if item.effective_status == INVALID_DRAFT:
        outcome = "invalid"
        status_text = f"InvalidDraft: {errors[0]}" if errors else "InvalidDraft (as saved; no error found)"
    elif any(problem.message.startswith(HEADLESS_PREFIX) for problem in warnings):
        outcome, status_text = "warnings", HEADLESS_PREFIX
    elif warnings:
        outcome, status_text = "warnings", f"OK ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
    else:
        outcome, status_text = "ok", "OK"
    claimed_active = bool(errors) and flow.status == "Active"
    return CheckLine(
        api_name=flow.api_name,
        version=flow.version,
        process_type=flow.process_type,
        trigger=flow.trigger_type or "-",
        element_count=len(flow.nodes),
        status_text=status_text,
        problems=item.problems,
        path=item.path or "",
        status=item.effective_status,
        outcome=outcome,
        fails_run=claimed_active or (strict and bool(item.problems)),
    )


def _failure_line(failure: LoadFailure) -> CheckLine:
    name, version = failure.identity
    return CheckLine(
        name,
        version,
        "-",
        "-",
        0,
        f"failed to load: {failure.message}",
        path=failure.path,
        outcome="failed",
        fails_run=True,
    )


# ---------------------------------------------------------------------------------------------- output

OUTCOME_STYLES = {"ok": "green", "warnings": "yellow", "invalid": "red", "failed": "bold red"}


def render(report: CheckReport, console: Console, *, verbose: bool = False) -> None:
    """One aligned line per flow version; with *verbose*, each problem indented beneath its flow."""
    columns = [_columns(line, report) for line in report.lines]
    widths = [max((len(row[i]) for row in columns), default=0) for i in range(5)]
    for line, row in zip(report.lines, columns):
        text = Text("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  ")
        text.append(line.status_text, style=OUTCOME_STYLES[line.outcome])
        console.print(text, soft_wrap=True)
        if verbose:
            if line.path:
                console.print(Text(f"    {line.path}", style="dim"), soft_wrap=True)
            for problem in line.problems:
                style = "red" if problem.is_error else "yellow"
                console.print(Text(f"    {problem.severity}: {problem}", style=style), soft_wrap=True)
    console.print(Text(report.summary, style="bold"))
    if report.exit_code:
        console.print(Text(_failure_reason(report), style="bold red"))


def _columns(line: CheckLine, report: CheckReport) -> Sequence[str]:
    many = sum(other.api_name.lower() == line.api_name.lower() for other in report.lines) > 1
    name = f"{line.api_name} v{line.version}" if many or line.version != 1 else line.api_name
    elements = f"{line.element_count} element{'s' if line.element_count != 1 else ''}"
    return name, line.status, line.process_type, line.trigger, elements


def _failure_reason(report: CheckReport) -> str:
    failing = [line for line in report.lines if line.fails_run]
    failed = sum(line.outcome == "failed" for line in failing)
    parts = []
    if failed:
        parts.append(f"{failed} failed to load")
    claimed = sum(
        line.outcome == "invalid" and any(p.message.startswith("the file says Active") for p in line.problems)
        for line in failing
    )
    if claimed:
        parts.append(f"{claimed} claim{'s' if claimed == 1 else ''} Active but would not activate")
    if report.strict and len(failing) > failed + claimed:
        parts.append(f"{len(failing) - failed - claimed} with problems (--strict)")
    return "check failed: " + ", ".join(parts)


def default_schema(paths: Sequence[Path | str]) -> Any:
    """The objects flows are checked against: an SFDX project's own objects when exactly one project is
    given (custom objects and fields included), else the standard objects; None if records can't load."""
    projects = [Path(path) for path in paths if (Path(path) / "sfdx-project.json").is_file()]
    try:
        from flowforce.records.schema import SchemaRegistry

        return SchemaRegistry.load(projects[0]) if len(projects) == 1 else SchemaRegistry.standard()
    except Exception:  # a broken object folder must not stop flows from being checked
        return None


def run_check(paths: Sequence[Path | str], strict: bool = False, verbose: bool = False) -> int:
    """What the CLI's `flowforce check` does: check, print, return the exit code."""
    report = check_paths(paths, strict=strict, schema=default_schema(paths))
    render(report, Console(), verbose=verbose)
    return report.exit_code

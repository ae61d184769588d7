"""The human report: `flowforce check`'s load lines, then a table of findings per flow, then the totals."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from flowforce.lint.formats.paths import display_path
from flowforce.lint.scan import LintReport
from flowforce.metadata.check import render

SEVERITY_STYLES = {"error": "red", "warning": "yellow", "note": "cyan"}


def render_table(report: LintReport, console: Console, *, verbose: bool = False) -> None:
    render(report.check, console, verbose=verbose)
    for flow in report.flows:
        if not flow.findings:
            continue
        console.print()
        title = Text(f"{flow.flow}", style="bold")
        title.append(f"  v{flow.version}  {flow.process_type}  {display_path(flow.path)}", style="dim")
        title.append(f"  ({len(flow.findings)} result{'s' if len(flow.findings) != 1 else ''})")
        console.print(title)
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("rule", "severity", "name", "line", "message"):
            table.add_column(column, overflow="fold")
        for finding in flow.findings:
            origin = " [run]" if finding.origin != "static" else ""
            table.add_row(
                finding.rule.id + origin,
                Text(finding.severity.value, style=SEVERITY_STYLES[finding.severity.value]),
                finding.name,
                f"{finding.position.line}:{finding.position.column}",
                finding.message,
            )
        console.print(table)
    if report.evidence:
        _render_runs(report, console)
    counts = report.counts()
    shown = [flow for flow in report.flows if not flow.ignored]
    total = sum(counts.values())
    console.print()
    console.print(Text(
        f"{total} result{'s' if total != 1 else ''} in {len(shown)} flow{'s' if len(shown) != 1 else ''}: "
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}, "
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, "
        f"{counts['note']} note{'s' if counts['note'] != 1 else ''} "
        f"({len(report.rules)} rules; threshold {report.threshold})",
        style="bold",
    ))
    for error in report.errors:
        console.print(Text(f"internal error: {error}", style="red"))
    if report.failing:
        console.print(Text(
            f"check failed: {len(report.failing)} result{'s' if len(report.failing) != 1 else ''} at or above "
            f"{report.threshold}", style="bold red",
        ))


def _render_runs(report: LintReport, console: Console) -> None:
    """One line per flow that ran (per input: status, SOQL, DML); skipped flows counted by reason."""
    console.print()
    console.print(Text("runs (--run: generated inputs, each in its own rolled-back transaction)", style="bold"))
    skipped: dict[str, int] = {}
    for evidence in report.evidence:
        if evidence.skipped:
            reason = evidence.skipped.split(":")[0]
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        parts = []
        for run in evidence.runs:
            where = f" at {run.failure.element}" if run.failure is not None else ""
            blocked = " (stopped: not available here)" if run.blocked else ""
            parts.append(f"{run.label}: {run.status}{where}{blocked}, {run.soql_queries} SOQL, "
                         f"{run.dml_statements} DML"
                         + (f", trigger depth {run.trigger_depth}" if run.trigger_depth is not None else ""))
        console.print(f"  {evidence.flow} v{evidence.version}  " + "; ".join(parts), soft_wrap=True)
    for reason, count in sorted(skipped.items()):
        console.print(Text(f"  not run ({count}): {reason}", style="dim"), soft_wrap=True)

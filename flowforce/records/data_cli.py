"""``flowforce data import`` / ``flowforce data export``: seed and dump a project's record store.

The lead wires :data:`data_app` into the main CLI (``app.add_typer(data_app, name="data")``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flowforce.records.data_io import DataImportError, export_tree, import_tree
from flowforce.records.errors import SchemaMigrationError
from flowforce.records.project_store import open_project_store
from flowforce.records.store import RecordStore

data_app = typer.Typer(help="Import and export records (sf data tree JSON format).", no_args_is_help=True)

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="SFDX project directory.")]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: sqlite:///<project>/.flowforce/flowforce.db).")
]


def _open(project: Path, db: str | None, console: Console) -> RecordStore:
    try:
        store = open_project_store(project, db)
    except SchemaMigrationError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from error
    for warning in store.registry.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    return store


def _summary(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("Object")
    table.add_column("Records", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    table.add_row("[bold]Total[/bold]", f"[bold]{sum(counts.values())}[/bold]")
    return table


@data_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tree file or plan file.")],
    project: ProjectOption = Path("."),
    db: DbOption = None,
) -> None:
    """Load records from an `sf data import tree` file or plan, all or nothing."""
    console = Console()
    store = _open(project, db, console)
    try:
        result = import_tree(store, file)
    except DataImportError as error:
        console.print(f"[red]Import failed, nothing was saved:[/red] {error}")
        raise typer.Exit(1) from error
    finally:
        store.close()
    console.print(_summary(f"Imported {file.name}", result.counts))


@data_app.command("export")
def export_command(
    objects: Annotated[list[str], typer.Option("--object", "-o", help="Object to export (repeatable).")],
    output_dir: Annotated[Path, typer.Option("--output-dir", "-d", help="Directory for the tree files.")] = Path(
        "data"
    ),
    project: ProjectOption = Path("."),
    db: DbOption = None,
) -> None:
    """Write the live records of the given objects as tree files plus a plan."""
    console = Console()
    store = _open(project, db, console)
    try:
        result = export_tree(store, objects, output_dir)
    finally:
        store.close()
    console.print(_summary(f"Exported to {output_dir} (plan: {result.plan.name})", result.counts))

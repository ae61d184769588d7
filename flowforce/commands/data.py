"""``flowforce data import`` / ``flowforce data export``: seed and dump a project's records.

Imports go through the org's store like any other DML, so whatever the org plugs into saves (record-triggered
flows) runs for imported records too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flowforce.records.data_io import DataImportError, export_tree, import_tree
from flowforce.records.errors import SchemaMigrationError
from flowforce.settings import SetupError

if TYPE_CHECKING:
    from flowforce.runtime import Org

data_app = typer.Typer(help="Import and export records (sf data tree JSON format).", no_args_is_help=True)

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="SFDX project directory.")]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: sqlite:///<project>/.flowforce/flowforce.db).")
]


def open_org(project: Path, db: str | None, console: Console) -> Org:
    from flowforce.runtime import open_project  # the whole runtime: imported only when a command runs

    try:
        org = open_project(project, db)
    except SchemaMigrationError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from error
    except SetupError as error:
        console.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    for warning in org.registry.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    return org


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
    with open_org(project, db, console) as org:
        try:
            result = import_tree(org.store, file)
        except DataImportError as error:
            console.print(f"[red]Import failed, nothing was saved:[/red] {error}")
            raise typer.Exit(1) from error
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
    with open_org(project, db, console) as org:
        result = export_tree(org.store, objects, output_dir)
    console.print(_summary(f"Exported to {output_dir} (plan: {result.plan.name})", result.counts))

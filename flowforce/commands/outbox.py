"""``flowforce outbox``: what the project's flows sent or are holding — email, SMS, notifications — with status,
the same list as `GET /_flowforce/outbox`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flowforce.commands.data import DbOption, ProjectOption, open_org


def outbox_command(
    project: ProjectOption = Path("."),
    db: DbOption = None,
    channel: Annotated[str | None, typer.Option(help="email, sms or notification.")] = None,
    status: Annotated[str | None, typer.Option(help="queued, sent, failed, held or logged.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Part of the recipient (address, phone number).")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the messages as JSON (the API's body).")] = False,
) -> None:
    """List the outbox: one line per message, newest first."""
    from flowforce.api.admin import message_body

    console = Console(width=None if sys.stdout.isatty() else 160)  # a pipe has no width: room for the table
    with open_org(project, db, console) as org:
        messages = org.outbox.messages(channel=channel, status=status, recipient=recipient, limit=limit)
    if as_json:
        typer.echo(json.dumps({"messages": [message_body(message) for message in messages]}, indent=2))
        return
    table = Table(title=f"Outbox of {project}")
    for column in ("id", "channel", "status", "to", "subject / text", "attempts", "error"):
        table.add_column(column)
    for message in messages:
        text = message.subject or str(message.payload.get("body") or "")
        table.add_row(str(message.id), message.channel, message.status, message.recipient, text[:60],
                      str(message.attempts), message.last_error or "")
    console.print(table)

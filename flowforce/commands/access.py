"""``flowforce users …`` and ``flowforce apps …``: manage the org's users, apps and flow shares offline.

Each command opens the project's org (``--db``, default ``sqlite:///<project>/.flowforce/flowforce.db``) and
prints generated secrets once: only their hashes are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flowforce.auth.errors import AuthAdminError
from flowforce.auth.hashing import random_string
from flowforce.auth.password_policy import check_password
from flowforce.auth.service import AuthService

users_app = typer.Typer(help="Manage users, their permissions and the flows shared with them.", no_args_is_help=True)
apps_app = typer.Typer(help="Manage external client apps (OAuth consumer keys).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def print_table(table: Table) -> None:
    """Tables keep full values when piped or captured (rich assumes 80 columns off a terminal)."""
    (out if out.is_terminal else Console(width=240)).print(table)

ProjectOption = Annotated[Path, typer.Option("--project", help="The project folder.")]
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: the project's SQLite file).")]


@contextmanager
def open_service(project: Path, db: str | None) -> Iterator[AuthService]:
    """The org's auth service; admin errors become a red message and exit code 1."""
    from flowforce.runtime import open_project  # the whole runtime: imported only when a command runs

    with open_project(project, db) as org:
        try:
            yield org.auth
        except AuthAdminError as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from None


@users_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="The login name (an email address, as in Salesforce).")],
    password: Annotated[str | None, typer.Option(help="Generated and printed when omitted.")] = None,
    email: Annotated[str | None, typer.Option(help="Defaults to the username.")] = None,
    profile: Annotated[str, typer.Option(help="System Administrator, Standard User or "
                                              "'Minimum Access - API Only'.")] = "System Administrator",
    permission_set: Annotated[list[str] | None, typer.Option("--permission-set", help="Repeatable.")] = None,
    flow_user: Annotated[bool, typer.Option("--flow-user/--no-flow-user", help="The Flow User checkbox.")] = True,
    trusted: Annotated[bool, typer.Option(help="Allow logins without the security token.")] = False,
    project: ProjectOption = Path("."),
    db: DbOption = None,
) -> None:
    """Create a user and print its password (when generated) and security token."""
    plain = password or random_string(16)
    if password is not None:
        try:
            check_password(password, username)
        except AuthAdminError as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from None
    with open_service(project, db) as service:
        info = service.add_user(username, plain, email=email, profile=profile, permission_sets=permission_set or (),
                                flow_user=flow_user, trusted=trusted)
    out.print(f"[green]Created user[/green] {info.username} ({info.user_id}, {info.profile})")
    if password is None:
        out.print(f"  password:       [bold]{plain}[/bold]", soft_wrap=True)
    out.print(f"  security token: [bold]{info.security_token}[/bold]  (shown once)", soft_wrap=True)


@users_app.command("list")
def list_users(project: ProjectOption = Path("."), db: DbOption = None) -> None:
    """List users with their profile, permission sets and flags."""
    with open_service(project, db) as service:
        users = service.list_users()
    table = Table("username", "id", "profile", "permission sets", "flow user", "trusted", "active")
    for user in users:
        table.add_row(user.username, user.user_id, user.profile, ", ".join(user.permission_sets),
                      "yes" if user.flow_user else "no", "yes" if user.trusted else "no",
                      "yes" if user.active else "no")
    print_table(table)


@users_app.command("share-flow")
def share_flow(
    flow: Annotated[str, typer.Argument(help="The flow's API name.")],
    username: Annotated[str, typer.Argument()],
    project: ProjectOption = Path("."),
    db: DbOption = None,
) -> None:
    """Share FLOW with USERNAME (users without Manage Flows run only flows shared with them)."""
    with open_service(project, db) as service:
        service.share_flow(flow, username)
    out.print(f"[green]Shared[/green] {flow} with {username}")


@apps_app.command("add")
def add_app(
    name: Annotated[str, typer.Argument()],
    client_id: Annotated[str | None, typer.Option(help="Generated when omitted.")] = None,
    client_secret: Annotated[str | None, typer.Option(help="Generated when omitted.")] = None,
    run_as: Annotated[str | None, typer.Option("--run-as", help="The client-credentials user.")] = None,
    certificate: Annotated[Path | None, typer.Option(help="PEM certificate for the JWT bearer grant.")] = None,
    scope: Annotated[str | None, typer.Option(help="OAuth scopes, e.g. 'api refresh_token'.")] = None,
    callback_url: Annotated[list[str] | None, typer.Option(
        "--callback-url", help="Where the web server flow may send the browser back (repeatable).")] = None,
    public: Annotated[bool, typer.Option(
        help="Web server flow without the client secret (PKCE required instead), like the sf CLI's app.")] = False,
    project: ProjectOption = Path("."),
    db: DbOption = None,
) -> None:
    """Create an app and print its consumer key and secret."""
    pem = certificate.read_text() if certificate else None
    with open_service(project, db) as service:
        info = service.add_app(name, client_id=client_id, client_secret=client_secret, run_as_username=run_as,
                               certificate_pem=pem, scope=scope)
        if callback_url:
            service.web_flow.configure(info.client_id, callback_urls=callback_url, require_secret=not public,
                                       require_pkce=public)
    out.print(f"[green]Created app[/green] {info.name}")
    out.print(f"  client id:     [bold]{info.client_id}[/bold]", soft_wrap=True)
    out.print(f"  client secret: [bold]{info.client_secret}[/bold]  (shown once)", soft_wrap=True)


@apps_app.command("list")
def list_apps(project: ProjectOption = Path("."), db: DbOption = None) -> None:
    """List apps (secrets are never shown again)."""
    with open_service(project, db) as service:
        apps = service.list_apps()
    table = Table("name", "run as", "certificate", "scope")
    table.add_column("client id", overflow="fold")
    for app in apps:
        table.add_row(app.name, app.run_as_username or "", "yes" if app.has_certificate else "no", app.scope,
                      app.client_id)
    print_table(table)

"""`python3 -m flowforce …` runs the CLI."""

from flowforce.cli import app

app()

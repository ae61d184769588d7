"""`flowforce check`: load every flow (the load report), run the rules, print, and say how CI should exit.

Exit codes: 0 clean; 1 when a flow file fails to load, a flow claiming Active would not activate, or a finding
meets the threshold; 2 when the configuration or the options cannot be used.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from flowforce.actions.project import registry_for_paths
from flowforce.lint.config import ConfigError, LintConfig, Threshold, load_config, parse_threshold
from flowforce.lint.evidence import gather_evidence
from flowforce.lint.formats import MACHINE_FORMATS
from flowforce.lint.formats.table import render_table
from flowforce.lint.scan import ConfigurationError, LintReport, lint_library
from flowforce.metadata.check import check_library, default_schema
from flowforce.metadata.project import FlowLibrary
from flowforce.settings import SetupError

DEFAULT_THRESHOLD: Threshold = "error"  # the scanner CLI's default


@dataclass(frozen=True)
class CheckOptions:
    strict: bool = False
    verbose: bool = False
    config: Path | None = None
    threshold: str | None = None
    output_format: str = "table"
    output: Path | None = None
    beta: bool = False
    #: Run the flows too (generated inputs, through the runtime's Org) and add what the runs show.
    run: bool = False


def lint_paths(paths: Sequence[Path | str], options: CheckOptions, config: LintConfig | None = None) -> LintReport:
    """Load, report and lint *paths*; raises ConfigError when the configuration cannot be used."""
    config = config if config is not None else load_config(paths, explicit=options.config)
    if options.beta:
        config = dataclasses.replace(config, beta=True)
    threshold = parse_threshold(options.threshold) if options.threshold else config.threshold or DEFAULT_THRESHOLD
    library = FlowLibrary.load(paths, schema=default_schema(paths), actions=registry_for_paths(paths))
    check = check_library(library, strict=options.strict)
    try:
        report = lint_library(library, check, config, threshold)
    except ConfigurationError as error:
        raise ConfigError(f"{' / '.join(config.files) or 'configuration'}: {error}") from None
    if options.run:
        from flowforce.lint.runtime import OrgEvidence  # the runtime only when asked to run flows

        source = OrgEvidence()
        try:
            gather_evidence(report, source)
        finally:
            source.close()
    return report


def _console() -> Console:
    """The terminal's width, or room for the findings table in a pipe or CI log (which has no width)."""
    return Console(width=None if sys.stdout.isatty() else 160)


def run_check_command(paths: Sequence[Path | str], options: CheckOptions) -> int:
    errors = Console(stderr=True)
    try:
        report = lint_paths(paths, options)
    except (ConfigError, SetupError) as error:
        errors.print(Text(str(error), style="red"), soft_wrap=True)
        return 2
    for warning in report.config.warnings:
        errors.print(Text(warning, style="yellow"), soft_wrap=True)
    if options.output_format == "table":
        render_table(report, _console(), verbose=options.verbose)
    else:
        text = MACHINE_FORMATS[options.output_format](report)
        if options.output is not None:
            options.output.write_text(text, encoding="utf-8")
            render_table(report, _console(), verbose=options.verbose)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 1 if report.check.exit_code or report.exit_code else 0


OUTPUT_SUFFIXES = {".json": "json", ".sarif": "sarif", ".xml": "junit"}


def output_format(flag: str | None, output: Path | None) -> str:
    """The format a flag asks for, else the one `--output`'s file name implies (`.sarif`, `.json`, `.xml`)."""
    if flag is not None:
        return flag
    if output is not None:
        return OUTPUT_SUFFIXES.get(output.suffix.lower(), "json")
    return "table"

"""The linter's configuration: the Lightning Flow Scanner's own file format, and `[check]` in flowforce.toml.

Searched from each checked path (and the working folder) upward, like the scanner's cosmiconfig search:
`.flow-scanner.yml|.yaml|.json`, `config/.flow-scanner.yml|.yaml`, `.flow-scanner`, `package.json`'s
`flowScanner`; and `flowforce.toml`'s `[check]` table, which takes the same keys. When both are found the
scanner file wins key by key (rules merge per rule), so a team can keep its existing file and add flowforce
settings beside it.
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from flowforce.lint.rule import Category, Rule, RuleOptions, Severity
from flowforce.lint.rules import RULES, find_rule

Threshold = Literal["error", "warning", "note", "never"]
THRESHOLDS: tuple[str, ...] = ("error", "warning", "note", "never")
SCANNER_FILES = (
    ".flow-scanner.yml", ".flow-scanner.yaml", ".flow-scanner.json", "config/.flow-scanner.yml",
    "config/.flow-scanner.yaml", ".flow-scanner",
)
TOML_FILE = "flowforce.toml"
# camelCase as the scanner writes it; snake_case spellings are accepted for TOML's sake.
ALIASES = {
    "betamode": "betaMode", "beta_mode": "betaMode", "ignore_flows": "ignoreFlows", "rule_mode": "ruleMode",
    "message_url": "messageUrl", "failon": "threshold",
}
KNOWN_KEYS = frozenset(
    {"rules", "exceptions", "ignore", "ignoreFlows", "threshold", "categories", "betaMode", "ruleMode",
     "systemRules", "detailLevel"}
)


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class RuleSetting:
    severity: Severity | None = None
    expression: str | None = None
    threshold: int | None = None
    message: str | None = None
    message_url: str | None = None
    enabled: bool | None = None


@dataclass(frozen=True, slots=True)
class ActiveRule:
    """A rule as this run uses it: its effective severity and options."""

    rule: Rule
    severity: Severity
    options: RuleOptions
    message: str | None = None
    message_url: str | None = None


@dataclass(frozen=True)
class LintConfig:
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    exceptions: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    ignore_flows: frozenset[str] = frozenset()
    threshold: Threshold | None = None
    categories: frozenset[Category] | None = None
    beta: bool = False
    isolated: bool = False
    system_rules: bool = True
    files: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def active_rules(self) -> list[ActiveRule]:
        """Default rules (plus beta ones with betaMode, or any rule its setting enables), minus disabled ones;
        in isolated mode only the rules the configuration names."""
        active = []
        for rule in RULES:
            setting = self.rules.get(rule.id)
            if setting is not None and setting.enabled is False:
                continue
            if self.isolated:
                if setting is None:
                    continue
            elif rule.beta and not self.beta and not (setting is not None and setting.enabled):
                continue
            if rule.system and not self.system_rules:
                continue
            if self.categories is not None and rule.category not in self.categories:
                continue
            setting = setting or RuleSetting()
            active.append(ActiveRule(
                rule, setting.severity or rule.severity, RuleOptions(setting.expression, setting.threshold),
                setting.message, setting.message_url,
            ))
        return active

    def suppressed(self, flow: str, rule_id: str, name: str) -> bool:
        names = self.exceptions.get(flow, {}).get(rule_id, frozenset())
        return "*" in names or name in names

    def ignores(self, flow: str, path: str | None) -> bool:
        if flow in self.ignore_flows:
            return True
        posix = Path(path).as_posix() if path else ""
        return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, f"*/{pattern}") for pattern in self.ignore)


# ---------------------------------------------------------------------------------------------- finding files


def discover(paths: Sequence[Path | str], cwd: Path | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """(file, raw settings) of the flowforce.toml `[check]` table and the scanner file that apply, in merge order."""
    starts = [_folder(Path(path)) for path in paths] + [cwd or Path.cwd()]
    toml = _first(starts, _read_toml_check)
    scanner = _first(starts, _read_scanner_file)
    return [found for found in (toml, scanner) if found is not None]


def _folder(path: Path) -> Path:
    return (path if path.is_dir() else path.parent).resolve()


def _first(starts: Iterable[Path], reader: Any) -> tuple[Path, dict[str, Any]] | None:
    seen: set[Path] = set()
    for start in starts:
        for folder in (start, *start.parents):
            if folder in seen:
                break
            seen.add(folder)
            found = reader(folder)
            if found is not None:
                return found
    return None


def _read_toml_check(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    path = folder / TOML_FILE
    if not path.is_file():
        return None
    table = read_file(path)
    return (path, table) if table else None


def _read_scanner_file(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    for name in SCANNER_FILES:
        path = folder / name
        if path.is_file():
            return path, read_file(path)
    package = folder / "package.json"
    if package.is_file():
        settings = read_file(package)
        if settings:
            return package, settings
    return None


def read_file(path: Path) -> dict[str, Any]:
    """The settings in one file: YAML or JSON scanner files, package.json's `flowScanner`, TOML's `[check]`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        if path.name == "package.json":
            data = json.loads(text).get("flowScanner") or {}
        elif path.suffix == ".toml":
            data = tomllib.loads(text).get("check") or {}
        elif path.suffix == ".json":
            data = json.loads(text)
        else:  # YAML is a superset of JSON, so the extension-less `.flow-scanner` rc file reads as either
            data = yaml.safe_load(text) or {}
    except (ValueError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: not valid {_format(path)}: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings, not {type(data).__name__}")
    return data


def _format(path: Path) -> str:
    return {".toml": "TOML", ".json": "JSON"}.get(path.suffix, "YAML")


# ---------------------------------------------------------------------------------------------- building


def load_config(
    paths: Sequence[Path | str], *, explicit: Path | str | None = None, cwd: Path | None = None
) -> LintConfig:
    """The configuration for checking *paths*: the *explicit* file alone, or what `discover` finds."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: no such configuration file")
        found = [(path, read_file(path))]
    else:
        found = discover(paths, cwd)
    return build_config(found)


def build_config(found: Sequence[tuple[Path, Mapping[str, Any]]]) -> LintConfig:
    merged: dict[str, Any] = {}
    warnings: list[str] = []
    for path, raw in found:
        for key, value in raw.items():
            key = ALIASES.get(key, key)
            if key not in KNOWN_KEYS:
                warnings.append(f"{path}: unknown setting {key!r} is ignored")
                continue
            if key in ("rules", "exceptions") and isinstance(value, Mapping) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    where = " / ".join(str(path) for path, _ in found) or "the configuration"
    rules = _rules(merged.get("rules") or {}, where, warnings)
    return LintConfig(
        rules=rules,
        exceptions=_exceptions(merged.get("exceptions") or {}, where, warnings),
        ignore=tuple(_strings(merged.get("ignore") or [], where, "ignore")),
        ignore_flows=frozenset(_strings(merged.get("ignoreFlows") or [], where, "ignoreFlows")),
        threshold=_threshold(merged.get("threshold"), where),
        categories=_categories(merged.get("categories"), where),
        beta=_bool(merged.get("betaMode", False), where, "betaMode"),
        isolated=_rule_mode(merged.get("ruleMode"), where) == "isolated",
        system_rules=_bool(merged.get("systemRules", True), where, "systemRules"),
        files=tuple(str(path) for path, _ in found),
        warnings=tuple(warnings),
    )


def parse_threshold(value: object, where: str = "--threshold") -> Threshold:
    text = str(value).strip().lower()
    if text not in THRESHOLDS:
        raise ConfigError(f"{where} must be one of {', '.join(THRESHOLDS)}, not {value!r}")
    return text  # type: ignore[return-value]


def _threshold(value: object, where: str) -> Threshold | None:
    return None if value is None else parse_threshold(value, f"{where}: threshold")


def _severity(value: object, where: str) -> Severity:
    text = str(value).strip().lower()
    text = "note" if text == "info" else text
    try:
        return Severity(text)
    except ValueError:
        raise ConfigError(f"{where}: severity must be error, warning or note, not {value!r}") from None


def _bool(value: object, where: str, key: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigError(f"{where}: {key} must be true or false, not {value!r}")


def _strings(value: object, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, (str, int)) for item in value):
        return [str(item) for item in value]
    raise ConfigError(f"{where}: {key} must be a list of names, not {value!r}")


def _categories(value: object, where: str) -> frozenset[Category] | None:
    if value is None:
        return None
    names = _strings(value, where, "categories")
    try:
        return frozenset(Category(name.strip().lower()) for name in names)
    except ValueError:
        raise ConfigError(f"{where}: categories must be among problem, suggestion, layout, not {names}") from None


def _rule_mode(value: object, where: str) -> str:
    mode = str(value or "merged")
    if mode not in ("merged", "isolated"):
        raise ConfigError(f"{where}: ruleMode must be merged or isolated, not {value!r}")
    return mode


def _rule_id(key: str, where: str, warnings: list[str]) -> str | None:
    rule = find_rule(key)
    if rule is None:
        warnings.append(f"{where}: unknown rule {key!r} is ignored")
        return None
    return rule.id


def _rules(raw: object, where: str, warnings: list[str]) -> dict[str, RuleSetting]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: rules must map rule ids to settings")
    settings: dict[str, RuleSetting] = {}
    for key, value in raw.items():
        rule_id = _rule_id(str(key), where, warnings)
        if rule_id is None:
            continue
        value = value or {}
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: rules.{key} must be a mapping (severity, expression, enabled, …)")
        here = f"{where}: rules.{key}"
        values = {ALIASES.get(name, name): item for name, item in value.items()}
        threshold = values.get("threshold")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int)):
            raise ConfigError(f"{here}: threshold must be a whole number, not {threshold!r}")
        enabled = values.get("enabled")
        settings[rule_id] = RuleSetting(
            severity=_severity(values["severity"], here) if values.get("severity") is not None else None,
            expression=None if values.get("expression") is None else str(values["expression"]),
            threshold=threshold,
            message=values.get("message"),
            message_url=values.get("messageUrl"),
            enabled=None if enabled is None else _bool(enabled, here, "enabled"),
        )
    return settings


def _exceptions(raw: object, where: str, warnings: list[str]) -> dict[str, dict[str, frozenset[str]]]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: exceptions must map flow names to rules")
    result: dict[str, dict[str, frozenset[str]]] = {}
    for flow, rules in raw.items():
        if not isinstance(rules, Mapping):
            raise ConfigError(f"{where}: exceptions.{flow} must map rule ids to lists of names")
        for key, names in rules.items():
            rule_id = _rule_id(str(key), where, warnings)
            if rule_id is not None:
                result.setdefault(str(flow), {})[rule_id] = frozenset(
                    _strings(names, where, f"exceptions.{flow}.{key}")
                )
    return result

"""Server settings, read once: explicit values (CLI) > `FLOWFORCE_*` environment > `flowforce.toml` > defaults.

`flowforce.toml` lives in the project folder; its `[server]` table holds the fields below and its `[auth]`
table is handed to the auth service untouched (`AuthService.configure_from`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_EXAMPLE = Path(__file__).resolve().parent.parent / "examples"
CONFIG_FILE = "flowforce.toml"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class SetupError(ValueError):
    """The project's setup — flowforce.toml, `FLOWFORCE_*`, its `flowforce_actions/` — cannot be used: said when
    the org opens, naming the file or setting, never at the first flow that needs it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLOWFORCE_", extra="ignore")

    project_dir: Path = BUNDLED_EXAMPLE
    #: Default `sqlite:///<project>/.flowforce/flowforce.db` (see `database`).
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    #: Serve HTTPS (`flowforce serve --tls`): with `tls_cert`/`tls_key` when given, else a generated local CA
    #: and server certificate kept under `<project>/.flowforce/tls/` (flowforce/api/tls.py).
    tls: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    #: The externally reachable `scheme://host:port` (clients.md §1.9: no trailing slash, no path).
    instance_url: str | None = None
    admin_username: str | None = None
    admin_password: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    session_timeout_minutes: int = 120
    #: The secret the token-signing key is derived from (FLOWFORCE_SECRET_KEY); else `.flowforce/secret.key`,
    #: generated on first start, so the database alone never holds it.
    secret_key: str | None = None
    #: Consecutive failed logins that lock a username or consumer key, for how long, and how many failures one
    #: address may make in a minute before the token endpoint answers 429 (flowforce/auth/throttle.py).
    max_login_failures: int = 10
    lockout_minutes: float = 15
    login_burst_failures: int = 30
    org_name: str = "flowforce"
    #: The 18-char org id (00D…); the auth service picks one when unset.
    org_id: str | None = None
    #: Salesforce rejects request bodies over 50 MB.
    max_body_bytes: int = 50 * 1024 * 1024
    default_api_version: str = "66.0"
    min_api_version: str = "31.0"
    #: The daily API request allowance shown by `limits` and `Sforce-Limit-Info` (Developer Edition: 15,000).
    daily_api_requests: int = 15_000
    #: Answer 403 REQUEST_LIMIT_EXCEEDED past the allowance (off by default: a dev server should not lock up).
    enforce_api_limit: bool = False
    #: reference/api-surface.md §5: default and bounds of `Sforce-Query-Options: batchSize`.
    query_batch_size: int = 2000
    #: Worker threads for flows and store calls (the event loop never runs them).
    max_threads: int = 16
    #: Job-queue worker threads `flowforce serve` runs itself (0: leave the queue to `flowforce worker`).
    worker_threads: int = 1
    #: How many queued interviews of one flow version a worker starts together, in one transaction.
    job_batch_size: int = 200
    #: How often a worker looks for jobs other processes enqueued (its own wake it at once).
    job_poll_seconds: float = 0.5
    #: `frozen` (now, then only moved through /_flowforce/clock) or an ISO-8601 instant to freeze at.
    clock: str | None = None
    #: How often a process checks whether another one changed the flow versions (activation, deploy).
    flow_refresh_seconds: float = 1.0
    #: How long finished and failed FlowInterview rows are kept.
    interview_retention_days: int = 7
    #: `[flows.NAME]` tables of flowforce.toml, e.g. `run = "async"`.
    flows: dict[str, dict[str, Any]] = Field(default_factory=dict)
    #: Keep each interview's element trace (costs time; the failing element is reported either way).
    trace: bool = False
    #: The `[auth]` table of flowforce.toml, passed to `AuthService.configure_from`.
    auth: dict[str, Any] = Field(default_factory=dict)
    #: Outgoing email: `smtp://[user:pass@]host:port` (`?starttls=true`), `smtp+starttls://…` or `smtps://…`;
    #: unset keeps mail in the outbox (flowforce/outbox/smtp.py).
    smtp_url: str | None = None
    #: The From address of mail whose action names no sender.
    email_from: str = "noreply@flowforce.local"
    #: Outgoing SMS: the HTTP gateway each message is POSTed to; unset keeps SMS in the outbox
    #: (flowforce/outbox/sms.py: body template, form encoding and credentials).
    sms_url: str | None = None
    sms_from: str = ""
    sms_template: str | None = None
    sms_format: str = "json"
    sms_auth_header: str | None = None
    #: Delivery attempts of an outgoing message before it is marked failed.
    outbox_max_attempts: int = 5
    #: The `[actions]` tables of flowforce.toml: `[actions.apex.ClassName]` stubs for Apex nobody ported.
    actions: dict[str, Any] = Field(default_factory=dict)
    #: `[named_credentials.NAME]` tables: where `httpCallout`/External Service actions call
    #: (flowforce/actions/callouts.py).
    named_credentials: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _given_certificate_means_tls(self) -> Settings:
        if self.tls_cert is not None or self.tls_key is not None:
            self.tls = True
        return self

    @property
    def database(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.state_dir / 'flowforce.db').resolve()}"

    @property
    def base_url(self) -> str:
        if self.instance_url:
            return self.instance_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def state_dir(self) -> Path:
        """The project's `.flowforce/` folder: the default SQLite store and the generated TLS files."""
        return self.project_dir / ".flowforce"

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS

    @property
    def max_version(self) -> int:
        return int(float(self.default_api_version))

    @property
    def min_version(self) -> int:
        return int(float(self.min_api_version))

    @property
    def has_credentials(self) -> bool:
        return bool(self.admin_username and self.admin_password and self.client_id and self.client_secret)


def read_config_file(project_dir: Path) -> dict[str, Any]:
    path = project_dir / CONFIG_FILE
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_settings(**explicit: Any) -> Settings:
    """Settings for a project; *explicit* values (None = not given) win over the environment and the file."""
    given = {key: value for key, value in explicit.items() if value is not None}
    from_env = Settings()  # defaults + environment
    env_values = {name: getattr(from_env, name) for name in from_env.model_fields_set}
    project = Path(given.get("project_dir") or env_values.get("project_dir") or BUNDLED_EXAMPLE)
    config = read_config_file(project)
    merged: dict[str, Any] = {**config.get("server", {}), **env_values, **given, "project_dir": project}
    merged.setdefault("auth", config.get("auth", {}))
    merged.setdefault("flows", config.get("flows", {}))
    merged.setdefault("actions", config.get("actions", {}))
    merged.setdefault("named_credentials", config.get("named_credentials", {}))
    return Settings(**merged)


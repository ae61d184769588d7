"""Settings of the identity layer, given by the server's Settings (or the CLI) once at start."""

from __future__ import annotations

from dataclasses import dataclass

from flowforce.auth.throttle import ThrottleLimits


@dataclass
class AuthSettings:
    """What the auth service needs to know about the deployment.

    ``login_url`` is the host that appears in identity URLs (``id``/``sub``) and that a JWT ``aud`` may name; it
    defaults to ``instance_url`` because a self-hosted server is its own login host (reference/clients.md §3.2:
    jsforce serves ``/id/...`` from the login host). ``org_id`` None means "generate one and keep it in
    ``ff_auth_org``" so ids stay stable across restarts. ``password_hash_cost`` is log2 of scrypt's N (tests
    lower it; the stored hash records its own parameters, so changing it never breaks existing passwords).
    """

    session_timeout_minutes: int = 120
    instance_url: str = "http://127.0.0.1:8000"
    login_url: str | None = None
    org_id: str | None = None
    org_name: str = "flowforce"
    password_hash_cost: int = 14
    #: A secret kept outside the database (a file, the environment): the signing key is derived from it.
    secret_key: str | None = None
    #: Login lockout and burst brake (auth/throttle.py); Salesforce's defaults.
    max_login_failures: int = 10
    lockout_minutes: float = 15
    login_burst_failures: int = 30

    def __post_init__(self) -> None:
        self.instance_url = self.instance_url.rstrip("/")
        self.login_url = (self.login_url or self.instance_url).rstrip("/")
        if self.session_timeout_minutes <= 0:
            raise ValueError("session_timeout_minutes must be positive")

    @property
    def throttle_limits(self) -> ThrottleLimits:
        return ThrottleLimits(self.max_login_failures, self.lockout_minutes * 60, self.login_burst_failures)

    @property
    def session_seconds(self) -> int:
        return self.session_timeout_minutes * 60

    @property
    def effective_login_url(self) -> str:
        return self.login_url or self.instance_url

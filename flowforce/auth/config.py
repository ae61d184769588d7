"""The ``[auth]`` section of ``flowforce.toml``: permission sets, users, apps and flow shares, applied at start.

Shape (every key optional; secrets are best given through ``*_env``, the name of an environment variable)::

    [auth.permission_sets.Order_Desk]
    label = "Order Desk"
    permissions = ["RunFlow"]                        # ApiEnabled RunFlow ModifyAllData ViewAllData ManageFlows
    objects = { Account = "read", Order__c = ["read", "create", "edit"] }   # or "*", "standard", "setup"

    [[auth.users]]
    username = "integration@example.com"
    password_env = "INTEGRATION_PASSWORD"            # or password = "..."; generated when missing for a new user
    email = "ops@example.com"
    first_name = "Integration"
    last_name = "User"
    profile = "Standard User"                        # System Administrator | Standard User | Minimum Access - API Only
    permission_sets = ["Flow_Runner"]
    flow_user = true                                 # the Flow User checkbox
    trusted = false                                  # log in without the security token

    [[auth.apps]]
    name = "Integration"
    client_id = "3MVG9..."                           # generated when missing
    client_secret_env = "INTEGRATION_SECRET"         # or client_secret = "..."; generated when missing
    run_as = "integration@example.com"               # the client-credentials user
    certificate = "certs/server.crt"                 # PEM, relative to the project; for the JWT bearer grant
    scope = "api refresh_token"
    callback_urls = ["http://localhost:3000/oauth/callback"]   # the web server flow (authorization code)
    require_secret_for_web_flow = true               # seed 003's defaults
    require_pkce = true

    [auth.flow_shares]
    Create_Order = ["integration@example.com"]

Existing users and apps are brought in line (profile, permission sets, flags, password/secret when given);
nothing is deleted. Users are applied before apps (apps name their run-as user) and shares last.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowforce.auth.apps import AppInfo
from flowforce.auth.errors import AuthAdminError
from flowforce.auth.hashing import random_string
from flowforce.auth.permissions import PermissionSetDefinition
from flowforce.auth.users import UserInfo

if TYPE_CHECKING:
    from flowforce.auth.service import AuthService


@dataclass
class ConfigResult:
    """What applying the configuration created: print these once (their plain secrets are not kept)."""

    users: list[UserInfo] = field(default_factory=list)
    apps: list[AppInfo] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _secret(entry: Mapping[str, Any], key: str, env: Mapping[str, str], where: str) -> str | None:
    if entry.get(f"{key}_env"):
        name = str(entry[f"{key}_env"])
        if name not in env:
            raise AuthAdminError(f"{where}: environment variable {name} ({key}_env) is not set")
        return env[name]
    value = entry.get(key)
    return str(value) if value is not None else None


def _tables(section: Mapping[str, Any], key: str) -> Sequence[Mapping[str, Any]]:
    value = section.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise AuthAdminError(f"[auth] {key} must be an array of tables ([[auth.{key}]])")
    return value


def apply_config(service: AuthService, config: Mapping[str, Any], *, base_dir: Path | None = None,
                 env: Mapping[str, str] | None = None) -> ConfigResult:
    section = config.get("auth", config) if isinstance(config.get("auth"), Mapping) else config
    env = os.environ if env is None else env
    result = ConfigResult()
    for name, data in (section.get("permission_sets") or {}).items():
        service.define_permission_set(PermissionSetDefinition.from_mapping(name, data))
    for entry in _tables(section, "users"):
        _apply_user(service, entry, env, result)
    for entry in _tables(section, "apps"):
        _apply_app(service, entry, env, base_dir, result)
    for flow, usernames in (section.get("flow_shares") or {}).items():
        for username in [usernames] if isinstance(usernames, str) else usernames:
            service.share_flow(flow, username)
    return result


def _apply_user(service: AuthService, entry: Mapping[str, Any], env: Mapping[str, str], result: ConfigResult) -> None:
    username = str(entry.get("username") or "")
    if not username:
        raise AuthAdminError("[[auth.users]] entry without username")
    password = _secret(entry, "password", env, username)
    permission_sets = list(entry.get("permission_sets") or [])
    if service.users.by_username(username) is None:
        result.users.append(service.add_user(
            username, password or random_string(16), email=entry.get("email"), first_name=entry.get("first_name"),
            last_name=entry.get("last_name"), profile=entry.get("profile", "System Administrator"),
            permission_sets=permission_sets, flow_user=bool(entry.get("flow_user", True)),
            trusted=bool(entry.get("trusted", False)),
        ))  # fmt: skip
        return
    service.update_user(username, profile=entry.get("profile"),
                        permission_sets=permission_sets if "permission_sets" in entry else None,
                        flow_user=entry.get("flow_user"), trusted=entry.get("trusted"))
    if password is not None:
        service.set_password(username, password)
    result.updated.append(f"user {username}")


def _apply_app(service: AuthService, entry: Mapping[str, Any], env: Mapping[str, str], base_dir: Path | None,
               result: ConfigResult) -> None:
    name = str(entry.get("name") or "")
    if not name:
        raise AuthAdminError("[[auth.apps]] entry without name")
    secret = _secret(entry, "client_secret", env, name)
    certificate = entry.get("certificate_pem")
    if entry.get("certificate"):
        path = Path(str(entry["certificate"]))
        certificate = (path if path.is_absolute() else (base_dir or Path.cwd()) / path).read_text()
    if service.apps.by_name(name) is None:
        result.apps.append(service.add_app(name, client_id=entry.get("client_id"), client_secret=secret,
                                           run_as_username=entry.get("run_as"), certificate_pem=certificate,
                                           scope=entry.get("scope")))
    else:
        service.apps.update_app(name, client_secret=secret, run_as_username=entry.get("run_as"),
                                certificate_pem=certificate, scope=entry.get("scope"))
        result.updated.append(f"app {name}")
    if "callback_urls" in entry:
        app = service.apps.by_name(name)
        assert app is not None
        urls = entry["callback_urls"]
        service.web_flow.configure(app.client_id, callback_urls=[urls] if isinstance(urls, str) else list(urls),
                                   require_secret=bool(entry.get("require_secret_for_web_flow", True)),
                                   require_pkce=bool(entry.get("require_pkce", False)))

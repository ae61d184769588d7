"""`flowforce serve`: open the org, make sure someone can log in, print how, run uvicorn.

On a loopback bind a development org (one admin, one client app) is created or reused, with the
credentials from FLOWFORCE_ADMIN_USERNAME/PASSWORD and FLOWFORCE_CLIENT_ID/SECRET when set. Bound to any
other address the server refuses to start unless credentials are configured (settings or `[auth]`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flowforce.api.access_log import log_config
from flowforce.api.app import create_app
from flowforce.api.tls import TlsError, TlsFiles, generated_tls, given_tls
from flowforce.auth.service import DevOrg
from flowforce.metadata.parser import FLOW_SUFFIXES
from flowforce.runtime import Org
from flowforce.settings import Settings, SetupError


class ServeError(Exception):
    """The server must not start (the message says why and what to set)."""


def ensure_login(org: Org, settings: Settings) -> Any:
    """The DevOrg to print, or None when the org was configured another way.

    Off loopback, credentials must be configured for this start (settings, `[auth]`, users and apps added by
    an administrator): a development org left by an earlier local run, whose password was printed then, is
    not enough."""
    auth = org.auth
    if settings.loopback or settings.has_credentials:
        return printable(auth.ensure_dev_org(settings.admin_username, settings.admin_password, settings.client_id,
                                             settings.client_secret), settings)
    if not auth.is_configured(beyond_dev_org=True):
        raise ServeError(
            f"refusing to start on {settings.host}: no credentials are configured. Set FLOWFORCE_ADMIN_USERNAME, "
            "FLOWFORCE_ADMIN_PASSWORD, FLOWFORCE_CLIENT_ID and FLOWFORCE_CLIENT_SECRET, or add users and apps "
            "(flowforce users add / flowforce apps add, or [auth] in flowforce.toml)."
        )
    return None


def printable(dev_org: DevOrg, settings: Settings) -> DevOrg:
    """Only secrets flowforce generated are printed; ones the operator supplied (environment, flowforce.toml)
    stay out of the banner and so out of logs that capture it."""
    return replace(dev_org, admin_password=None if settings.admin_password else dev_org.admin_password,
                   client_secret=None if settings.client_secret else dev_org.client_secret)


def tls_files(settings: Settings) -> TlsFiles | None:
    if not settings.tls:
        return None
    try:
        if settings.tls_cert is not None or settings.tls_key is not None:
            if settings.tls_cert is None or settings.tls_key is None:
                raise TlsError("give both --tls-cert and --tls-key (or neither, to use a generated certificate)")
            return given_tls(settings.tls_cert, settings.tls_key)
        return generated_tls(settings.state_dir / "tls", settings.host)
    except (TlsError, OSError) as error:
        raise ServeError(f"can't serve TLS: {error}") from None


def tls_lines(tls: TlsFiles | None) -> list[str]:
    if tls is None or tls.ca is None:
        return []
    return [f"TLS: trust the CA {tls.ca}",
            f"  export REQUESTS_CA_BUNDLE={tls.ca} NODE_EXTRA_CA_CERTS={tls.ca}   # newman: --ssl-extra-ca-certs"]


def banner(settings: Settings, org: Org, dev_org: Any, tls: TlsFiles | None = None) -> list[str]:
    base = settings.base_url
    flows = len(org.library.names())
    lines = [f"flowforce serving {settings.project_dir} ({flows} flows) at {base}", f"records: {settings.database}",
             f"console: {base}/console", *tls_lines(tls)]
    if dev_org is not None:
        lines.append("development org:")
        lines += [f"  {label:<15} {value}" for label, value in dev_org.lines()]
        secret = dev_org.client_secret or "<client secret>"
        version = settings.default_api_version
        lines += [
            "try:",
            f"  TOKEN=$(curl -s {base}/services/oauth2/token -d grant_type=client_credentials "
            f"-d client_id={dev_org.client_id} -d client_secret={secret} | python3 -c "
            "'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
            f"  curl -s -H \"Authorization: Bearer $TOKEN\" {base}/services/data/v{version}/actions/custom/flow",
        ]
    return lines


def watch_flows(org: Org, stop: threading.Event, echo: Callable[[str], None]) -> threading.Thread:
    """`serve --reload`: a changed flow file under the project becomes the new content of its version, live."""
    import watchfiles

    def is_flow(change: watchfiles.Change, path: str) -> bool:
        return path.endswith(FLOW_SUFFIXES)

    def loop() -> None:
        for changes in watchfiles.watch(org.settings.project_dir, watch_filter=is_flow, stop_event=stop):
            try:
                if org.reload_files():
                    echo(f"flows reloaded ({len(changes)} file change(s))")
            except Exception as error:  # a half-written file: the next change reloads again
                echo(f"flows not reloaded: {error}")

    thread = threading.Thread(target=loop, name="flowforce-reload", daemon=True)
    thread.start()
    return thread


def serve(settings: Settings, echo: Callable[[str], None] = print, *, access_log: bool = True,
          reload: bool = False) -> None:
    import uvicorn

    tls = tls_files(settings)
    try:
        org = Org.open(settings)
    except SetupError as error:
        raise ServeError(f"can't open {settings.project_dir}: {error}") from None
    try:
        dev_org = ensure_login(org, settings)
    except ServeError:
        org.close()
        raise
    for line in banner(settings, org, dev_org, tls):
        echo(line)
    app = create_app(settings, org=org)
    worker = org.start_worker() if settings.worker_threads > 0 else None
    stop_watching = threading.Event()
    if reload:
        watch_flows(org, stop_watching, echo)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, access_log=access_log, log_level="info",
                    log_config=log_config(),
                    ssl_certfile=str(tls.cert) if tls else None, ssl_keyfile=str(tls.key) if tls else None)
    finally:
        stop_watching.set()
        if worker is not None:
            worker.stop()
        org.close()

"""The access log without credentials: a token in the query string (`?oauth_token=`, `?access_token=`) or a
secret in a GET to the token endpoint is replaced before uvicorn writes the request line (issue 9 item 8)."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

SECRET_PARAMETERS = ("oauth_token", "access_token", "refresh_token", "client_secret", "password", "code",
                     "code_verifier", "assertion", "sid")
_SECRET_VALUE = re.compile(rf"(?i)([?&;](?:{'|'.join(SECRET_PARAMETERS)})=)[^&;\s\"]*")
REDACTED = "REDACTED"


def redact(text: str) -> str:
    return _SECRET_VALUE.sub(lambda m: m.group(1) + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites the string arguments of each access-log record (uvicorn passes the path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the filter on its access logger."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": f"{__name__}.RedactSecrets"}
    config["loggers"]["uvicorn.access"].setdefault("filters", []).append("redact_secrets")
    return config

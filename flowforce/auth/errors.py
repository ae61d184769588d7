"""The errors the identity layer reports, each knowing how Salesforce puts it on the wire.

OAuth endpoints answer ``{"error", "error_description"}`` (reference/api-surface.md §4.2), SOAP login answers a
fault with an ``exceptionCode`` (§4.7) and REST answers ``[{"message", "errorCode"}]`` (§2). One class each, and
the messages Salesforce uses live here as constructors so they are spelled once.
"""

from __future__ import annotations

from dataclasses import dataclass


class AuthError(Exception):
    """Base class for every error raised by ``flowforce.auth``."""


class AuthAdminError(AuthError):
    """A management operation (add a user, an app, a share) was refused; the message is for the operator."""


class OAuthError(AuthError):
    """An OAuth 2.0 error body: ``{"error": ..., "error_description": ...}`` with its HTTP status."""

    def __init__(self, error: str, error_description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {error_description}")
        self.error = error
        self.error_description = error_description
        self.status = status

    def as_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.error_description}

    # reference/api-surface.md §4.2 — the confirmed descriptions.
    @classmethod
    def authentication_failure(cls) -> OAuthError:
        return cls("invalid_grant", "authentication failure")

    @classmethod
    def expired_token(cls) -> OAuthError:
        return cls("invalid_grant", "expired access/refresh token")

    @classmethod
    def unknown_client(cls) -> OAuthError:
        return cls("invalid_client_id", "client identifier invalid")

    @classmethod
    def bad_client_secret(cls) -> OAuthError:
        return cls("invalid_client", "invalid client credentials")

    @classmethod
    def no_run_as_user(cls) -> OAuthError:
        return cls("invalid_grant", "no client credentials user enabled")

    @classmethod
    def not_approved(cls) -> OAuthError:
        return cls("invalid_grant", "user hasn't approved this consumer")

    @classmethod
    def unsupported_grant(cls) -> OAuthError:
        return cls("unsupported_grant_type", "grant type not supported")  # UNCONFIRMED casing (§4.2)

    @classmethod
    def invalid_assertion(cls) -> OAuthError:
        return cls("invalid_grant", "invalid assertion")

    @classmethod
    def invalid_audience(cls) -> OAuthError:
        return cls("invalid_grant", "audience is invalid")

    @classmethod
    def unsupported_token(cls) -> OAuthError:
        return cls("unsupported_token_type", "this token type is not supported")  # UNCONFIRMED (§4.3)


class LoginFault(AuthError):
    """A SOAP ``login`` fault (rendered as HTTP 500 by ``flowforce.api.soap``)."""

    def __init__(self, exception_code: str, message: str) -> None:
        super().__init__(f"{exception_code}: {message}")
        self.exception_code = exception_code
        self.message = message

    @classmethod
    def invalid_login(cls) -> LoginFault:
        # reference/api-surface.md §4.7, confirmed from simple_salesforce's test fixture.
        return cls("INVALID_LOGIN", "Invalid username, password, security token; or user locked out.")

    @classmethod
    def api_disabled(cls) -> LoginFault:
        return cls("API_CURRENTLY_DISABLED", "API is disabled for this User")  # UNCONFIRMED wording

    @classmethod
    def unsupported_version(cls, version: str) -> LoginFault:
        return cls("UNSUPPORTED_API_VERSION", f"Invalid Api version specified on URL: {version}")  # UNCONFIRMED


@dataclass(frozen=True)
class RestError:
    """A REST error for the API layer to render as ``[{"message", "errorCode"}]`` with ``status``."""

    status: int
    error_code: str
    message: str

    def as_json(self) -> list[dict[str, str]]:
        return [{"message": self.message, "errorCode": self.error_code}]


INVALID_SESSION = RestError(401, "INVALID_SESSION_ID", "Session expired or invalid")  # §2, confirmed
# UNCONFIRMED: what Salesforce answers a REST call from a user without "API Enabled".
API_DISABLED_FOR_USER = RestError(403, "API_CURRENTLY_DISABLED", "API is disabled for this User")
# UNCONFIRMED: no capture of invoking a flow the caller may not run; the status and code follow §2's
# INSUFFICIENT_ACCESS row, the message follows Salesforce's wording for inaccessible flows in Flow runtime.
FLOW_ACCESS_DENIED = RestError(403, "INSUFFICIENT_ACCESS", "You don't have access to this flow.")

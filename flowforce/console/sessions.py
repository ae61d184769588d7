"""Console logins: a user of the org logs in with username and password and gets an ordinary access token,
kept in an HttpOnly cookie — so a console request is checked by the same `AuthService.authenticate`, the same
permissions and the same session timeout as an API request, and logging out revokes the token.

CSRF, as on the OAuth login page (api/oauth_authorize.py): the login form carries an HMAC of a nonce held in a
path-scoped HttpOnly cookie; once logged in, every form carries an HMAC of the session token (keyed by the
org's signing key), which a page on another site can neither read nor compute. The session cookie is
SameSite=Strict on top.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets

from flowforce.auth.errors import OAuthError
from flowforce.auth.service import AuthService
from flowforce.auth.session import Session

PREFIX = "/console"
SESSION_COOKIE = "ff_console"
LOGIN_COOKIE = "ff_console_login"
CSRF_FIELD = "csrf_token"
#: The scope of a console token: what the user may do in the console is what the API lets them do.
CONSOLE_SCOPE = "web api"


class ConsoleLogins:
    def __init__(self, auth: AuthService) -> None:
        self.auth = auth

    def log_in(self, username: str, password: str) -> str | None:
        """A new session token for a user whose password is right and who is active, else None."""
        user = self.auth.web_flow.verify_user(username, password)
        if user is None:
            return None
        token = self.auth.tokens.issue_access(user.user_id, None, CONSOLE_SCOPE).token
        assert token is not None, "a freshly issued token carries its plain value"
        return token

    def session(self, token: str | None) -> Session | None:
        return self.auth.authenticate(token) if token else None

    def log_out(self, token: str | None) -> None:
        with contextlib.suppress(OAuthError):  # already expired or revoked: nothing to undo
            self.auth.revoke(token)

    # --- CSRF --------------------------------------------------------------------------------------------------
    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(32)

    def login_token(self, nonce: str) -> str:
        return self.auth.form_signature("console-login:" + nonce)

    def form_token(self, session_token: str) -> str:
        return self.auth.form_signature("console:" + session_token)

    def login_form_ok(self, nonce: str | None, sent: str | None) -> bool:
        return bool(nonce and sent) and hmac.compare_digest(self.login_token(str(nonce)), str(sent))

    def form_ok(self, session_token: str | None, sent: str | None) -> bool:
        return bool(session_token and sent) and hmac.compare_digest(self.form_token(str(session_token)), str(sent))

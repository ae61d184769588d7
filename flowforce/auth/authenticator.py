"""Bearer value → :class:`Session`, on every API request.

A hit costs one primary-key lookup of the token digest; building the session (user, grants, User record) costs
a few more, so built sessions are cached for a few seconds. Revocations and permission changes made through
this process drop the cache at once; in a multi-process deployment another process may honour a revoked token
for at most ``cache_ms``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from flowforce.auth.hashing import token_digest
from flowforce.auth.session import Session
from flowforce.auth.tokens import ACCESS, TokenRecord, TokenStore
from flowforce.auth.users import UserDirectory

_MAX_CACHED = 10_000


def _from_ms(value: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(value / 1000, dt.UTC)


def bearer_value(header_or_token: str) -> str:
    """Accept either the token or the whole ``Authorization`` value (``Bearer x`` / ``OAuth x``)."""
    value = header_or_token.strip()
    scheme, _, rest = value.partition(" ")
    return rest.strip() if rest and scheme.lower() in ("bearer", "oauth") else value


class Authenticator:
    def __init__(self, users: UserDirectory, tokens: TokenStore, org_id: Callable[[], str], *,
                 clock_ms: Callable[[], int], cache_ms: int = 5_000) -> None:
        self._users = users
        self._tokens = tokens
        self._org_id = org_id
        self._clock_ms = clock_ms
        self._cache_ms = cache_ms
        self._cache: dict[str, tuple[int, Session]] = {}
        self._lock = threading.Lock()

    def authenticate(self, bearer: str) -> Session | None:
        token = bearer_value(bearer or "")
        if not token:
            return None
        digest = token_digest(token)
        now = self._clock_ms()
        with self._lock:
            cached = self._cache.get(digest)
        if cached is not None and cached[0] > now and cached[1].expires_at > _from_ms(now):
            return cached[1]
        record = self._tokens.find(token, ACCESS)
        session = self._build(record, token) if record is not None else None
        with self._lock:
            if session is None:
                self._cache.pop(digest, None)
            else:
                if len(self._cache) >= _MAX_CACHED:
                    self._cache.clear()
                self._cache[digest] = (now + self._cache_ms, session)
        return session

    def _build(self, record: TokenRecord, token: str) -> Session | None:
        credentials = self._users.by_id(record.user_id)
        user_record = self._users.user_record(record.user_id)
        if credentials is None or user_record is None or not user_record.get("IsActive"):
            return None
        expires = self._tokens.slide(record) or record.issued_ms
        grants = self._users.grants(credentials)
        return Session(
            user_id=credentials.user_id, username=credentials.username, org_id=self._org_id(),
            profile_name=credentials.profile_name, permissions=grants.permissions,
            object_permissions=grants.object_permissions, client_id=record.client_id,
            issued_at=_from_ms(record.issued_ms), expires_at=_from_ms(expires), user_record=user_record,
            session_id=token,
        )  # fmt: skip

    def forget(self, digests: list[str] | None = None) -> None:
        """Drop cached sessions: the given token digests, or all of them."""
        with self._lock:
            if digests is None:
                self._cache.clear()
            for digest in digests or ():
                self._cache.pop(digest, None)

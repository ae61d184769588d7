"""Slow salted hashes for secrets people choose or keep (passwords, security tokens, client secrets) and a fast
digest for the long random tokens the server issues.

Passwords use scrypt (memory-hard, in the standard library); the encoded form carries its parameters so the cost
can change without invalidating stored hashes. Access and refresh tokens are 90+ random characters, so a plain
SHA-256 is enough to make a stolen table useless, and it keeps ``authenticate`` to one indexed lookup.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string

_SCHEME = "scrypt"
TOKEN_ALPHABET = string.ascii_letters + string.digits
# reference/clients.md §1.10: sf only accepts tokens matching /(00D\w{12,15})![.\w]*/, so stay inside [.\w].
OPAQUE_ALPHABET = TOKEN_ALPHABET + "._"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(plain: str, cost: int = 14) -> str:
    """``scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`` for *plain*."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(plain.encode("utf-8"), salt=salt, n=1 << cost, r=8, p=1, dklen=32,
                            maxmem=256 * 1024 * 1024)
    return f"{_SCHEME}${cost}$8$1${_b64(salt)}${_b64(digest)}"


def verify_secret(plain: str, encoded: str | None) -> bool:
    """Whether *plain* matches *encoded* (constant time in the digest comparison)."""
    if not encoded:
        return False
    try:
        scheme, cost, r, p, salt, digest = encoded.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(plain.encode("utf-8"), salt=base64.b64decode(salt), n=1 << int(cost), r=int(r),
                                p=int(p), dklen=len(expected), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def token_digest(token: str) -> str:
    """The stored form of an issued access or refresh token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def random_string(length: int, alphabet: str = TOKEN_ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def hmac_signature(key: str, message: str) -> str:
    """Base64 HMAC-SHA256, the shape of the token response's ``signature`` (§4.1; algorithm UNCONFIRMED)."""
    return _b64(hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest())

"""The JWT bearer grant's assertion check (RS256, signed with the key of the app's uploaded certificate).

Error descriptions: Salesforce documents ``invalid assertion`` (bad signature, malformed, expired), ``audience is
invalid`` and ``user hasn't approved this consumer``; which one each case gets beyond those is UNCONFIRMED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from flowforce.auth.errors import OAuthError

SALESFORCE_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com")
LEEWAY_SECONDS = 60  # tolerate small clock differences between the client and the server


def load_verification_key(pem: str) -> RSAPublicKey:
    """The RSA public key of a PEM certificate (what Salesforce takes) or of a bare public key."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key: Any
    if b"BEGIN CERTIFICATE" in data:
        key = x509.load_pem_x509_certificate(data).public_key()
    else:
        key = load_pem_public_key(data)
    if not isinstance(key, RSAPublicKey):
        raise ValueError("only RSA keys can verify RS256 assertions")
    return key


@dataclass(frozen=True)
class Assertion:
    client_id: str
    username: str


def unverified_claims(assertion: str) -> dict[str, Any]:
    """The claims before the signature is checked: the issuer names the app whose certificate checks it."""
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise OAuthError.invalid_assertion() from None
    if not isinstance(claims.get("iss"), str) or not isinstance(claims.get("sub"), str):
        raise OAuthError.invalid_assertion()
    return claims


def verify_assertion(assertion: str, certificate_pem: str, audiences: tuple[str, ...], now: float) -> Assertion:
    """Check signature (RS256 only), ``exp`` (required; simple_salesforce sends it as a string, so it is
    converted before PyJWT sees it) and ``aud``."""
    claims = unverified_claims(assertion)
    try:
        key = load_verification_key(certificate_pem)
        verified = jwt.decode(assertion, key, algorithms=["RS256"],
                              options={"verify_exp": False, "verify_aud": False, "verify_iat": False,
                                       "verify_nbf": False})
    except (jwt.PyJWTError, ValueError):
        raise OAuthError.invalid_assertion() from None
    try:
        expires = float(verified["exp"])
    except (KeyError, TypeError, ValueError):
        raise OAuthError.invalid_assertion() from None
    if expires + LEEWAY_SECONDS < now:
        raise OAuthError.invalid_assertion()
    audience = verified.get("aud")
    given = audience if isinstance(audience, list) else [audience]
    wanted = {a.rstrip("/") for a in audiences}
    if not any(isinstance(a, str) and a.rstrip("/") in wanted for a in given):
        raise OAuthError.invalid_audience()
    return Assertion(client_id=claims["iss"], username=claims["sub"])

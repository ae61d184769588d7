"""The JWT bearer grant with a freshly generated RSA key and certificate."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.testclient import TestClient

from flowforce.auth.errors import AuthAdminError
from flowforce.auth.service import AuthService, DevOrg

from .conftest import ADMIN, INSTANCE_URL, FakeClock

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "flowforce test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return _key()


@pytest.fixture
def jwt_app(auth: AuthService, dev: DevOrg, key: rsa.RSAPrivateKey) -> str:
    return auth.add_app("JWT App", certificate_pem=_certificate(key)).client_id


def assertion(key: rsa.RSAPrivateKey, clock: FakeClock, client_id: str, **claims: object) -> str:
    payload: dict[str, object] = {"iss": client_id, "sub": ADMIN, "aud": "https://login.salesforce.com",
                                  "exp": str(int(clock.now) + 180)}  # simple_salesforce sends exp as a string
    payload.update(claims)
    return jwt.encode(payload, key, algorithm="RS256")


def post(client: TestClient, token: str):
    return client.post("/services/oauth2/token", data={"grant_type": GRANT, "assertion": token})


def test_valid_assertion(client: TestClient, auth: AuthService, key: rsa.RSAPrivateKey, clock: FakeClock,
                         jwt_app: str) -> None:
    response = post(client, assertion(key, clock, jwt_app))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "scope", "instance_url", "id", "token_type"}  # §4.1: no signature
    assert body["instance_url"] == INSTANCE_URL
    assert auth.authenticate(body["access_token"]).username == ADMIN


def test_audience_may_be_the_login_url(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock,
                                       jwt_app: str) -> None:
    assert post(client, assertion(key, clock, jwt_app, aud=INSTANCE_URL)).status_code == 200


def test_wrong_signature(client: TestClient, clock: FakeClock, jwt_app: str) -> None:
    response = post(client, assertion(_key(), clock, jwt_app))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "invalid assertion"}


def test_expired_assertion(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock, jwt_app: str) -> None:
    response = post(client, assertion(key, clock, jwt_app, exp=int(clock.now) - 3600))
    assert response.json() == {"error": "invalid_grant", "error_description": "invalid assertion"}


def test_missing_exp(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock, jwt_app: str) -> None:
    token = jwt.encode({"iss": jwt_app, "sub": ADMIN, "aud": "https://login.salesforce.com"}, key, algorithm="RS256")
    assert post(client, token).json()["error_description"] == "invalid assertion"


def test_hs256_is_refused(client: TestClient, clock: FakeClock, jwt_app: str) -> None:
    token = jwt.encode({"iss": jwt_app, "sub": ADMIN, "aud": "https://login.salesforce.com",
                        "exp": int(clock.now) + 60}, "shared-secret-of-32-bytes-or-more!!", algorithm="HS256")
    assert post(client, token).json()["error_description"] == "invalid assertion"


def test_wrong_audience(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock, jwt_app: str) -> None:
    response = post(client, assertion(key, clock, jwt_app, aud="https://evil.example"))
    assert response.json() == {"error": "invalid_grant", "error_description": "audience is invalid"}


def test_unknown_user(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock, jwt_app: str) -> None:
    response = post(client, assertion(key, clock, jwt_app, sub="nobody@example.com"))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}


def test_unknown_issuer(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock, jwt_app: str) -> None:
    response = post(client, assertion(key, clock, "3MVG9unknown"))
    assert response.json() == {"error": "invalid_client_id", "error_description": "client identifier invalid"}


def test_garbage_assertion(client: TestClient, jwt_app: str) -> None:
    assert post(client, "not.a.jwt").json() == {"error": "invalid_grant", "error_description": "invalid assertion"}


def test_app_without_certificate(client: TestClient, key: rsa.RSAPrivateKey, clock: FakeClock, auth: AuthService,
                                 dev: DevOrg) -> None:
    plain = auth.add_app("Plain", run_as_username=ADMIN).client_id
    assert post(client, assertion(key, clock, plain)).json()["error_description"] == "invalid assertion"


def test_bad_certificate_is_refused_when_adding(auth: AuthService) -> None:
    with pytest.raises(AuthAdminError):
        auth.add_app("Broken", certificate_pem="-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")

"""HTTPS for `flowforce serve --tls`: a given certificate and key, or a local CA and server certificate made once
and kept under the project's `.flowforce/tls/`.

simple_salesforce builds every URL as `https://…` (reference/clients.md §2.1), so a server it can reach has to
speak TLS. The generated CA is what clients trust (`REQUESTS_CA_BUNDLE`, `NODE_EXTRA_CA_CERTS`, newman's
`--ssl-extra-ca-certs`); the server certificate it signs names 127.0.0.1, ::1, localhost and the bind host.
A separate CA (rather than one self-signed leaf) keeps working when the server certificate is renewed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE, CA_KEY_FILE = "ca.pem", "ca-key.pem"
CERT_FILE, KEY_FILE = "server.pem", "server-key.pem"
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
CA_DAYS, SERVER_DAYS = 3650, 825  # 825 days: the longest leaf lifetime Apple's and Chrome's stores accept
RENEW_BEFORE = dt.timedelta(days=30)


class TlsError(Exception):
    """The certificate or key cannot be used (the message names the file)."""


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path
    #: The CA to trust; None when the certificate was given (its issuer is the user's business).
    ca: Path | None


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "flowforce"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _san_entries(hosts: tuple[str, ...]) -> list[x509.GeneralName]:
    entries: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            entries.append(x509.DNSName(host))
    return entries


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TlsError(f"{path}: not the EC key flowforce generated")
    return key


def _make_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("flowforce local CA")
    now = _now()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write_key(folder / CA_KEY_FILE, key)
    (folder / CA_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _load_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    cert_path, key_path = folder / CA_FILE, folder / CA_KEY_FILE
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if cert.not_valid_after_utc - RENEW_BEFORE < _now():
        return None
    return cert, _load_key(key_path)


def _make_server_cert(folder: Path, ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey,
                      hosts: tuple[str, ...]) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (x509.CertificateBuilder().subject_name(_name(hosts[0])).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName(_san_entries(hosts)), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write_key(folder / KEY_FILE, key)
    (folder / CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _server_cert_usable(folder: Path, ca: x509.Certificate, hosts: tuple[str, ...]) -> bool:
    path = folder / CERT_FILE
    if not (path.is_file() and (folder / KEY_FILE).is_file()):
        return False
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    if cert.issuer != ca.subject or cert.not_valid_after_utc - RENEW_BEFORE < _now():
        return False
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return all(entry in names for entry in _san_entries(hosts))


def generated_tls(folder: Path, host: str) -> TlsFiles:
    """The cached CA and server certificate under *folder*, made or renewed when missing, expiring or not
    naming *host*."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    hosts = tuple(name for name in (*LOCAL_NAMES, host) if name not in ("", "0.0.0.0", "::"))
    loaded = _load_ca(folder)
    ca, ca_key = loaded if loaded is not None else _make_ca(folder)
    if loaded is None or not _server_cert_usable(folder, ca, hosts):
        _make_server_cert(folder, ca, ca_key, hosts)
    return TlsFiles(folder / CERT_FILE, folder / KEY_FILE, folder / CA_FILE)


def given_tls(cert: Path, key: Path) -> TlsFiles:
    """A user's certificate and key, checked up front so a typo fails with the file's name, not a traceback."""
    for path in (cert, key):
        if not path.is_file():
            raise TlsError(f"{path}: no such file")
    try:
        x509.load_pem_x509_certificate(cert.read_bytes())
    except ValueError as error:
        raise TlsError(f"{cert}: not a PEM certificate ({error})") from None
    try:
        serialization.load_pem_private_key(key.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise TlsError(f"{key}: not an unencrypted PEM private key ({error})") from None
    return TlsFiles(cert, key, None)

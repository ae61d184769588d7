"""`flowforce serve --tls`: the generated local CA and server certificate, their cache, and given files."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509

from flowforce.api.serve import ServeError, tls_files, tls_lines
from flowforce.api.tls import TlsError, generated_tls, given_tls
from flowforce.settings import load_settings


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def names(cert: x509.Certificate) -> set[str]:
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(value) for value in san.get_values_for_type(x509.DNSName)} | {
        str(value) for value in san.get_values_for_type(x509.IPAddress)}


def test_generated_server_certificate_is_signed_by_the_ca_and_names_loopback(tmp_path: Path) -> None:
    files = generated_tls(tmp_path / "tls", "127.0.0.1")
    assert files.ca is not None
    ca, server = load(files.ca), load(files.cert)
    server.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert names(server) == {"localhost", "127.0.0.1", "::1"}
    assert oct(files.key.stat().st_mode & 0o777) == "0o600"


def test_generated_files_are_reused(tmp_path: Path) -> None:
    first = generated_tls(tmp_path / "tls", "localhost")
    assert first.ca is not None
    serials = (load(first.ca).serial_number, load(first.cert).serial_number)
    second = generated_tls(tmp_path / "tls", "localhost")
    assert second.ca is not None
    assert (load(second.ca).serial_number, load(second.cert).serial_number) == serials


def test_a_new_host_gets_a_new_server_certificate_from_the_same_ca(tmp_path: Path) -> None:
    first = generated_tls(tmp_path / "tls", "127.0.0.1")
    assert first.ca is not None
    ca_serial, server_serial = load(first.ca).serial_number, load(first.cert).serial_number
    second = generated_tls(tmp_path / "tls", "10.1.2.3")
    assert second.ca is not None
    assert load(second.ca).serial_number == ca_serial
    assert load(second.cert).serial_number != server_serial
    assert "10.1.2.3" in names(load(second.cert))  # an IP SAN (names() reads IPAddress entries as text)
    load(second.cert).verify_directly_issued_by(load(second.ca))


def test_given_files_are_checked(tmp_path: Path) -> None:
    made = generated_tls(tmp_path / "tls", "localhost")
    assert given_tls(made.cert, made.key).ca is None
    with pytest.raises(TlsError, match="no such file"):
        given_tls(tmp_path / "missing.pem", made.key)
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(TlsError, match="not a PEM certificate"):
        given_tls(bogus, made.key)
    with pytest.raises(TlsError, match="not an unencrypted PEM private key"):
        given_tls(made.cert, bogus)


def test_settings_serve_https_and_print_the_ca(tmp_path: Path) -> None:
    settings = load_settings(project_dir=tmp_path, tls=True, port=8443)
    assert settings.base_url == "https://127.0.0.1:8443"
    files = tls_files(settings)
    assert files is not None and files.ca == (tmp_path / ".flowforce" / "tls" / "ca.pem").resolve()
    assert tls_lines(files)[0] == f"TLS: trust the CA {files.ca}"
    assert f"REQUESTS_CA_BUNDLE={files.ca} NODE_EXTRA_CA_CERTS={files.ca}" in tls_lines(files)[1]


def test_a_given_certificate_implies_tls_and_needs_its_key(tmp_path: Path) -> None:
    made = generated_tls(tmp_path / "tls", "localhost")
    settings = load_settings(project_dir=tmp_path, tls_cert=made.cert)
    assert settings.tls is True and settings.base_url.startswith("https://")
    with pytest.raises(ServeError, match="give both --tls-cert and --tls-key"):
        tls_files(settings)
    both = load_settings(project_dir=tmp_path, tls_cert=made.cert, tls_key=made.key)
    assert tls_files(both) == given_tls(made.cert, made.key)
    assert load_settings(project_dir=tmp_path).base_url.startswith("http://")

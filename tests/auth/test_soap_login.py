"""SOAP login at /services/Soap/u/{version}: the envelopes simple_salesforce and jsforce send and parse."""

from __future__ import annotations

import re
from xml.dom import minidom

from lxml import etree
from starlette.testclient import TestClient

from flowforce.auth.service import AuthService, DevOrg

from .conftest import ADMIN, ADMIN_PASSWORD, INSTANCE_URL, make_user

PARTNER = "urn:partner.soap.sforce.com"


def envelope(username: str, password: str) -> str:
    """simple_salesforce's login body (reference/clients.md §2.2), prefixes and all."""
    return (
        '<?xml version="1.0" encoding="utf-8" ?><env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:urn="urn:partner.soap.sforce.com"><env:Header><urn:CallOptions><urn:client>simple-salesforce'
        "</urn:client><urn:defaultNamespace>sf</urn:defaultNamespace></urn:CallOptions></env:Header><env:Body>"
        f'<n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>{username}</n1:username>'
        f"<n1:password>{password}</n1:password></n1:login></env:Body></env:Envelope>"
    )


def login(client: TestClient, body: str, version: str = "59.0"):
    return client.post(f"/services/Soap/u/{version}", content=body,
                       headers={"Content-Type": "text/xml", "SOAPAction": "login"})


def test_login_success(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    response = login(client, envelope(ADMIN, ADMIN_PASSWORD))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    # simple_salesforce: minidom, unprefixed tag names
    dom = minidom.parseString(response.content)
    session_id = dom.getElementsByTagName("sessionId")[0].firstChild.nodeValue
    server_url = dom.getElementsByTagName("serverUrl")[0].firstChild.nodeValue
    assert server_url == f"{INSTANCE_URL}/services/Soap/u/59.0/{auth.org_id[:15]}"
    assert auth.authenticate(session_id).username == ADMIN
    # jsforce: regexes, all four required
    text = response.text
    user_id = auth.users.require(ADMIN).user_id
    assert re.search(r"<userId>([^<]+)</userId>", text).group(1) == user_id
    assert re.search(r"<organizationId>([^<]+)</organizationId>", text).group(1) == auth.org_id
    assert "<passwordExpired>false</passwordExpired>" in text
    # the full shape, namespace-aware
    root = etree.fromstring(response.content)
    result = root.find(f".//{{{PARTNER}}}loginResponse/{{{PARTNER}}}result")
    info = result.find(f"{{{PARTNER}}}userInfo")
    metadata_url = f"{INSTANCE_URL}/services/Soap/m/59.0/{auth.org_id[:15]}"
    assert result.findtext(f"{{{PARTNER}}}metadataServerUrl") == metadata_url
    assert result.findtext(f"{{{PARTNER}}}sandbox") == "false"
    assert info.findtext(f"{{{PARTNER}}}userName") == ADMIN
    assert info.findtext(f"{{{PARTNER}}}sessionSecondsValid") == "3600"
    assert info.findtext(f"{{{PARTNER}}}organizationName") == "flowforce"
    assert info.findtext(f"{{{PARTNER}}}profileId").startswith("00e")


def test_jsforce_envelope(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "js@example.com")
    body = ('<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body>'
            f'<login xmlns="urn:partner.soap.sforce.com"><username>{person.username}</username>'
            f"<password>{person.password_plus_token}</password></login></se:Body></se:Envelope>")
    response = client.post("/services/Soap/u/50.0", content=body, headers={"Content-Type": "text/xml",
                                                                            "SOAPAction": '""'})
    assert response.status_code == 200
    assert "/services/Soap/u/50.0/" in response.text


def test_invalid_login_fault(client: TestClient, dev: DevOrg) -> None:
    response = login(client, envelope(ADMIN, "wrong"))
    assert response.status_code == 500
    dom = minidom.parseString(response.content)
    assert dom.getElementsByTagName("sf:exceptionCode")[0].firstChild.nodeValue == "INVALID_LOGIN"
    assert (dom.getElementsByTagName("sf:exceptionMessage")[0].firstChild.nodeValue
            == "Invalid username, password, security token; or user locked out.")
    assert re.search(r"<faultstring>([^<]+)</faultstring>", response.text).group(1) == (
        "INVALID_LOGIN: Invalid username, password, security token; or user locked out.")
    assert re.search(r"<faultcode>([^<]+)</faultcode>", response.text).group(1) == "INVALID_LOGIN"


def test_api_only_user_may_log_in(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "apionly@example.com", profile="Minimum Access - API Only")
    assert login(client, envelope(person.username, person.password_plus_token)).status_code == 200


def test_user_without_api_enabled(client: TestClient, auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "noapi@example.com", profile="Minimum Access - Salesforce")
    response = login(client, envelope(person.username, person.password_plus_token))
    assert response.status_code == 500
    assert "<faultcode>API_CURRENTLY_DISABLED</faultcode>" in response.text


def test_retired_version(client: TestClient, dev: DevOrg) -> None:
    response = login(client, envelope(ADMIN, ADMIN_PASSWORD), version="20.0")
    assert response.status_code == 500
    assert "UNSUPPORTED_API_VERSION" in response.text


def test_entities_are_refused(client: TestClient, dev: DevOrg) -> None:
    body = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY pw SYSTEM "file:///etc/passwd">]>'
            + envelope(ADMIN, "&pw;").split("?>", 1)[1])
    response = login(client, body)
    assert response.status_code == 500
    assert "root:" not in response.text


def test_malformed_envelope(client: TestClient, dev: DevOrg) -> None:
    response = login(client, "<not-xml")
    assert response.status_code == 500
    assert "<faultstring>" in response.text


def test_login_behind_a_path_prefix(client: TestClient, dev: DevOrg) -> None:
    response = client.post("/x.salesforce.com/services/Soap/u/59.0", content=envelope(ADMIN, ADMIN_PASSWORD),
                           headers={"Content-Type": "text/xml"})
    assert response.status_code == 200

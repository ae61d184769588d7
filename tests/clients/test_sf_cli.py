"""The Salesforce CLI (`@salesforce/cli`, on the npm-provided Node 22) against `flowforce serve --tls`.

The CLI takes seconds to start, so every command runs once, in order, in a module fixture (`session`), and the
tests read their recorded results. `sf org login web` is driven for real: the CLI opens the authorize URL through
`xdg-open`, which runs `$BROWSER`; BROWSER is tests/clients/fake_browser.py, which logs in on flowforce's page with
httpx and follows the redirect to the CLI's callback on localhost:1717. The CLI then exchanges the code with its
PKCE verifier itself, exactly as after a real browser login.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import ADMIN, ADMIN_PASSWORD, HERE, NODE_BIN, Server, node_env, node_tools

CLI_ENV = {
    "SF_DISABLE_TELEMETRY": "true", "SF_SKIP_NEW_VERSION_CHECK": "true", "SF_AUTOUPDATE_DISABLE": "true",
    "SF_DISABLE_AUTOUPDATE": "true", "SF_HIDE_RELEASE_NOTES": "true", "SF_USE_GENERIC_UNIX_KEYCHAIN": "true",
    "SF_DISABLE_DNS_CHECK": "true", "SF_CONTAINER_MODE": "false",
}  # fmt: skip
TREE_ACCOUNTS = {"records": [
    {"attributes": {"type": "Account", "referenceId": "AccountRef1"}, "Name": "Tree Co", "Industry": "Energy",
     "Contacts": {"records": [{"attributes": {"type": "Contact", "referenceId": "ContactRef1"}, "LastName": "Treeson",
                               "Email": "t@tree.test"}]}},
    {"attributes": {"type": "Account", "referenceId": "AccountRef2"}, "Name": "Tree Child Co",
     "ParentId": "@AccountRef1"},
]}  # fmt: skip
TREE_CONTACTS = {"records": [{"attributes": {"type": "Contact", "referenceId": "ContactRef2"}, "LastName": "Planned",
                              "AccountId": "@AccountRef2"}]}
SOLO = {"records": [{"attributes": {"type": "Account", "referenceId": "SoloRef1"}, "Name": "Solo Co",
                     "Contacts": {"records": [{"attributes": {"type": "Contact", "referenceId": "SoloRef2"},
                                               "LastName": "Alone"}]}}]}
PLAN = [{"sobject": "Account", "files": ["Account.json"]}, {"sobject": "Contact", "files": ["Contact.json"]}]



@dataclass
class SfSession:
    """Runs `sf` commands in an isolated HOME and keeps each result under a name."""

    server: Server
    home: Path
    env: dict[str, str]
    results: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run([str(NODE_BIN / "sf"), *args], env={**self.env, **(env or {})},
                                cwd=self.home, capture_output=True, text=True, timeout=180)
        self.seconds[name] = time.monotonic() - started
        self.results[name] = result
        return result

    def json(self, name: str) -> Any:
        result = self.results[name]
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError:
            detail = f"{result.returncode}):\n{result.stdout}\n{result.stderr}"
            raise AssertionError(f"sf {name}: no JSON ({detail}") from None

    def ok(self, name: str) -> Any:
        body = self.json(name)
        assert body["status"] == 0, body
        return body["result"]


def fake_browser(folder: Path) -> Path:
    """`$BROWSER` for xdg-open: this interpreter running fake_browser.py."""
    script = folder / "browser"
    script.write_text(f"#!/bin/sh\nexec '{sys.executable}' '{HERE / 'fake_browser.py'}' \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value))
    return path


@pytest.fixture(scope="module")
def session(tls_server: Server, tmp_path_factory: pytest.TempPathFactory) -> SfSession:
    node_tools()
    root = tmp_path_factory.mktemp("sf")
    home = root / "home"
    home.mkdir()
    assert tls_server.ca_file is not None
    env = {**node_env(tls_server), **CLI_ENV, "HOME": str(home), "FF_CA_FILE": str(tls_server.ca_file)}
    sf = SfSession(tls_server, home, env)
    url = tls_server.base_url
    data = home / "data"
    data.mkdir()
    write_json(data / "Account.json", TREE_ACCOUNTS)
    write_json(data / "Contact.json", TREE_CONTACTS)
    write_json(data / "plan.json", PLAN)
    write_json(data / "Solo.json", SOLO)

    sf.run("login", "org", "login", "access-token", "--instance-url", url, "--no-prompt", "--alias", "ff", "--json",
           env={"SF_ACCESS_TOKEN": tls_server.token()})
    sf.run("display", "org", "display", "-o", "ff", "--json")
    sf.run("create", "data", "create", "record", "-s", "Account", "-v", "Name='Sf Co' Industry=Energy", "-o", "ff",
           "--json")
    sf.run("query_human", "data", "query", "-q", "SELECT Id, Name, Industry FROM Account WHERE Name = 'Sf Co'",
           "-o", "ff")
    sf.run("query_json", "data", "query", "-q", "SELECT Name, Owner.Name FROM Account WHERE Name = 'Sf Co'", "-o", "ff",
           "--json")
    sf.run("import_plan", "data", "import", "tree", "--plan", str(data / "plan.json"), "-o", "ff", "--json")
    sf.run("import_files", "data", "import", "tree", "--files", str(data / "Solo.json"), "-o", "ff", "--json")
    sf.run("query_csv", "data", "query", "-q", "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account "
           "WHERE Name LIKE 'Tree%' ORDER BY Name", "-o", "ff", "--result-format", "csv")
    sf.run("export", "data", "export", "tree", "-q", "SELECT Id, Name, Industry, (SELECT Id, LastName, Email FROM "
           "Contacts) FROM Account WHERE Name LIKE 'Tree%' ORDER BY Name", "--plan", "--output-dir",
           str(home / "export"), "-o", "ff", "--json")
    account = sf.ok("create")["id"]
    sf.run("feed_item", "data", "create", "record", "-s", "FeedItem", "-v",
           f"ParentId={account} Body='Posted from the sf CLI'", "-o", "ff", "--json")
    post = sf.ok("feed_item")["id"]
    sf.run("describe_flow", "api", "request", "rest", "/services/data/v62.0/actions/custom/flow/Escalate_to_Case",
           "-o", "ff")
    sf.run("invoke_flow", "api", "request", "rest", "/services/data/v62.0/actions/custom/flow/Escalate_to_Case",
           "-X", "POST", "-b", json.dumps({"inputs": [{"FeedItemId": post, "CommentCount": 9}]}), "-o", "ff")
    sf.run("bulk", "data", "export", "bulk", "--query", "SELECT Id FROM Account", "--output-file",
           str(home / "bulk.csv"), "--wait", "1", "-o", "ff", "--json")
    browser_log = root / "browser.log"
    sf.run("login_web", "org", "login", "web", "--instance-url", url, "--alias", "web", "--json",
           env={"BROWSER": str(fake_browser(root)), "FF_BROWSER_LOG": str(browser_log),
                "FF_LOGIN_USERNAME": ADMIN, "FF_LOGIN_PASSWORD": ADMIN_PASSWORD})
    sf.results["browser"] = subprocess.CompletedProcess([], 0, browser_log.read_text() if browser_log.exists() else "")
    if sf.json("login_web")["status"] == 0:
        # The session expires: revoke it; the CLI must use the refresh token the web login got.
        sf.run("web_token", "org", "auth", "show-access-token", "-o", "web", "--json")
        token = sf.ok("web_token")["accessToken"]
        httpx.post(f"{url}/services/oauth2/revoke", data={"token": token}, verify=tls_server.verify).raise_for_status()
        sf.run("query_after_refresh", "data", "query", "-q", "SELECT COUNT() FROM Account", "-o", "web", "--json")
    if os.environ.get("FF_CLIENT_TIMINGS"):
        print({name: round(seconds, 1) for name, seconds in sf.seconds.items()})
    return sf


def test_login_with_access_token_and_display(session: SfSession, tls_server: Server) -> None:
    login = session.ok("login")
    assert (login["username"], login["orgId"], login["isDevHub"]) == (ADMIN, tls_server.org_id, False)
    assert login["instanceUrl"].rstrip("/") == tls_server.base_url
    display = session.ok("display")
    assert (display["connectedStatus"], display["username"], display["alias"]) == ("Connected", ADMIN, "ff")
    assert display["apiVersion"] == "66.0"  # the highest version /services/data lists


def test_create_record(session: SfSession, tls_server: Server) -> None:
    created = session.ok("create")
    assert created["success"] is True
    [row] = tls_server.rows(f"SELECT Name, Industry FROM Account WHERE Id = '{created['id']}'")
    assert row == {"Name": "Sf Co", "Industry": "Energy"}


def test_query_human_table_uses_column_metadata(session: SfSession) -> None:
    result = session.results["query_human"]
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "NAME" in line)
    # The sf CLI draws its borders by terminal (box characters, ASCII or none): read the names only.
    assert [name for name in re.split(r"[\s│|┃]+", header) if name] == ["ID", "NAME", "INDUSTRY"]
    assert any("Sf Co" in line and "Energy" in line for line in result.stdout.splitlines())
    assert "Total number of records retrieved: 1." in result.stdout


def test_query_json(session: SfSession) -> None:
    result = session.ok("query_json")
    assert (result["totalSize"], result["done"]) == (1, True)
    [record] = result["records"]
    assert record["Name"] == "Sf Co" and record["Owner"]["Name"] == "Dev Admin"


def test_query_csv_with_parent_and_subquery(session: SfSession) -> None:
    result = session.results["query_csv"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [  # the CLI flattens subquery rows into columns
        "Name,Owner.Name,Contacts.totalSize,Contacts.records.0.LastName", "Tree Child Co,Dev Admin,1,Planned",
        "Tree Co,Dev Admin,1,Treeson"]


def test_import_tree_with_plan_resolves_references(session: SfSession, tls_server: Server) -> None:
    saved = {entry["refId"]: entry["id"] for entry in session.ok("import_plan")}
    assert set(saved) == {"AccountRef1", "ContactRef1", "AccountRef2", "ContactRef2"}
    rows = tls_server.rows("SELECT Name, Parent.Name, (SELECT LastName, Email FROM Contacts) FROM Account "
                           "WHERE Name LIKE 'Tree%' ORDER BY Name")
    assert [(row["Name"], (row["Parent"] or {}).get("Name"), [c["LastName"] for c in row["Contacts"]["records"]])
            for row in rows] == [("Tree Child Co", "Tree Co", ["Planned"]), ("Tree Co", None, ["Treeson"])]


def test_import_tree_files(session: SfSession, tls_server: Server) -> None:
    assert {entry["refId"] for entry in session.ok("import_files")} == {"SoloRef1", "SoloRef2"}
    [row] = tls_server.rows("SELECT Account.Name FROM Contact WHERE LastName = 'Alone'")
    assert row["Account"]["Name"] == "Solo Co"


def test_export_tree_writes_a_plan_with_references(session: SfSession) -> None:
    assert session.ok("export") == PLAN
    folder = session.home / "export"
    accounts = json.loads((folder / "Account.json").read_text())["records"]
    contacts = json.loads((folder / "Contact.json").read_text())["records"]
    assert [(a["attributes"]["referenceId"], a["Name"]) for a in accounts] == [
        ("AccountRef1", "Tree Child Co"), ("AccountRef2", "Tree Co")]
    assert sorted((c["LastName"], c["AccountId"]) for c in contacts) == [
        ("Planned", "@AccountRef1"), ("Treeson", "@AccountRef2")]


def test_api_request_rest_describes_and_invokes_a_flow(session: SfSession, tls_server: Server) -> None:
    describe = session.results["describe_flow"]
    assert describe.returncode == 0, describe.stderr
    assert json.loads(describe.stdout)["name"] == "Escalate_to_Case"
    invoke = session.results["invoke_flow"]
    assert invoke.returncode == 0, invoke.stderr
    [result] = json.loads(invoke.stdout)
    assert (result["isSuccess"], result["outputValues"]["Status"]) == (True, "Escalated")
    [case] = tls_server.rows(f"SELECT Subject, Description FROM Case WHERE Id = '{result['outputValues']['CaseId']}'")
    assert case == {"Subject": "Escalated Chatter post (9 comments)", "Description": "Posted from the sf CLI"}


def test_bulk_is_refused_clearly(session: SfSession) -> None:
    body = session.json("bulk")
    assert body["status"] != 0
    assert body["message"].startswith("Bulk API 2.0 is not supported by flowforce.")


def test_login_web_through_the_login_page(session: SfSession, tls_server: Server) -> None:
    login = session.ok("login_web")
    assert (login["username"], login["orgId"], login["clientId"]) == (ADMIN, tls_server.org_id, "PlatformCLI")
    assert session.results["browser"].stdout.splitlines() == [
        "GET authorize 200", next(line for line in session.results["browser"].stdout.splitlines()
                                  if line.startswith("POST login 302 -> http://localhost:1717/OauthRedirect?code=")),
        "GET localhost:1717/OauthRedirect 303", "GET localhost:1717/OauthSuccess 200"]


def test_web_login_refresh_token_renews_the_session(session: SfSession, tls_server: Server) -> None:
    assert session.ok("query_after_refresh")["totalSize"] == 4  # Sf Co, Tree Co, Tree Child Co, Solo Co
    # The CLI's tokens: one refresh token and the access token from the code exchange (revoked above), then the
    # access tokens its refresh requests got (this CLI version refreshes more than once in one command).
    issued = tls_server.auth_rows("SELECT kind, revoked FROM ff_auth_tokens WHERE client_id = 'PlatformCLI' "
                                  "ORDER BY issued_ms, kind DESC")
    assert [(kind, bool(revoked)) for kind, revoked in issued[:2]] == [("refresh", False), ("access", True)]
    assert issued[2:] and all(kind == "access" and not revoked for kind, revoked in issued[2:])

"""The console over HTTP: login and CSRF, the run form, interviews with their traces, activation, records and SOQL,
admin pages — asserting what the page says and what the store holds."""

from __future__ import annotations

import html
import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from flowforce.api.server import Server
from flowforce.console.outbox import OutboxItem
from flowforce.console.routes import console_routes
from flowforce.runtime import Org

from .conftest import ADMIN, ADMIN_PASSWORD, Browser, browser, csrf_of

FLOW_PAGE = "/console/flows/Console_Demo"
FAULT = ("An error occurred when executing a flow interview. Error element Create_Account (FlowRecordCreate). "
         "This error occurred when the flow tried to create records: REQUIRED_FIELD_MISSING: Required fields are "
         "missing: [Name]. You can look up ExceptionCode values in the SOAP API Developer Guide.")


def between(text: str, start: str, end: str) -> str:
    match = re.search(re.escape(start) + r"(.*?)" + re.escape(end), text, re.S)
    assert match is not None, text
    return html.unescape(match.group(1))


def interviews(org: Org) -> list[tuple[str, str | None]]:
    with org.store.reading() as conn:
        table = org.store.tables.table("FlowInterview")
        return [(row.interviewstatus, row.currentelement) for row in conn.execute(table.select()).all()]


def test_pages_need_a_login(settings, org):
    client = browser(settings, org)
    response = client.get("/console/interviews?status=Error", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=%2Fconsole%2Finterviews%3Fstatus%3DError"


def test_a_wrong_password_is_refused_with_salesforces_wording(settings, org):
    response = browser(settings, org).log_in(ADMIN, "wrong")
    assert response.status_code == 401
    assert between(response.text, 'id="error">', "</p>").startswith("Please check your username and password.")


def test_a_login_post_without_the_forms_token_is_refused(settings, org):
    client = browser(settings, org).client
    response = client.post("/console/login", data={"username": ADMIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 403
    assert "ff_console" not in response.cookies


def test_login_never_redirects_off_the_console(settings, org):
    client = browser(settings, org).client
    form = client.get("/console/login?next=https://evil.example/")
    response = client.post("/console/login", follow_redirects=False, data={
        "csrf_token": csrf_of(form.text), "username": ADMIN, "password": ADMIN_PASSWORD, "next": "//evil.example/x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/flows"


def test_the_flow_list_shows_versions_process_type_and_trigger(admin: Browser):
    page = admin.get("/console/flows").text
    row = between(page, 'href="/console/flows/Console_Demo">', "</tr>")
    cells = [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == ["Console Demo", "AutoLaunchedFlow", "", "1", "1 (latest 1)", "yes"]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_running_a_failing_flow_shows_the_fault_and_keeps_the_interview_with_its_trace(admin: Browser, org: Org):
    response = admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/run", {"in.Amount": "500"})
    assert response.status_code == 200
    assert between(response.text, 'id="result-status" class="failed">', "</span>") == "HTTP 400"
    assert f'"message": "{FAULT}"' in between(response.text, '<pre id="result">', "</pre>")
    assert between(response.text, '<pre id="curl">', "</pre>") == (
        "curl -X POST http://testserver/services/data/v66.0/actions/custom/flow/Console_Demo \\\n"
        "  -H \"Authorization: Bearer $FLOWFORCE_TOKEN\" -H 'Content-Type: application/json' \\\n"
        "  -d '{\"inputs\":[{\"Amount\":500}]}'")
    assert interviews(org) == [("Error", "Create_Account")]
    link = re.search(r'id="interview-link" href="([^"]+)"', response.text)
    assert link is not None

    page = admin.get(link.group(1)).text
    assert between(page, 'id="interview-status" class="status-error">', "</span>") == "Error"
    fault = between(page, '<p class="error" id="fault">', "</p>")
    assert fault == FAULT.split("Create_Account (FlowRecordCreate). ")[1]
    rows = re.findall(r'<tr data-element="(\w+)"( class="faulted")?>', page)
    assert rows == [("Check_Amount", ""), ("Create_Account", ' class="faulted"')]
    decision = between(page, '<tr data-element="Check_Amount">', "</tr>")
    assert "<td>Too_Big</td>" in decision and "outcome Too_Big is true" in decision
    assert '<div class="why"><code>Amount GreaterThan 100.0</code></div>' in decision
    path = between(page, '<script type="application/json" id="diagram-path">', "</script>")
    assert '"nodes": ["Check_Amount", "Create_Account"]' in path and '"faulted": ["Create_Account"]' in path


def test_a_successful_run_shows_outputs_and_variables_changed(admin: Browser, org: Org):
    response = admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/run", {"in.Amount": "5"})
    assert between(response.text, 'id="result-status" class="ok">', "</span>") == "HTTP 200"
    assert '"Verdict": "small"' in between(response.text, '<pre id="result">', "</pre>")
    page = admin.get(re.search(r'id="interview-link" href="([^"]+)"', response.text).group(1)).text
    assert between(page, 'id="interview-status" class="status-completed">', "</span>") == "Completed"
    assignment = between(page, '<tr data-element="Set_Verdict">', "</tr>")
    assert '<dt>Verdict</dt><dd><code>"small"</code></dd>' in assignment
    assert "<td>Small</td>" in between(page, '<tr data-element="Check_Amount">', "</tr>")


def test_a_paused_interview_is_listed_and_shows_where_it_waits(admin: Browser, org: Org):
    page = "/console/flows/Order_Follow_Up"
    response = admin.post_form(page, f"{page}/run", {"in.OrderNumber": "A-1001"})
    assert '"Flow__InterviewStatus": "Waiting"' in between(response.text, '<pre id="result">', "</pre>")
    assert interviews(org) == [("Paused", "Two_Days_Later")]
    listed = admin.get("/console/interviews", params={"status": "Paused"}).text
    assert re.findall(r'<tr class="status-(\w+)">', listed) == ["paused"]
    assert "<td>Order_Follow_Up v1</td>" in listed and "<td>Two_Days_Later</td>" in listed
    interview = admin.get(re.search(r'id="interview-link" href="([^"]+)"', response.text).group(1)).text
    assert between(interview, 'id="interview-status" class="status-paused">', "</span>") == "Paused"
    assert between(interview, '<code id="current-element">', "</code>") == "Two_Days_Later"
    assert '"nodes": ["Two_Days_Later"]' in between(interview, 'id="diagram-path">', "</script>")


def test_bad_form_input_names_the_input_and_runs_nothing(admin: Browser, org: Org):
    response = admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/run", {"in.Amount": "lots"})
    assert response.status_code == 400
    assert between(response.text, 'id="run-error">', "</p>") == "Amount: 'lots' is not a number"
    assert interviews(org) == []


def test_a_form_without_its_csrf_token_changes_nothing(admin: Browser, org: Org):
    response = admin.client.post(f"{FLOW_PAGE}/versions/1", data={"action": "deactivate", "csrf_token": "forged"})
    assert response.status_code == 403
    assert between(response.text, "<code>", "</code>") == "INVALID_CSRF_TOKEN"
    assert org.library.active("Console_Demo") is not None


def test_an_admin_deactivates_and_activates_a_version(admin: Browser, org: Org):
    response = admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/versions/1", {"action": "deactivate"})
    assert response.status_code == 200
    assert between(response.text, '<td class="status">', "</td>") == "Obsolete"
    assert org.library.active("Console_Demo") is None
    response = admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/versions/1", {"action": "activate"})
    assert between(response.text, '<td class="status">', "</td>") == "Active"
    assert org.library.active("Console_Demo").flow.version == 1


def test_a_standard_user_sees_no_flow_not_shared_with_them_and_no_admin_page(user: Browser, org: Org):
    assert "Console_Demo" not in user.get("/console/flows").text
    assert user.get(FLOW_PAGE).status_code == 404
    assert user.get("/console/users").status_code == 403
    assert user.client.post(f"{FLOW_PAGE}/versions/1", data={"action": "deactivate"}).status_code == 403
    assert org.library.active("Console_Demo") is not None


def test_soql_results_are_a_table_and_user_data_is_escaped(admin: Browser, org: Org):
    with org.transaction() as tx:
        tx.insert("Account", [{"Name": "<script>alert(1)</script>"}])
    page = admin.get("/console/records", params={"q": "SELECT Name FROM Account"}).text
    assert between(page, 'id="query-total">', "</p>") == "1 record"
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in page
    assert "<script>alert(1)" not in page


def test_a_bad_query_shows_salesforces_error(admin: Browser):
    page = admin.get("/console/records", params={"q": "SELECT Nope FROM Account"}).text
    assert between(page, 'id="query-error"><code>', "</code>") == "INVALID_FIELD"
    assert "No such column 'Nope' on entity 'Account'" in between(page, 'id="query-error">', "</p>")


def test_interviews_filter_by_status(admin: Browser):
    admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/run", {"in.Amount": "500"})
    admin.post_form(FLOW_PAGE, f"{FLOW_PAGE}/run", {"in.Amount": "5"})
    failed = admin.get("/console/interviews", params={"status": "Error"}).text
    assert re.findall(r'<tr class="status-(\w+)">', failed) == ["error"]
    every = admin.get("/console/interviews", params={"flow": "Console_Demo"}).text
    assert sorted(re.findall(r'<tr class="status-(\w+)">', every)) == ["completed", "error"]
    assert admin.get("/console/interviews", params={"status": "Bogus"}).status_code == 400


def test_users_and_apps_for_admins(admin: Browser):
    page = admin.get("/console/users").text
    assert "<td>admin@console.test</td>" in page and "<td>user@console.test</td>" in page
    assert "<code>console-client</code>" in page


def test_logging_out_revokes_the_session(admin: Browser):
    response = admin.post_form("/console/flows", "/console/logout", {})
    assert response.url.path == "/console/login"
    assert admin.get("/console/flows", follow_redirects=False).status_code == 303


def test_the_outbox_page_lists_what_the_outbox_port_gives(org: Org):
    class Outbox:
        def recent(self, *, kind=None, limit=100):
            items = [OutboxItem("1", "email", "sent", "a@b.test", "Case escalated"),
                     OutboxItem("2", "callout", "failed", "https://hooks.test/x", "POST", detail="HTTP 500")]
            return [item for item in items if kind in (None, item.kind)]

    server = Server(org)
    app = Starlette(routes=console_routes(server, Outbox()))
    app.state.server = server
    client = TestClient(app)
    form = client.get("/console/login")
    client.post("/console/login", data={"csrf_token": csrf_of(form.text), "username": ADMIN,
                                        "password": ADMIN_PASSWORD})
    page = client.get("/console/outbox", params={"kind": "callout"}).text
    assert re.findall(r'<tr class="status-(\w+)"><td>(\w+)</td>', page) == [("failed", "callout")]
    assert "<td>HTTP 500</td>" in page
    server.close()


@pytest.mark.parametrize("path", ["/console/flows/Nope", "/console/interviews/0Fo000000000001AAA",
                                  "/console/records/Nope__c", "/console/flows/Console_Demo?version=x"])
def test_unknown_things_are_pages_not_tracebacks(admin: Browser, path: str):
    response = admin.get(path)
    assert response.status_code in (400, 404)
    assert 'id="error"><code>' in response.text

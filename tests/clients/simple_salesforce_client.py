"""simple_salesforce 1.12, unmodified, against flowforce over HTTPS (it only speaks https, clients.md §2.1).

Run by tests/clients/test_simple_salesforce.py with FF_* variables naming the server and its credentials and
REQUESTS_CA_BUNDLE pointing at the server's generated CA. Prints one JSON line per step; any exception fails
the script. The login host is given the way simple_salesforce allows: `domain="127.0.0.1:PORT/x"` becomes
`https://127.0.0.1:PORT/x.salesforce.com/services/...`, which flowforce routes by path suffix.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlsplit

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceResourceNotFound

ENV = os.environ
VERSION = ENV["FF_API_VERSION"]
HOST = urlsplit(ENV["FF_INSTANCE_URL"]).netloc


def step(name: str, result: Any) -> None:
    print(json.dumps({"step": name, "result": result}, default=str), flush=True)


def logins() -> Salesforce:
    soap = Salesforce(username=ENV["FF_USERNAME"], password=ENV["FF_PASSWORD"],
                      security_token=ENV["FF_SECURITY_TOKEN"], domain=f"{HOST}/x", version=VERSION)
    step("soap_login", {"instance": soap.sf_instance, "user": soap.query("SELECT Username FROM User")["totalSize"]})
    oauth = Salesforce(consumer_key=ENV["FF_CLIENT_ID"], consumer_secret=ENV["FF_CLIENT_SECRET"],
                       domain=f"{HOST}/x", version=VERSION)
    step("client_credentials_login", {"instance": oauth.sf_instance})
    password = Salesforce(username=ENV["FF_USERNAME"], password=ENV["FF_PASSWORD"],
                          security_token=ENV["FF_SECURITY_TOKEN"], consumer_key=ENV["FF_CLIENT_ID"],
                          consumer_secret=ENV["FF_CLIENT_SECRET"], domain=f"{HOST}/x", version=VERSION)
    step("password_login", {"instance": password.sf_instance})
    direct = Salesforce(instance_url=ENV["FF_INSTANCE_URL"], session_id=oauth.session_id, version=VERSION)
    step("session_login", {"base_url": direct.base_url})
    return direct


def records(sf: Salesforce) -> None:
    account = sf.Account.create({"Name": "Simple Co", "Industry": "Energy"})
    step("create", account)
    record_id = account["id"]
    step("get", {key: value for key, value in sf.Account.get(record_id).items() if key in ("Name", "Industry")})
    step("update", sf.Account.update(record_id, {"Industry": "Banking"}))
    step("upsert_created", sf.Account.upsert("External_Key__c/SS-1", {"Name": "Upserted Co"}))
    step("upsert_updated", sf.Account.upsert("External_Key__c/SS-1", {"Name": "Upserted Again"}))
    doomed = sf.Account.create({"Name": "Doomed Co"})["id"]
    step("delete", sf.Account.delete(doomed))
    try:
        sf.Account.get(doomed)
        step("get_deleted", "found")
    except SalesforceResourceNotFound as error:
        step("get_deleted", error.content[0]["errorCode"])
    describe = sf.Account.describe()
    step("describe", {"name": describe["name"], "has_external_key": any(
        field["name"] == "External_Key__c" and field["externalId"] for field in describe["fields"])})
    step("describe_global", sorted(obj["name"] for obj in sf.describe()["sobjects"]
                                   if obj["name"] in ("Account", "Case", "Contact")))


def queries(sf: Salesforce) -> None:
    for start in range(0, 450, 200):
        names = [f"Paged {n:03d}" for n in range(start, min(start + 200, 450))]
        batch = [{"attributes": {"type": "Account"}, "Name": name} for name in names]
        saved = sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": batch})
        assert all(item["success"] for item in saved), saved
    sf.headers["Sforce-Query-Options"] = "batchSize=200"  # three pages of 200, 200, 50
    soql = "SELECT Name FROM Account WHERE Name LIKE 'Paged %' ORDER BY Name"
    first = sf.query(soql)
    step("query_first_page", {"size": len(first["records"]), "done": first["done"],
                              "next": first.get("nextRecordsUrl", "")[:30]})
    every = sf.query_all(soql)
    step("query_all", {"totalSize": every["totalSize"], "first": every["records"][0]["Name"],
                       "last": every["records"][-1]["Name"]})
    step("query_all_iter", sum(1 for _ in sf.query_all_iter(soql)))
    del sf.headers["Sforce-Query-Options"]


def flow(sf: Salesforce) -> None:
    account = sf.Account.create({"Name": "Feed Parent"})["id"]
    post = sf.FeedItem.create({"ParentId": account, "Body": "Still broken after six replies"})["id"]
    result = sf.restful("actions/custom/flow/Escalate_to_Case", method="POST",
                        json={"inputs": [{"FeedItemId": post, "CommentCount": 6}]})
    step("invoke_flow", [{"isSuccess": item["isSuccess"], "Status": item["outputValues"]["Status"],
                          "CaseId": item["outputValues"]["CaseId"]} for item in result])
    step("limits", {key: sf.limits()[key]["Max"] for key in ("DailyApiRequests",)})
    step("api_usage", bool(sf.api_usage))


def main() -> None:
    sf = logins()
    records(sf)
    queries(sf)
    flow(sf)


if __name__ == "__main__":
    main()

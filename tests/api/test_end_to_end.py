"""The real server process on a free port, driven like seed 000 / seed 003 with httpx: a token by client
credentials, describe, then invoke Escalate_to_Case with one and with several inputs."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from live_server import CLIENT_ID, CLIENT_SECRET, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("e2e") / "store.db"
    with live_server(None, f"sqlite:///{database}") as base:
        yield base


def test_seed_000_and_003_over_http(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        token = client.post("/services/oauth2/token", auth=(CLIENT_ID, CLIENT_SECRET),
                            data={"grant_type": "client_credentials"})
        assert token.status_code == 200, token.text
        assert token.json()["instance_url"] == server
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        api = "/services/data/v65.0"

        describe = client.get(f"{api}/actions/custom/flow/Escalate_to_Case")
        assert describe.status_code == 200
        assert [i["name"] for i in describe.json()["inputs"]] == ["CommentCount", "FeedItemId"]
        assert [o["name"] for o in describe.json()["outputs"]][:2] == ["CaseId", "Status"]

        account = client.post(f"{api}/sobjects/Account/", json={"Name": "Seed Co"}).json()["id"]
        feed_item = client.post(f"{api}/sobjects/FeedItem", json={"ParentId": account, "Body": "6 comments"})
        assert feed_item.status_code == 201
        feed_item_id = feed_item.json()["id"]

        one = client.post(f"{api}/actions/custom/flow/Escalate_to_Case",
                          json={"inputs": [{"CommentCount": 6, "FeedItemId": feed_item_id}]})
        assert one.status_code == 200
        assert one.headers["content-type"] == "application/json;charset=UTF-8"
        assert "api-usage=" in one.headers["sforce-limit-info"]
        [result] = one.json()
        assert result["isSuccess"] is True and result["errors"] is None
        assert result["outputValues"]["Status"] == "Escalated"
        assert result["outputValues"]["CaseId"].startswith("500")
        assert result["outputValues"]["Flow__InterviewStatus"] == "Finished"

        several = client.post(f"{api}/actions/custom/flow/Escalate_to_Case", json={"inputs": [
            {"CommentCount": 6, "FeedItemId": feed_item_id}, {"CommentCount": 8, "FeedItemId": feed_item_id}]})
        assert several.status_code == 200
        case_ids = [entry["outputValues"]["CaseId"] for entry in several.json()]
        assert len(set(case_ids)) == 2
        cases = client.get(f"{api}/query/", params={"q": "SELECT Id FROM Case"}).json()
        assert cases["totalSize"] == 3

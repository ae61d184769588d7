"""A simple_salesforce `Salesforce` whose HTTP goes to the in-process app: a requests transport adapter hands
each request to the test client and turns the answer back into a `requests.Response` (no TLS, no network)."""

from __future__ import annotations

from typing import Any


def bound_salesforce(client: Any, api_version: str) -> Any:
    import requests
    from requests.adapters import BaseAdapter
    from simple_salesforce import Salesforce

    class InProcess(BaseAdapter):
        def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any  # type: ignore[override]
                 ) -> requests.Response:
            answer = client.request(request.method or "GET", request.url or "", content=request.body,
                                    headers=dict(request.headers))
            response = requests.Response()
            response.status_code = answer.status_code
            response.headers.update(answer.headers)
            response._content = answer.content
            response.url = request.url or ""
            response.request = request
            response.encoding = answer.encoding
            return response

        def close(self) -> None:
            pass

    session = requests.Session()
    session.mount(str(client.base_url), InProcess())
    token = client.headers["Authorization"].split(" ", 1)[1]
    return Salesforce(instance_url=str(client.base_url), session_id=token, session=session, version=api_version)

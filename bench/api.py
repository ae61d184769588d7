"""REST API benchmark: a trivial flow invoked over real HTTP vs a bare Starlette JSON endpoint, and a 200-input
bulk invoke of a Get+Create flow.

    python3 bench/api.py [--clients 16] [--seconds 5] [--project tests/api/project] [--httpx]

Part 1 serves both apps with uvicorn (one worker each, in child processes, one at a time) and drives them with N
concurrent keep-alive clients — wrk when it is installed (Debian package `wrk`), else httpx from this process
(which then shares the CPU with the servers and saturates first): req/s, p50/p99 and the ratio (target >= 0.5).
Part 2 runs `Contact_For_Account` in-process with 1 and with 200 inputs: SOQL/DML statements used (target 1/1)
and the time ratio (target <= 5x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
BODY = {"inputs": [{"a": 1, "b": 2}]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bare_app() -> Any:
    """The reference: parse the body, answer a flow-invoke-shaped array (performance-notes.md)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def invoke(request: Request) -> JSONResponse:
        inputs = json.loads(await request.body())["inputs"]
        return JSONResponse([{"actionName": "Add_Numbers", "errors": None, "invocationId": None, "isSuccess": True,
                              "outcome": None, "outputValues": {"total": item["a"] + item["b"],
                                                                "Flow__InterviewStatus": "Finished"},
                              "sortOrder": -1, "version": 1} for item in inputs])

    return Starlette(routes=[Route("/services/data/v66.0/actions/custom/flow/Add_Numbers", invoke,
                                   methods=["POST"])])


def flowforce_settings(project: Path, database: str) -> Any:
    from flowforce.settings import load_settings

    return load_settings(project_dir=project, database_url=database, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                         admin_username="bench@flowforce.test", admin_password="bench-password-1",
                         daily_api_requests=10**9)


def serve(kind: str, port: int, project: str, database: str) -> None:
    import uvicorn

    if kind == "bare":
        app = bare_app()
    else:
        from flowforce.api.app import create_app
        from flowforce.api.serve import ensure_login
        from flowforce.runtime import Org

        settings = flowforce_settings(Path(project), database)
        org = Org.open(settings)
        ensure_login(org, settings)
        app = create_app(settings, org=org)
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


async def drive(base: str, headers: dict[str, str], clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
        url = "/services/data/v66.0/actions/custom/flow/Add_Numbers"
        for _ in range(clients):  # warm up every connection
            (await client.post(url, json=BODY)).raise_for_status()
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.post(url, json=BODY)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": latencies[len(latencies) // 2] * 1000,
            "p99": latencies[int(len(latencies) * 0.99)] * 1000}


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '%s'
wrk.headers["Content-Type"] = "application/json"
%s
"""


def drive_wrk(base: str, headers: dict[str, str], clients: int, seconds: float) -> dict[str, float]:
    """The same load from wrk (a C load generator), which doesn't compete for the GIL with Python clients."""
    extra = "\n".join(f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (json.dumps(BODY), extra))
    url = base + "/services/data/v66.0/actions/custom/flow/Add_Numbers"
    output = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency",
                             "-s", script.name, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    if "Non-2xx" in output:
        raise RuntimeError(f"wrk saw errors:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return {"rps": rps, "p50": _wrk_ms(output, "50%"), "p99": _wrk_ms(output, "99%")}


def _wrk_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/services/data", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def measure(kind: str, project: Path, database: str, clients: int, seconds: float, use_wrk: bool
            ) -> dict[str, float]:
    port = free_port()
    process = multiprocessing.get_context("spawn").Process(target=serve, args=(kind, port, str(project), database))
    process.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        headers = {}
        if kind == "flowforce":
            token = httpx.post(base + "/services/oauth2/token", data={
                "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
            headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        if use_wrk:
            return drive_wrk(base, headers, clients, seconds)
        return asyncio.run(drive(base, headers, clients, seconds))
    finally:
        process.terminate()
        process.join()


def bulk_invoke(project: Path, database: str, repeats: int = 7) -> dict[str, Any]:
    import functools
    import warnings

    from flowforce.api.app import create_app
    from flowforce.runtime import Org, build_auth_service

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    settings = flowforce_settings(project, database)
    org = Org.open(settings, auth_factory=functools.partial(build_auth_service, password_hash_cost=4))
    org.auth.ensure_dev_org("bench@flowforce.test", "bench-password-1", CLIENT_ID, CLIENT_SECRET)
    client = TestClient(create_app(settings, org=org))
    token = client.post("/services/oauth2/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                        "client_secret": CLIENT_SECRET}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    with org.store.transaction() as tx:
        accounts = [str(r.id) for r in tx.insert("Account", [{"Name": f"Bench {n}"} for n in range(200)])]
    made: list[Any] = []
    original = org.store.transaction
    org.store.transaction = lambda *a, **k: made.append(original(*a, **k)) or made[-1]  # type: ignore[method-assign]

    def timed(count: int) -> float:
        runs = []
        for _ in range(repeats):
            body = {"inputs": [{"AccountId": account} for account in accounts[:count]]}
            started = time.perf_counter()
            response = client.post("/services/data/v66.0/actions/custom/flow/Contact_For_Account", json=body,
                                   headers=headers)
            runs.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
        return statistics.median(runs)

    one, bulk = timed(1), timed(200)
    limits = made[-1].limits
    org.close()
    return {"one_ms": one * 1000, "bulk_ms": bulk * 1000, "ratio": bulk / one, "soql": limits.soql_queries,
            "dml": limits.dml_statements, "dml_rows": limits.dml_rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--project", type=Path, default=ROOT / "tests" / "api" / "project")
    parser.add_argument("--httpx", action="store_true", help="drive the load from Python even when wrk exists")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None and not args.httpx
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{os.path.join(folder, 'bench.db')}"
        bare = measure("bare", args.project, database, args.clients, args.seconds, use_wrk)
        flow = measure("flowforce", args.project, database, args.clients, args.seconds, use_wrk)
        driver = "wrk" if use_wrk else "httpx (install wrk for truer figures)"
        print(f"HTTP, {args.clients} keep-alive clients, {args.seconds:.0f} s each, 1 uvicorn worker, "
              f"load from {driver}:")
        for name, result in (("bare Starlette", bare), ("flowforce invoke", flow)):
            print(f"  {name:<17} {result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms")
        print(f"  ratio {flow['rps'] / bare['rps']:.2f} (target >= 0.5)")
        bulk = bulk_invoke(args.project, f"sqlite:///{os.path.join(folder, 'bulk.db')}")
        print("Contact_For_Account (Get Records + Create Records), in-process:")
        print(f"  1 input {bulk['one_ms']:.1f} ms, 200 inputs {bulk['bulk_ms']:.1f} ms: ratio {bulk['ratio']:.1f}x "
              "(target <= 5x)")
        print(f"  200 inputs used {bulk['soql']} SOQL and {bulk['dml']} DML statements ({bulk['dml_rows']} rows) "
              "(target 1/1)")


if __name__ == "__main__":
    main()

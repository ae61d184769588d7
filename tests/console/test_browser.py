"""The console in a real headless Chromium (Debian's `chromium` + `chromium-driver`, installed by .ci/run):
log in, open a flow's diagram (laid out by dagre in the browser), run it from the form, open the failed
interview and check its path on the diagram. Screenshots go to tmp/artifacts/console/.

Skipped, saying why, when no browser or driver is installed.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from flowforce.api.app import create_app
from flowforce.runtime import Org
from flowforce.settings import Settings

from .conftest import ADMIN, ADMIN_PASSWORD, CORPUS_FLOW, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = ROOT / "tmp" / "artifacts" / "console"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip("no headless browser: install Debian's chromium and chromium-driver (.ci/run does)",
                allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ready  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def live_url(settings: Settings, org: Org) -> Iterator[str]:
    """The app served by uvicorn on a free port, in a thread of this process (the test shares its org)."""
    config = uvicorn.Config(create_app(settings, org=org), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the console's server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def chrome() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: webdriver.Chrome, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait_for(driver: webdriver.Chrome, css: str) -> object:
    return WebDriverWait(driver, 15).until(ready.presence_of_element_located((By.CSS_SELECTOR, css)))


def log_in(driver: webdriver.Chrome, base: str) -> None:
    driver.get(f"{base}/console/flows/Console_Demo")
    wait_for(driver, "#username").send_keys(ADMIN)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD)
    driver.find_element(By.ID, "login").click()
    wait_for(driver, "#flow-name")
    assert driver.find_element(By.ID, "whoami").text == ADMIN


def texts(driver: webdriver.Chrome, css: str) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, css)]


def test_diagram_run_and_the_failed_interviews_path(chrome: webdriver.Chrome, live_url: str):
    log_in(chrome, live_url)
    assert chrome.current_url == f"{live_url}/console/flows/Console_Demo"
    wait_for(chrome, "#diagram[data-drawn]")
    assert chrome.find_element(By.ID, "diagram").get_attribute("data-drawn") == "4"
    nodes = {element.get_attribute("data-element") for element in chrome.find_elements(By.CSS_SELECTOR, "g.node")}
    assert nodes == {"$Start", "Check_Amount", "Set_Verdict", "Create_Account"}
    assert sorted(texts(chrome, "text.edge-label")) == ["Small", "Too big"]
    decision = chrome.find_element(By.CSS_SELECTOR, 'g.node[data-element="Check_Amount"]')
    assert decision.find_elements(By.TAG_NAME, "polygon"), "a decision is drawn as a diamond"
    shot(chrome, "1-flow-diagram")

    amount = chrome.find_element(By.ID, "in.Amount")
    amount.send_keys("500")
    chrome.find_element(By.ID, "run").click()
    assert wait_for(chrome, "#result-status").text == "HTTP 400"  # type: ignore[attr-defined]
    assert "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]" in chrome.find_element(By.ID, "result").text
    assert '{"inputs":[{"Amount":500}]}' in chrome.find_element(By.ID, "curl").text
    shot(chrome, "2-run-result")

    chrome.find_element(By.ID, "interview-link").click()
    wait_for(chrome, "#diagram[data-drawn]")
    assert chrome.find_element(By.ID, "interview-status").text == "Error"
    assert chrome.find_element(By.ID, "fault").text.startswith(
        "This error occurred when the flow tried to create records: REQUIRED_FIELD_MISSING")
    visited = [element.get_attribute("data-element") for element in
               chrome.find_elements(By.CSS_SELECTOR, "g.node.visited")]
    assert sorted(visited) == ["$Start", "Check_Amount", "Create_Account"]
    faulted = [element.get_attribute("data-element") for element in
               chrome.find_elements(By.CSS_SELECTOR, "g.node.faulted")]
    assert faulted == ["Create_Account"]
    taken = [(edge.get_attribute("data-source"), edge.get_attribute("data-target"))
             for edge in chrome.find_elements(By.CSS_SELECTOR, "g.edge.taken")]
    assert sorted(taken) == [("$Start", "Check_Amount"), ("Check_Amount", "Create_Account")]
    assert texts(chrome, "#trace tbody tr td:nth-child(4)") == ["Too_Big", "fault"]
    shot(chrome, "3-failed-interview")

    before = chrome.find_element(By.CSS_SELECTOR, "svg.flow-diagram").get_dom_attribute("viewBox")
    chrome.find_element(By.CSS_SELECTOR, '[data-zoom="in"]').click()
    after = chrome.find_element(By.CSS_SELECTOR, "svg.flow-diagram").get_dom_attribute("viewBox")
    assert float(after.split()[2]) < float(before.split()[2]), "zooming in shows a smaller part of the drawing"


def test_a_real_corpus_flow_is_drawn(chrome: webdriver.Chrome, live_url: str, org: Org):
    if not CORPUS_FLOW.exists():
        pytest.skip("the shared flow corpus (../shared/flow-corpus) is not present")
    log_in(chrome, live_url)
    chrome.get(f"{live_url}/console/flows/Cyclomatic_Complexity")
    wait_for(chrome, "#diagram[data-drawn]")
    flow = org.library.runnable_version("Cyclomatic_Complexity")
    assert flow is not None
    drawn = {element.get_attribute("data-element") for element in chrome.find_elements(By.CSS_SELECTOR, "g.node")}
    assert drawn == {"$Start", *flow.flow.nodes}
    boxes = [element.rect for element in chrome.find_elements(By.CSS_SELECTOR, "g.node")]
    corners = {(round(box["x"]), round(box["y"])) for box in boxes}
    assert len(corners) == len(boxes), "the layout gives every element its own place"
    shot(chrome, "4-corpus-diagram")

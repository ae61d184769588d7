"""A stand-in for the web browser `sf org login web` opens: what a person does on the login page, with httpx.

`sf org login web` starts its own callback server on http://localhost:1717 and opens the authorize URL through
the `open` package, whose bundled `xdg-open` runs `$BROWSER <url>` on a machine without a desktop. The test points
`BROWSER` at this script. It loads flowforce's login page (keeping the CSRF cookie, as a browser would), posts the
form with the hidden fields and the credentials from FF_LOGIN_USERNAME / FF_LOGIN_PASSWORD, and follows the
redirects: to the CLI's callback with the authorization code, then to the CLI's success page. The code exchange
itself (with the PKCE verifier) is done by the CLI, as with a real browser; nothing needs rendering or script.
Each step is logged to FF_BROWSER_LOG for the test to read; TLS is verified against FF_CA_FILE (the server's
generated CA).
"""

from __future__ import annotations

import html
import os
import re
import ssl
import sys
import time
from pathlib import Path

import httpx

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def main(url: str) -> int:
    log = Path(os.environ["FF_BROWSER_LOG"])
    steps: list[str] = []
    try:
        trust = ssl.create_default_context(cafile=os.environ["FF_CA_FILE"])
        with httpx.Client(verify=trust, follow_redirects=False, timeout=30) as browser:
            page = browser.get(url)
            steps.append(f"GET authorize {page.status_code}")
            page.raise_for_status()
            form = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
            form |= {"username": os.environ["FF_LOGIN_USERNAME"], "password": os.environ["FF_LOGIN_PASSWORD"]}
            response = browser.post(str(page.url.copy_with(query=None)), data=form)
            steps.append(f"POST login {response.status_code} -> {response.headers.get('location', '')[:60]}")
            while response.status_code in (302, 303) and len(steps) < 10:
                target = response.url.join(response.headers["location"])
                response = browser.get(target)
                steps.append(f"GET {target.host}:{target.port}{target.path} {response.status_code}")
    except Exception as error:  # report anything to the test through the log
        steps.append(f"error {type(error).__name__}: {error}")
        log.write_text("\n".join(steps) + "\n")
        return 1
    log.write_text("\n".join(steps) + "\n")
    return 0


if __name__ == "__main__":
    # Like a real browser, return to xdg-open at once: the CLI attaches its callback handler only after the
    # launcher exits, so a login finished before that would hit a server with no handler yet.
    if os.fork():
        sys.exit(0)
    os.setsid()
    time.sleep(float(os.environ.get("FF_BROWSER_DELAY", "1")))
    sys.exit(main(sys.argv[1]))

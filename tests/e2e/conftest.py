"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live server.

The live server runs in a thread of this process, so the test reads mail from django.core.mail.outbox and
the database directly. Playwright's sync API keeps an asyncio loop running in this thread; Django refuses ORM
calls from a thread with a running loop unless told that this is deliberate.
"""

import os
import re
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_timezone():
    """The browser's time zone; a test module overrides this fixture to be someone somewhere else."""
    return "UTC"


# Every page is watched for Content-Security-Policy violations: the browser reports each one as a
# `securitypolicyviolation` event (which this script, run before any of the page's own, turns into a console
# line) and Chromium also logs "Refused to ... Content Security Policy". Either fails the test.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber + " on " + document.location.pathname);
});
"""


def _is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation: ") or "Content Security Policy" in text


@pytest.fixture(autouse=True)
def csp_violations(browser, monkeypatch):
    """What the browser refused under the Content-Security-Policy during the test, in every context the test
    opens (the `page` fixture's and those a test makes itself); any at all fails the test afterwards."""
    found: list[str] = []
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_init_script(CSP_WATCH)
        context.on("console", lambda message: _is_csp_violation(message.text) and found.append(message.text))
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield found
    if found:
        pytest.fail("Content-Security-Policy violations in the browser:\n" + "\n".join(dict.fromkeys(found)))


@pytest.fixture
def page(browser, live_server, browser_timezone):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id=browser_timezone,
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shoot(request):
    """`shoot(page, "sign-up")` saves screenshots/<test>/<nn>-sign-up.png, the full page, numbered in order."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    counter = {"n": 0}

    def take(page, name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

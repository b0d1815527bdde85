"""Every page of every role, in every language the portal offers, checked with axe-core in Chromium.

The pages are found, not listed: for each demo account (and a visitor) the test follows the links of the pages it
can reach from the home page, the way a person clicking through would, keeping one page of each kind
(`/proposals/12/` and `/proposals/13/` are one kind; tests/e2e/site_pages.py). Each page is then opened in each
language of settings.LANGUAGES and must have no serious or critical axe finding, carry the right `lang` and
`dir`, and fit 320 px without sideways scrolling. Downloads, sign-out, the back office and the API are left out:
they are not portal pages (the back office is Django's own admin, checked by Django).
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.translation import get_language_bidi, override
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from accounts.models import User
from tests.e2e.site_pages import reachable_pages
from tests.e2e.test_accessibility import _serious_findings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = {
    "visitor": None,
    "applicant": "applicant.ke@example.org",
    "staff": "staff@example.org",
    "consultant": "consultant@example.org",
    "member": "member@example.org",
    "centre": "centre@example.org",
    "contractor": "contractor@example.org",
}


def _context(browser, live_server, client, language, width=320):
    """A browser `width` px wide reading in `language`, signed in as `client`'s user when there is one."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US", base_url=live_server.url)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if client is not None:
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    context.add_cookies(cookies)
    return context


@pytest.fixture
def demo_data():
    call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_every_role_in_every_language(browser, live_server, demo_data, role):
    email = ROLES[role]
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    pages = list(reachable_pages(client, ["/"]))
    assert len(pages) >= (3 if role == "visitor" else 5), pages  # the crawl did reach the role's pages

    findings: dict[str, list[str]] = {}
    for language, _name in settings.LANGUAGES:
        context = _context(browser, live_server, client if email else None, language)
        page = context.new_page()
        with override(language):
            direction = "rtl" if get_language_bidi() else "ltr"
        try:
            for path in pages:
                page.goto(path)
                problems = _serious_findings(page)
                html = page.locator("html")
                if html.get_attribute("lang") != language:
                    problems.append(f"lang is {html.get_attribute('lang')!r}")
                if (html.get_attribute("dir") or "ltr") != direction:
                    problems.append(f"dir is {html.get_attribute('dir')!r}, not {direction}")
                width = page.evaluate("() => document.documentElement.scrollWidth")
                if width > 320:
                    problems.append(f"{width} px wide at 320")
                if problems:
                    findings[f"{language} {path}"] = problems
        finally:
            context.close()
    assert not findings, "\n".join(f"{where}: {problems}" for where, problems in findings.items())


# Clears every field a person types into, lifts the browser's own `required` check and marks the form's first
# submit button, which the test clicks: the server answers with the form's validation errors. Only forms with a
# required field are tried, so nothing is done that an empty form could do (a confirm button has no field).
SUBMIT_EMPTY = """(index) => {
    const form = [...document.querySelectorAll("main form[method=post], main form[method=POST]")]
        .filter(f => f.querySelector("[required]"))[index];
    if (!form) return false;
    form.noValidate = true;
    form.querySelectorAll("input[type=text], input[type=email], input[type=url], input[type=number], "
                          + "input[type=date], input[type=time], input:not([type]), textarea")
        .forEach(field => { field.value = ""; });
    form.querySelectorAll("select[required]").forEach(field => { field.value = ""; });
    const button = form.querySelector("button[type=submit], button:not([type]), input[type=submit]");
    if (!button) return false;
    button.setAttribute("data-axe-submit", "");
    return true;
}"""
COUNT_FORMS = """() => [...document.querySelectorAll("main form[method=post], main form[method=POST]")]
    .filter(f => f.querySelector("[required]")).length"""


@pytest.mark.parametrize("role", [role for role in ROLES if role != "visitor"] + ["visitor"])
def test_every_form_with_its_errors_shown_in_every_language(browser, live_server, demo_data, role):
    email = ROLES[role]
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    pages = list(reachable_pages(client, ["/"]))
    if role == "visitor":
        pages += ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]

    findings: dict[str, list[str]] = {}
    shown = 0
    for language, _name in settings.LANGUAGES:
        context = _context(browser, live_server, client if email else None, language)
        page = context.new_page()
        try:
            for path in pages:
                page.goto(path)
                for index in range(page.evaluate(COUNT_FORMS)):
                    if index:
                        page.goto(path)
                    if not page.evaluate(SUBMIT_EMPTY, index):
                        continue
                    try:
                        with page.expect_navigation(timeout=5_000):
                            page.locator("[data-axe-submit]").first.click()
                    except PlaywrightTimeout:
                        continue  # a form the page's script sends itself (autosave): it stays on the page
                    if not page.locator(".invalid-feedback, .errorlist, .alert-danger, [aria-invalid=true]").count():
                        continue  # the form took an empty answer (an optional filter, a search): no error to show
                    shown += 1
                    problems = _serious_findings(page)
                    if problems:
                        findings[f"{language} {path} form {index + 1}"] = problems
        finally:
            context.close()
    assert not findings, "\n".join(f"{where}: {problems}" for where, problems in findings.items())
    assert shown, f"no form of the {role} showed its errors"


@pytest.mark.parametrize("language", ["ar", "ko"])
def test_the_applicant_journey_in_arabic_and_korean(browser, live_server, demo_data, shoot, language):
    """The applicant's pages in the order a person meets them (sign-up, then each page their links lead to), at
    desktop width in Arabic (right to left) and Korean, each photographed for a person to look at: translated,
    mirrored in Arabic, nothing serious for axe."""
    client = Client()
    client.force_login(User.objects.get(email=ROLES["applicant"]))
    pages = list(reachable_pages(client, ["/proposals/"]))
    visitor = _context(browser, live_server, None, language, width=1280)
    page = visitor.new_page()
    page.goto("/accounts/signup/")
    shoot(page, f"{language}-00-sign-up")
    findings = {"/accounts/signup/": _serious_findings(page)}
    visitor.close()
    context = _context(browser, live_server, client, language, width=1280)
    page = context.new_page()
    try:
        for number, path in enumerate(pages, start=1):
            page.goto(path)
            shoot(page, f"{language}-{number:02d}-" + (path.strip("/").replace("/", "-").replace("?", "-") or "home"))
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            findings[path] = _serious_findings(page)
    finally:
        context.close()
    assert {path: found for path, found in findings.items() if found} == {}
    assert len(pages) >= 8, pages

"""Every page's <title> names that page: distinct pages have distinct titles (a person with several tabs open, or
a screen reader's list of windows, tells them apart), in the form "Page – Section – K-City Network".

The pages are the ones each demo person reaches by following links from their start pages (tests/e2e/site_pages),
over seed_demo's data, so a new page is checked as soon as a link leads to it.
"""

import html
import io
import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import resolve
from django.utils import translation

from accounts.models import User
from kcity.context_processors import LANDING_PAGES, SECTIONS
from tests.e2e.site_pages import page_kind, reachable_pages

# A demo person of every role (applicant, secretariat staff, consultant, committee member, cooperation centre,
# contractor), and a visitor who has not signed in.
PEOPLE = [
    "applicant.id@example.org", "staff@example.org", "consultant@example.org", "member@example.org",
    "centre@example.org", "contractor@example.org", None,
]
STARTS = [
    "/", "/proposals/", "/proposals/staff/dashboard/", "/proposals/staff/inbox/", "/consulting/",
    "/consulting/consultant/", "/committee/", "/cooperation/", "/notices/", "/accounts/settings/",
]
# The e-mailed manage link (/consulting/bookings/<token>/manage/) shows the booking's own page, title included.
ALIASES = {"/consulting/bookings/<token>/manage/"}


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def _title(page: str) -> str:
    return html.unescape(" ".join(re.search(r"<title>(.*?)</title>", page, re.S).group(1).split()))


def _pages_of(email: str | None) -> tuple[dict[str, str], str]:
    """{path: title} of the pages the person reaches (two of each kind: two proposals' pages differ too)."""
    client = Client()
    language = "en"
    if email:
        user = User.objects.get(email=email)
        client.force_login(user)
        language = user.language or "en"
    pages = reachable_pages(client, STARTS, limit=80, per_kind=2)
    return {path: _title(page) for path, page in pages.items()}, language


def _expected_ending(path: str, site: str) -> str:
    match = resolve(path.split("?")[0])
    section = SECTIONS.get(match.namespaces[0] if match.namespaces else "")
    if section is None and (match.url_name or "").startswith("account_"):
        section = SECTIONS["accounts"]
    return f" – {site}" if section is None or match.view_name in LANDING_PAGES else f" – {section} – {site}"


@pytest.mark.django_db
def test_each_page_of_every_role_has_its_own_title_as_page_section_site(demo_site):
    shared, wrong, counts = {}, {}, {}
    for email in PEOPLE:
        titles, language = _pages_of(email)
        counts[email] = len(titles)
        pages_by_title = defaultdict(set)
        for path, title in titles.items():
            bare = path.split("?")[0]  # ?page=2 or a filter is the same page
            if page_kind(bare) not in ALIASES:
                pages_by_title[title].add(bare)
        shared |= {(email, t): sorted(p) for t, p in pages_by_title.items() if len(p) > 1}
        with translation.override(language):
            site = translation.gettext("K-City Network")
            for path, title in titles.items():
                ending = _expected_ending(path, site)
                if not title.endswith(ending) or not title.removesuffix(ending).strip() or " · " in title:
                    wrong[(email, path)] = title

    assert all(count >= 5 for count in counts.values()), counts  # the crawl found each person's pages
    assert shared == {}
    assert wrong == {}

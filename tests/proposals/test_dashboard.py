"""The staff dashboard: counts, overdue by stage, response times, submissions per month."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from proposals import services
from proposals.dashboard import CACHE_KEY, dashboard_figures
from proposals.models import Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory, applicant, aware, service_levels
from tests.proposals.staff_helpers import committee_decision, proposal_in, submitted_proposal

pytestmark = pytest.mark.django_db
URL = reverse("proposals_staff:dashboard")


@pytest.fixture(autouse=True)
def _figures_counted_afresh():
    cache.clear()  # the page's figures are cached for a minute: each test counts its own


def set_history(proposal, *times):
    """Give the proposal's status changes (oldest first) these timestamps."""
    changes = list(StatusChange.objects.filter(proposal=proposal).order_by("at", "id"))
    assert len(changes) == len(times)
    for change, at in zip(changes, times, strict=True):
        StatusChange.objects.filter(pk=change.pk).update(at=at)


def test_dashboard_applicant_forbidden(client):
    client.force_login(applicant())

    assert client.get(URL).status_code == 403


def test_dashboard_anonymous_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_counts_by_status_track_and_cycle():
    staff = StaffFactory()
    first = submitted_proposal()
    proposal_in(Status.SCREENING, staff=staff, track=first.track)
    ProposalFactory()  # drafts are not counted

    figures = dashboard_figures()

    assert figures.total == 2
    counts = {value: count for value, _label, count in figures.by_status}
    assert (counts["submitted"], counts["screening"], counts["approved"]) == (1, 1, 0)
    assert "draft" not in counts
    assert figures.by_track == [(first.track.name, 2)]
    assert figures.by_cycle == [(f"KCN {first.cycle.year}", 2)]



@pytest.mark.parametrize("language", ["ko", "ar", "en"])
def test_dashboard_groups_by_the_track_name_in_the_readers_language(client, language):
    """Each track counted under its name in the reader's language, else its English name (a page, not a 500)."""
    first = submitted_proposal()
    first.track.name_ko = "스마트 도시계획"
    first.track.save(update_fields=["name_ko"])
    client.force_login(StaffFactory())
    client.cookies["django_language"] = language

    response = client.get(URL)

    assert response.status_code == 200
    shown = {"ko": "스마트 도시계획", "ar": first.track.name_en, "en": first.track.name_en}[language]
    assert response.context["figures"].by_track == [(shown, 1)]

def test_dashboard_overdue_by_stage():
    service_levels()
    staff = StaffFactory()
    late_submitted = submitted_proposal()
    late_screening = proposal_in(Status.SCREENING, staff=staff)
    submitted_proposal()  # on time
    past = timezone.now() - datetime.timedelta(days=1)
    Proposal.objects.filter(pk__in=[late_submitted.pk, late_screening.pk]).update(due_at=past)

    figures = dashboard_figures()

    assert figures.overdue_total == 2
    assert [(value, count) for value, _label, count in figures.overdue_by_status] == [
        ("submitted", 1), ("screening", 1)
    ]


def test_dashboard_median_response_and_decision_times():
    staff = StaffFactory()
    quick = proposal_in(Status.SCREENING, staff=staff)
    slow = proposal_in(Status.SCREENING, staff=staff)
    slower = proposal_in(Status.SCREENING, staff=staff)
    decided = proposal_in(Status.COMMITTEE_REVIEW, staff=staff)
    services.proposal_transition(proposal=decided, to=Status.APPROVED, by=staff,
                                 decision=committee_decision(decided, Status.APPROVED))
    start = aware(2026, 3, 2, 9, 0)
    set_history(quick, start, start + datetime.timedelta(days=1))
    set_history(slow, start, start + datetime.timedelta(days=4))
    set_history(slower, start, start + datetime.timedelta(days=10))
    set_history(decided, start, start + datetime.timedelta(days=2), start + datetime.timedelta(days=20),
                start + datetime.timedelta(days=45))

    figures = dashboard_figures()

    assert figures.median_days_to_first_response == 3.0  # median of 1, 2, 4, 10
    assert figures.median_days_to_decision == 45.0


def test_dashboard_medians_empty_without_history():
    figures = dashboard_figures()

    assert (figures.median_days_to_first_response, figures.median_days_to_decision) == (None, None)


def test_dashboard_submissions_per_month_in_seoul_calendar():
    for when in [aware(2026, 9, 30, 23, 30), aware(2026, 10, 1, 0, 30), aware(2026, 10, 15, 12, 0)]:
        proposal = submitted_proposal()
        Proposal.objects.filter(pk=proposal.pk).update(submitted_at=when)

    figures = dashboard_figures(now=aware(2026, 11, 10, 9, 0), months=3)

    assert [(bar.month, bar.count) for bar in figures.months] == [
        (datetime.date(2026, 9, 1), 1), (datetime.date(2026, 10, 1), 2), (datetime.date(2026, 11, 1), 0)
    ]
    assert [bar.height for bar in figures.months] == [80, 160, 0]


def test_dashboard_page_shows_figures_and_inline_chart(client):
    staff = StaffFactory(language="en")
    client.force_login(staff)
    submitted_proposal()

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="total-submitted">\s*1<', html)
    assert '<svg id="submissions-chart"' in html
    assert html.count("<rect ") == 12
    assert "cdn" not in html.lower()
    assert 'src="http' not in html and "href=\"http" not in html


def test_dashboard_page_figures_are_cached_for_a_minute_and_say_when(client):
    """Counted once, then served from the cache until it expires; the page says when they were counted (date and
    time: "as of 14:05" alone reads as a date in some languages), in the reader's time zone."""
    client.force_login(StaffFactory(language="en", time_zone="Asia/Seoul"))
    proposal = submitted_proposal()
    first = client.get(URL)
    submitted_proposal(track=proposal.track)  # the same track: a new or renamed one is counted again at once

    cached = client.get(URL)
    cache.delete(CACHE_KEY)  # what the minute's expiry does
    recounted = client.get(URL)

    assert cached.context["figures"].total == 1
    assert recounted.context["figures"].total == 2
    as_of = timezone.localtime(first.context["figures"].as_of, datetime.timezone(datetime.timedelta(hours=9)))
    shown = date_format(as_of, "DATETIME_FORMAT")  # English: "Dec. 2, 2026, 9:05 a.m."
    assert f'id="figures-as-of">Figures as of {shown}.</p>' in cached.content.decode()


def test_dashboard_page_names_a_renamed_track_at_once(client):
    """The page is kept rendered with the figures; renaming a track counts them again, under its new name."""
    client.force_login(StaffFactory())
    proposal = submitted_proposal()
    client.get(URL)
    proposal.track.name = "Smart city master plan"
    proposal.track.save()

    html = client.get(URL).content.decode()

    assert "<td>Smart city master plan</td>" in html


def test_dashboard_page_kept_per_language_and_time_zone(client):
    """One kept rendering per language and time zone: a Korean reader in Seoul is not served the English one of
    a reader in Nairobi, and back."""
    submitted_proposal()
    client.force_login(StaffFactory(language="en", time_zone="Africa/Nairobi"))
    english = client.get(URL).content.decode()
    client.force_login(StaffFactory(language="ko", time_zone="Asia/Seoul"))
    korean = client.get(URL).content.decode()
    client.force_login(StaffFactory(language="en", time_zone="Asia/Seoul"))
    english_seoul = client.get(URL).content.decode()

    assert "Submitted proposals" in english and "Submitted proposals" not in korean
    as_of = [page.split('id="figures-as-of">')[1].split("</p>")[0] for page in (english, english_seoul)]
    assert as_of[0] != as_of[1]  # six hours apart

"""The staff's unfiltered `/api/v1/proposals/`, read by compiled SQL (selectors.StaffApiRows): the same pages, rows
and count as its queryset, in every language, with a filter still going the queryset's way."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals import selectors
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory, TrackFactory, service_levels

pytestmark = pytest.mark.django_db

PER_PAGE = settings.REST_FRAMEWORK["PAGE_SIZE"]


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def listed():
    """63 submitted proposals (some saved at the same instant, a decision not yet released, two tracks, one named
    in Korean, one with no cycle), and the drafts and never-submitted withdrawals staff do not list."""
    service_levels()
    tracks = [TrackFactory(name_en="Smart planning", name_ko="스마트 계획"), TrackFactory(name_en="Mobility")]
    statuses = [Status.SUBMITTED, Status.SCREENING, Status.INFO_REQUESTED, Status.APPROVED, Status.REJECTED]
    proposals = [
        ProposalFactory(status=statuses[n % len(statuses)], reference=f"KCN-2026-{n + 1:04d}",
                        track=tracks[n % 2], submitted_at=timezone.now())
        for n in range(63)
    ]
    ProposalFactory(status=Status.DRAFT)
    ProposalFactory(status=Status.WITHDRAWN, submitted_at=None)
    same = timezone.now() - datetime.timedelta(days=3)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals[10:20]]).update(updated_at=same)
    Proposal.objects.filter(pk=proposals[5].pk).update(cycle=None)
    return proposals


@pytest.mark.parametrize("language", ["en", "ko"])
def test_compiled_pages_and_count_are_the_querysets(listed, language):
    staff = StaffFactory()
    with translation.override(language):
        rows = selectors.api_proposal_rows(user=staff)
        compiled = selectors.StaffApiRows(rows)

        assert compiled.count() == rows.count() == 63
        for start, stop in ((None, 7), (0, 25), (25, 50), (50, 75), (60, 63), (63, 63), (70, 80)):
            assert compiled[start:stop] == list(rows[start:stop]), (start, stop)
        # Anything but a plain slice is the queryset's own.
        assert compiled[3] == rows[3]
        assert compiled[0:10:2] == list(rows)[0:10:2]
        names = {row["track_name"] for row in compiled[0:63]}
    assert names == ({"스마트 계획", "Mobility"} if language == "ko" else {"Smart planning", "Mobility"})


def test_api_pages_through_the_compiled_rows_in_the_list_s_order(listed):
    client = api_for(StaffFactory())
    expected = list(Proposal.objects.exclude(status=Status.DRAFT).exclude(submitted_at=None)
                    .order_by("-updated_at", "-id").values_list("pk", flat=True))

    pages = [client.get("/api/v1/proposals/", {"page": n} if n > 1 else {}).json() for n in (1, 2)]

    assert [page["count"] for page in pages] == [63, 63]
    assert PER_PAGE < 63 <= 2 * PER_PAGE
    assert [row["id"] for page in pages for row in page["results"]] == expected
    assert pages[0]["next"].endswith("?page=2") and pages[1]["next"] is None
    assert client.get("/api/v1/proposals/", {"page": 3}).status_code == 404
    # Read through the compiled page of each position, not the queryset.
    assert {key[-1] for key in selectors._STAFF_API_PAGE._compiled} >= {(0, PER_PAGE), (PER_PAGE, 63)}


def test_api_rows_answer_as_the_queryset_answered_field_for_field(listed):
    """The same JSON as the filtered path (a filter that keeps every row) gives, which reads the queryset."""
    client = api_for(StaffFactory(language="ko"))

    compiled = client.get("/api/v1/proposals/").json()
    # A filter on each track, merged: every row of the page, read the queryset's way.
    by_filter = {}
    for track in {row["track"] for row in compiled["results"]}:
        for row in client.get("/api/v1/proposals/", {"track": track}).json()["results"]:
            by_filter[row["id"]] = row

    assert compiled["results"] and all(row == by_filter[row["id"]] for row in compiled["results"])


def test_staff_list_sends_four_queries_its_page_and_count_compiled(listed):
    client = api_for(StaffFactory())
    client.get("/api/v1/proposals/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/proposals/")

    assert response.status_code == 200
    # The token and its user, the page, the count, the next steps' texts.
    assert len(queries.captured_queries) == 4, [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS:
        assert [q["sql"].split()[0] for q in queries.captured_queries[1:3]] == ["EXECUTE", "EXECUTE"]


def test_an_applicant_s_list_is_not_the_staff_s(listed):
    owner = listed[0].owner

    rows = api_for(owner).get("/api/v1/proposals/").json()["results"]

    assert {row["id"] for row in rows} == {p.pk for p in listed if p.owner_id == owner.pk}


@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "1.5", "3", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_404_with_its_message(listed, page):
    response = api_for(StaffFactory()).get("/api/v1/proposals/", {"page": page})

    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_repeated_page_number_is_404(listed):
    response = api_for(StaffFactory()).get("/api/v1/proposals/?page=1&page=2")

    assert response.status_code == 404

"""A proposal's messages, documents and history through the API: pages of 50 with `count`, `next`, `previous` and
`results`, in a stable order; N and 2N rows (two pages) cost the same queries but the COUNT: a first page that is
not full is the whole list, so its rows say how many there are (core.pagination)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals.models import HistoryKind, Message, Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import AttachmentFactory, StaffFactory, UserFactory, complete_proposal

pytestmark = pytest.mark.django_db
N = 30  # 2N = 60 rows: two pages of 50
PAGE = 50


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def submitted():
    """A submitted proposal (staff read it too) with its one document and no messages or history yet."""
    proposal = complete_proposal(title="Flood sensors for Semarang")
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.SCREENING)
    return proposal


def _messages(proposal, rows):
    """`rows` messages the applicant sees, each by its own author, and one internal note after every third."""
    for n in range(rows):
        author = StaffFactory(full_name=f"Staff {n}") if n % 2 else proposal.owner
        Message.objects.create(proposal=proposal, author=author, body=f"Message {n}")
        if n % 3 == 2:
            Message.objects.create(proposal=proposal, author=StaffFactory(), body=f"Note {n}", internal=True)


def _history(proposal, rows):
    """`rows` history rows, each by its own member of staff, with internal notes and a deferral among them."""
    for n in range(rows):
        status = [Status.SCREENING, Status.COMMITTEE_REVIEW][n % 2]
        kind = HistoryKind.DEFERRAL if n % 7 == 6 else HistoryKind.TRANSITION
        StatusChange.objects.create(proposal=proposal, kind=kind, from_status=Status.SUBMITTED, to_status=status,
                                    by=StaffFactory(full_name=f"Staff {n}"), note=f"Note {n}",
                                    note_internal=n % 3 == 0, cycle_year=2027 if kind == HistoryKind.DEFERRAL else None)


def _documents(proposal, rows):
    """`rows` documents with the one complete_proposal made, each uploaded by its own person."""
    for n in range(rows - 1):
        AttachmentFactory(proposal=proposal, kind=["budget", "concept_note", "other"][n % 3],
                          uploaded_by=UserFactory(full_name=f"Uploader {n}"))


def _page(response, *, count):
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == count
    assert len(body["results"]) == min(count, PAGE)
    assert (body["next"] is not None) is (count > PAGE)
    assert body["previous"] is None
    return body


@pytest.mark.parametrize("rows", [N, 2 * N])
def test_messages_queries_same_for_n_and_2n_rows(django_assert_num_queries, submitted, rows):
    _messages(submitted, rows)
    api = _api(submitted.owner)

    # The token, the proposal (may they see it: its row, the owner asking), its rows and, for a full page, the count.
    with django_assert_num_queries(3 if rows < PAGE else 4):
        response = api.get(f"/api/v1/proposals/{submitted.pk}/messages/")

    _page(response, count=rows)  # internal notes are not counted for the applicant


@pytest.mark.parametrize("rows", [N, 2 * N])
def test_documents_queries_same_for_n_and_2n_rows(django_assert_num_queries, submitted, rows):
    _documents(submitted, rows)
    api = _api(submitted.owner)

    with django_assert_num_queries(3 if rows < PAGE else 4):
        response = api.get(f"/api/v1/proposals/{submitted.pk}/attachments/")

    _page(response, count=rows)


@pytest.mark.parametrize("rows", [N, 2 * N])
def test_history_queries_same_for_n_and_2n_rows(django_assert_num_queries, submitted, rows):
    _history(submitted, rows)
    api = _api(submitted.owner)

    # The token, the proposal (its row: the owner asks), the page's rows with their authors, the count for a full
    # page.
    with django_assert_num_queries(3 if rows < PAGE else 4):
        response = api.get(f"/api/v1/proposals/{submitted.pk}/history/")

    _page(response, count=rows)


def _all_pages(api, url):
    rows, pages = [], 0
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url, pages = body["next"], pages + 1
    return rows, pages


def test_messages_pages_list_the_thread_oldest_first_each_once(submitted):
    _messages(submitted, 2 * N)
    staff = StaffFactory()

    mine, my_pages = _all_pages(_api(submitted.owner), f"/api/v1/proposals/{submitted.pk}/messages/")
    theirs, their_pages = _all_pages(_api(staff), f"/api/v1/proposals/{submitted.pk}/messages/")

    assert [m["body"] for m in mine] == [f"Message {n}" for n in range(2 * N)]
    assert my_pages == 2
    thread = submitted.messages.order_by("created_at", "id").values_list("pk", flat=True)
    assert [m["id"] for m in theirs] == list(thread)
    assert (len(theirs), their_pages) == (2 * N + 2 * N // 3, 2)


def test_documents_pages_list_each_document_once_by_kind(submitted):
    _documents(submitted, 2 * N)

    listed, pages = _all_pages(_api(submitted.owner), f"/api/v1/proposals/{submitted.pk}/attachments/")

    expected = submitted.attachments.order_by("kind", "uploaded_at", "id").values_list("pk", flat=True)
    assert ([a["id"] for a in listed], pages) == (list(expected), 2)


def test_history_pages_keep_the_applicants_view_of_every_row(submitted):
    _history(submitted, 2 * N)
    staff = StaffFactory()

    mine, pages = _all_pages(_api(submitted.owner), f"/api/v1/proposals/{submitted.pk}/history/")
    theirs, _pages = _all_pages(_api(staff), f"/api/v1/proposals/{submitted.pk}/history/")

    assert pages == 2
    assert [h["id"] for h in mine] == list(submitted.status_changes.order_by("at", "id").values_list("pk", flat=True))
    assert [h["note"] for h in mine] == ["" if n % 3 == 0 else f"Note {n}" for n in range(2 * N)]
    assert [h["note"] for h in theirs] == [f"Note {n}" for n in range(2 * N)]
    assert [h["to_status_display"] for h in mine][6] == "Deferred to the 2027 cycle."
    assert {h["by"] for h in mine} == {f"Staff {n}" for n in range(2 * N)}


@pytest.mark.parametrize("page", ["3", "", "0", "x"])
def test_history_page_that_does_not_exist_is_404(submitted, page):
    _history(submitted, 2 * N)

    response = _api(submitted.owner).get(f"/api/v1/proposals/{submitted.pk}/history/", {"page": page})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("rows", [N, 2 * N])
def test_staff_messages_queries_same_for_n_and_2n_rows(django_assert_num_queries, submitted, rows):
    _messages(submitted, rows)
    api = _api(StaffFactory())
    total = rows + rows // 3  # internal notes included for staff

    # The token, the proposal, the page's rows with their authors and, for a full page, the count.
    with django_assert_num_queries(3 if total < PAGE else 4):
        response = api.get(f"/api/v1/staff/proposals/{submitted.pk}/messages/")

    _page(response, count=total)


def test_staff_messages_pages_list_the_whole_thread_oldest_first_each_once(submitted):
    _messages(submitted, 2 * N)

    listed, pages = _all_pages(_api(StaffFactory()), f"/api/v1/staff/proposals/{submitted.pk}/messages/")

    thread = submitted.messages.order_by("created_at", "id").values_list("pk", flat=True)
    assert ([m["id"] for m in listed], pages) == (list(thread), 2)
    assert sum(m["internal"] for m in listed) == 2 * N // 3


def test_staff_messages_schema_is_paged(submitted):
    schema = _api(StaffFactory()).get("/api/schema/", {"format": "json"}).json()

    ok = schema["paths"]["/api/v1/staff/proposals/{id}/messages/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaginatedStaffMessageList"}
    names = {p["name"] for p in schema["paths"]["/api/v1/staff/proposals/{id}/messages/"]["get"]["parameters"]}
    assert "page" in names

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from consulting.models import Booking, BookingStatus, Recommendation
from consulting.selectors import consultant_free_slots
from tests.consulting.conftest import make_booking, make_consultant
from tests.factories import ProposalFactory, applicant

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def free(consultant, session_type):
    now = timezone.now()
    return consultant_free_slots(consultant=consultant, session_type=session_type, range_start=now,
                                 range_end=now + datetime.timedelta(days=21), now=now)


def z(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_api_consultants_filter_by_expertise_and_language(consultant):
    make_consultant(full_name="Park Ji-woo", expertise=["energy"], languages=["pl"])

    response = api(applicant()).get("/api/v1/consultants/", {"expertise": "energy", "language": "pl"})
    unknown = api(applicant()).get("/api/v1/consultants/", {"expertise": "spaceflight"})

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["Park Ji-woo"]
    assert unknown.status_code == 400


def test_api_consultants_query_count_same_for_1_and_20():
    client = api(applicant())
    make_consultant(full_name="C 0")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/consultants/")
    for n in range(19):
        make_consultant(full_name=f"C {n + 1}")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/api/v1/consultants/")

    assert response.json()["count"] == 20
    assert len(twenty) == len(one)


def test_api_slots_in_utc_for_a_date_range():
    consultant = make_consultant(tz="Europe/Warsaw", ranges=((9, 11),), weekdays=range(7))
    from tests.consulting.conftest import make_session_type

    session_type = make_session_type(minimum_notice_hours=0, booking_window_days=400)
    # The next Sunday Warsaw's clocks go forward (last Sunday of March), at least two days away.
    today = timezone.now().date()
    sunday = None
    for year in (today.year, today.year + 1):
        candidate = datetime.date(year, 3, 31)
        while candidate.weekday() != 6:
            candidate -= datetime.timedelta(days=1)
        if candidate > today + datetime.timedelta(days=2):
            sunday = candidate
            break

    response = api(applicant()).get(f"/api/v1/consultants/{consultant.pk}/slots/", {
        "from": (sunday - datetime.timedelta(days=1)).isoformat(), "to": sunday.isoformat(),
        "session_type": session_type.pk,
    })

    assert response.status_code == 200
    assert [s["start"] for s in response.json()] == [
        f"{sunday - datetime.timedelta(days=1)}T08:00:00Z", f"{sunday - datetime.timedelta(days=1)}T09:00:00Z",
        f"{sunday}T07:00:00Z", f"{sunday}T08:00:00Z",
    ]


def test_api_booking_create_201_then_409_with_nearest(consultant, session_type):
    proposal = ProposalFactory()
    start = free(consultant, session_type)[0]
    payload = {"consultant": consultant.pk, "session_type": session_type.pk, "start": z(start),
               "proposal": proposal.pk, "questions": "Scope?"}

    created = api(proposal.owner).post("/api/v1/bookings/", payload, format="json")
    taken = api(applicant()).post("/api/v1/bookings/", {**payload, "proposal": None}, format="json")

    assert created.status_code == 201
    assert created.json()["start"] == start.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    assert created.json()["proposal"] == proposal.pk
    assert taken.status_code == 409
    assert taken.json()["code"] == "slot_taken"
    assert taken.json()["detail"] == "This time was just taken."
    assert len(taken.json()["nearest_free"]) == 3
    assert all(t.endswith("Z") for t in taken.json()["nearest_free"])


def test_api_booking_create_with_someone_elses_proposal_is_400(consultant, session_type):
    response = api(applicant()).post("/api/v1/bookings/", {
        "consultant": consultant.pk, "session_type": session_type.pk,
        "start": z(free(consultant, session_type)[0]), "proposal": ProposalFactory().pk,
    }, format="json")

    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_api_bookings_list_only_own_and_query_count(consultant, session_type):
    person = applicant()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    mine = make_booking(consultant, session_type, booked_by=person, start=start, proposal=ProposalFactory(owner=person))
    make_booking(consultant, session_type, booked_by=applicant(), start=start + datetime.timedelta(hours=1))
    client = api(person)
    with CaptureQueriesContext(connection) as one:
        first = client.get("/api/v1/bookings/")
    for n in range(1, 20):
        make_booking(consultant, session_type, booked_by=person, start=start + datetime.timedelta(hours=2 * n),
                     proposal=ProposalFactory(owner=person))
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/api/v1/bookings/")

    assert [b["id"] for b in first.json()["results"]] == [mine.pk]
    assert response.json()["count"] == 20
    assert len(twenty) == len(one)


def test_api_other_applicant_cannot_see_or_cancel_booking(consultant, session_type):
    booking = make_booking(consultant, session_type, booked_by=applicant(), start=free(consultant, session_type)[0])
    stranger = api(applicant())

    seen = stranger.get(f"/api/v1/bookings/{booking.pk}/")
    cancel = stranger.post(f"/api/v1/bookings/{booking.pk}/cancel/", {"reason": "x"}, format="json")
    report = stranger.get(f"/api/v1/bookings/{booking.pk}/report/")

    assert (seen.status_code, cancel.status_code, report.status_code) == (404, 404, 404)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_api_reschedule_keeps_uid_and_cancel(consultant, session_type):
    person = applicant()
    slots = free(consultant, session_type)
    client = api(person)
    created = client.post("/api/v1/bookings/", {"consultant": consultant.pk, "session_type": session_type.pk,
                                                "start": z(slots[0])}, format="json").json()

    moved = client.post(f"/api/v1/bookings/{created['id']}/reschedule/", {"start": z(slots[2])}, format="json")
    cancelled = client.post(f"/api/v1/bookings/{created['id']}/cancel/", {"reason": "Travel"}, format="json")

    assert moved.status_code == 200
    assert moved.json()["ics_uid"] == created["ics_uid"]
    assert (created["ics_sequence"], moved.json()["ics_sequence"]) == (0, 1)
    assert cancelled.json()["status"] == "cancelled"


def test_api_report_filed_by_consultant_and_read_by_applicant(consultant, session_type):
    person = applicant()
    past = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    booking = make_booking(consultant, session_type, booked_by=person, start=past, status=BookingStatus.HELD)

    refused = api(person).post(f"/api/v1/bookings/{booking.pk}/report/", {
        "summary": "mine", "recommendation": "ready"}, format="json")
    missing = api(person).get(f"/api/v1/bookings/{booking.pk}/report/")
    filed = api(consultant.user).post(f"/api/v1/bookings/{booking.pk}/report/", {
        "summary": "Good.", "recommendation": Recommendation.READY, "suggested_changes": "None."}, format="json")
    seen = api(person).get(f"/api/v1/bookings/{booking.pk}/report/")

    assert (refused.status_code, missing.status_code, filed.status_code) == (403, 404, 201)
    assert seen.json()["recommendation"] == "ready"
    assert seen.json()["suggested_changes"] == "None."
    assert "summary" not in seen.json()


def test_api_token_caller_is_answered_in_their_language_and_time_zone(consultant, session_type):
    # A token is read inside DRF's view, after the locale middleware: the consulting viewsets apply the caller's
    # language and zone themselves (core.api.PortalViewSet).
    person = applicant(language="ko", time_zone="America/Bogota")
    booking = make_booking(consultant, session_type, booked_by=person,
                           start=datetime.datetime(2030, 3, 4, 1, 0, tzinfo=datetime.UTC))
    Booking.objects.filter(pk=booking.pk).update(created_at=datetime.datetime(2030, 3, 1, 12, 0, tzinfo=datetime.UTC))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")

    unknown = client.get("/api/v1/consultants/?expertise=nonsense")
    no_report = client.get(f"/api/v1/bookings/{booking.pk}/report/")
    mine = client.get(f"/api/v1/bookings/{booking.pk}/")

    assert unknown.status_code == 400
    assert unknown.json() == {"expertise": ["알 수 없는 전문 분야입니다."]}
    assert no_report.status_code == 404
    assert no_report.json()["detail"] == "이 세션에 대해 제출된 보고서가 없습니다."
    assert mine.json()["created_at"] == "2030-03-01T07:00:00-05:00"
    assert mine.json()["start"] == "2030-03-04T01:00:00Z"  # booking times stay UTC, whoever asks


def test_api_report_filed_by_the_booker_is_refused_with_the_rules_reason(consultant, session_type):
    person = applicant()
    past = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    booking = make_booking(consultant, session_type, booked_by=person, start=past, status=BookingStatus.HELD)

    refused = api(person).post(f"/api/v1/bookings/{booking.pk}/report/", {"summary": "", "recommendation": "x"},
                               format="json")

    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the consultant of this session can file its report."

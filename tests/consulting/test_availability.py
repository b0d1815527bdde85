import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from consulting import selectors, services
from consulting.models import AvailabilityRule, DateOverride
from tests.consulting.conftest import NOW, make_booking, make_consultant, make_session_type
from tests.factories import StaffFactory, applicant, aware

pytestmark = pytest.mark.django_db

URL = "/consulting/consultant/availability/"
T = datetime.time


def rules_of(consultant):
    return [(r.weekday, r.start_time, r.end_time)
            for r in AvailabilityRule.objects.filter(consultant=consultant).order_by("weekday", "start_time")]


def weekly_post(days: dict[int, list[tuple[str, str]]], *, extra: int = 0) -> dict:
    """POST data of the weekly grid: every weekday gets its ranges (plus `extra` empty rows)."""
    data = {"action": "rules"}
    for weekday in range(7):
        ranges = days.get(weekday, [])
        prefix = f"day{weekday}"
        data[f"{prefix}-TOTAL_FORMS"] = str(len(ranges) + extra)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, (start, end) in enumerate(ranges):
            data[f"{prefix}-{i}-start_time"] = start
            data[f"{prefix}-{i}-end_time"] = end
        for i in range(len(ranges), len(ranges) + extra):
            data[f"{prefix}-{i}-start_time"] = ""
            data[f"{prefix}-{i}-end_time"] = ""
    return data


def next_weekday(weekday: int, zone) -> datetime.date:
    today = timezone.now().astimezone(zone).date()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


# --- Permissions ---------------------------------------------------------------------------------------------------


def test_availability_page_for_applicant_is_404(client):
    client.force_login(applicant())

    response = client.get(URL)

    assert response.status_code == 404


def test_availability_page_anonymous_redirects_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_override_remove_of_other_consultant_is_404_and_kept(client):
    mine, other = make_consultant(), make_consultant(full_name="Lee Ji-woo")
    override = DateOverride.objects.create(consultant=other, date=datetime.date(2030, 1, 7), unavailable=True)
    client.force_login(mine.user)

    response = client.post(reverse("consulting:availability-override-remove", args=[override.pk]))

    assert response.status_code == 404
    assert DateOverride.objects.filter(pk=override.pk).exists()


def test_availability_rules_set_by_other_consultant_is_refused():
    mine, other = make_consultant(), make_consultant(full_name="Lee Ji-woo")
    before = rules_of(mine)

    with pytest.raises(PermissionDenied):
        services.availability_rules_set(consultant=mine, by=other.user, rules=[(0, T(9), T(10))])

    assert rules_of(mine) == before


def test_availability_rules_set_by_applicant_is_refused():
    mine = make_consultant()

    with pytest.raises(PermissionDenied):
        services.date_override_set(consultant=mine, by=applicant(), date=datetime.date(2030, 1, 7), unavailable=True)

    assert not DateOverride.objects.exists()


def test_availability_rules_set_by_staff_is_allowed():
    mine = make_consultant(weekdays=[])

    services.availability_rules_set(consultant=mine, by=StaffFactory(), rules=[(2, T(14), T(15))])

    assert rules_of(mine) == [(2, T(14), T(15))]


def test_availability_post_only_changes_own_rules(client):
    mine, other = make_consultant(weekdays=[]), make_consultant(full_name="Lee Ji-woo")
    other_before = rules_of(other)
    client.force_login(mine.user)

    response = client.post(URL, weekly_post({0: [("09:00", "10:00")]}))

    assert response.status_code == 302
    assert rules_of(mine) == [(0, T(9), T(10))]
    assert rules_of(other) == other_before


# --- Rules: effect on slots, atomic replacement, validation ----------------------------------------------------------


def test_rule_monday_9_to_10_gives_exactly_one_slot_next_monday(session_type):
    consultant = make_consultant(weekdays=[])

    services.availability_rules_set(consultant=consultant, by=consultant.user, rules=[(0, T(9), T(10))])
    slots = selectors.consultant_free_slots(
        consultant=consultant, session_type=session_type, range_start=aware(2026, 3, 9, 0, 0),
        range_end=aware(2026, 3, 10, 0, 0), now=NOW,
    )

    assert slots == [aware(2026, 3, 9, 9, 0).astimezone(datetime.UTC)]


def test_rule_monday_9_to_10_shows_in_slots_api(client):
    session_type = make_session_type(minimum_notice_hours=0, booking_window_days=30, slot_interval_minutes=30,
                                     length_minutes=30)
    consultant = make_consultant(weekdays=[])
    client.force_login(consultant.user)
    client.post(URL, weekly_post({0: [("09:00", "10:00")]}))
    monday = next_weekday(0, consultant.zone)

    response = client.get(f"/api/v1/consultants/{consultant.pk}/slots/", {
        "from": monday.isoformat(), "to": monday.isoformat(), "session_type": session_type.pk,
    })

    assert response.status_code == 200
    starts = [row["start"] for row in response.json()]
    first = datetime.datetime.combine(monday, T(9), tzinfo=consultant.zone).astimezone(datetime.UTC)
    assert starts == [
        first.strftime("%Y-%m-%dT%H:%M:%SZ"), (first + datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ]


def test_rules_replaced_atomically_failing_row_keeps_old_rules():
    consultant = make_consultant()
    before = rules_of(consultant)

    with pytest.raises(ValidationError) as error:
        services.availability_rules_set(consultant=consultant, by=consultant.user,
                                        rules=[(0, T(9), T(10)), (1, T(12), T(11))])

    assert error.value.messages == ["Tuesday: 12:00–11:00 ends before it starts."]
    assert rules_of(consultant) == before
    assert not AuditEntry.objects.filter(action="consultant.availability_set").exists()


def test_rules_overlapping_on_one_day_refused_by_service():
    consultant = make_consultant(weekdays=[])

    with pytest.raises(ValidationError) as error:
        services.availability_rules_set(consultant=consultant, by=consultant.user,
                                        rules=[(4, T(9), T(12)), (4, T(11), T(13))])

    assert error.value.messages == ["Friday: 09:00–12:00 and 11:00–13:00 overlap."]
    assert rules_of(consultant) == []


def test_rules_touching_ranges_are_fine():
    consultant = make_consultant(weekdays=[])

    services.availability_rules_set(consultant=consultant, by=consultant.user,
                                    rules=[(4, T(13), T(17)), (4, T(9), T(13))])

    assert rules_of(consultant) == [(4, T(9), T(13)), (4, T(13), T(17))]


def test_weekly_form_end_before_start_shows_row_error_and_keeps_input(client):
    consultant = make_consultant()
    before = rules_of(consultant)
    client.force_login(consultant.user)

    response = client.post(URL, weekly_post({0: [("09:00", "12:00")], 2: [("15:00", "14:00")]}, extra=1))

    assert response.status_code == 400
    body = response.content.decode()
    assert "The end must be after the start." in body
    assert 'name="day2-0-start_time" value="15:00"' in body
    assert 'name="day2-0-end_time" value="14:00"' in body
    assert rules_of(consultant) == before


def test_weekly_form_overlap_shows_row_error_and_saves_nothing(client):
    consultant = make_consultant()
    before = rules_of(consultant)
    client.force_login(consultant.user)

    response = client.post(URL, weekly_post({3: [("09:00", "12:00"), ("11:30", "13:00")]}))

    assert response.status_code == 400
    assert "Overlaps 09:00–12:00 on the same day." in response.content.decode()
    assert rules_of(consultant) == before


def test_weekly_form_replaces_rules_and_ignores_empty_rows(client):
    consultant = make_consultant()
    client.force_login(consultant.user)

    response = client.post(URL, weekly_post({0: [("09:00", "10:00"), ("14:00", "16:30")], 5: [("10:00", "11:00")]},
                                            extra=2))

    assert response.status_code == 302
    assert rules_of(consultant) == [(0, T(9), T(10)), (0, T(14), T(16, 30)), (5, T(10), T(11))]


def test_weekly_form_delete_ticked_drops_that_range(client):
    consultant = make_consultant(weekdays=[0], ranges=((9, 12), (13, 17)))
    client.force_login(consultant.user)
    data = weekly_post({0: [("09:00", "12:00"), ("13:00", "17:00")]})
    data["day0-1-DELETE"] = "on"

    client.post(URL, data)

    assert rules_of(consultant) == [(0, T(9), T(12))]


def test_rules_set_writes_audit_row():
    consultant = make_consultant(weekdays=[0], ranges=((9, 12),))

    services.availability_rules_set(consultant=consultant, by=consultant.user, rules=[(1, T(8), T(9))])

    entry = AuditEntry.objects.get(action="consultant.availability_set")
    assert (entry.actor, entry.target_type, entry.target_id) == (consultant.user, "consulting.consultant",
                                                                 str(consultant.pk))
    assert entry.data == {"before": ["Monday 09:00-12:00"], "after": ["Tuesday 08:00-09:00"]}


# --- Date overrides --------------------------------------------------------------------------------------------------


def test_override_day_off_removes_that_days_slots(session_type):
    consultant = make_consultant()
    day = datetime.date(2026, 3, 10)

    services.date_override_set(consultant=consultant, by=consultant.user, date=day, unavailable=True,
                               note="Chuseok", today=datetime.date(2026, 3, 2))
    slots = selectors.consultant_free_slots(
        consultant=consultant, session_type=session_type, range_start=aware(2026, 3, 9, 0, 0),
        range_end=aware(2026, 3, 12, 0, 0), now=NOW,
    )

    local_days = sorted({s.astimezone(consultant.zone).date() for s in slots})
    assert local_days == [datetime.date(2026, 3, 9), datetime.date(2026, 3, 11)]
    entry = AuditEntry.objects.get(action="consultant.override_set")
    assert entry.data == {"date": "2026-03-10", "unavailable": True, "note": "Chuseok", "ranges": []}


def test_override_custom_hours_replace_weekly_hours(session_type):
    consultant = make_consultant()

    services.date_override_set(consultant=consultant, by=consultant.user, date=datetime.date(2026, 3, 10),
                               unavailable=False, ranges=[(T(18), T(20))], today=datetime.date(2026, 3, 2))
    slots = selectors.consultant_free_slots(
        consultant=consultant, session_type=session_type, range_start=aware(2026, 3, 10, 0, 0),
        range_end=aware(2026, 3, 11, 0, 0), now=NOW,
    )

    assert slots == [aware(2026, 3, 10, 18, 0).astimezone(datetime.UTC),
                     aware(2026, 3, 10, 19, 0).astimezone(datetime.UTC)]


def test_override_form_day_off_via_page(client):
    consultant = make_consultant()
    client.force_login(consultant.user)
    day = next_weekday(1, consultant.zone)

    response = client.post(URL, {"action": "override", "date": day.isoformat(), "unavailable": "on", "note": "Trip"})

    assert response.status_code == 302
    assert list(DateOverride.objects.filter(consultant=consultant).values_list("date", "unavailable")) == [(day, True)]


def test_override_form_past_date_refused_keeping_input(client):
    consultant = make_consultant()
    client.force_login(consultant.user)
    past = timezone.now().astimezone(consultant.zone).date() - datetime.timedelta(days=1)

    response = client.post(URL, {"action": "override", "date": past.isoformat(), "start_1": "10:00",
                                 "end_1": "11:00", "note": "Workshop"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose today or a later date." in body
    assert 'value="Workshop"' in body
    assert 'name="start_1" value="10:00"' in body
    assert not DateOverride.objects.exists()


def test_override_form_overlapping_ranges_refused(client):
    consultant = make_consultant()
    client.force_login(consultant.user)
    day = next_weekday(2, consultant.zone)

    response = client.post(URL, {"action": "override", "date": day.isoformat(), "start_1": "10:00", "end_1": "12:00",
                                 "start_2": "11:00", "end_2": "13:00"})

    assert response.status_code == 400
    assert "Overlaps 10:00–12:00 on the same day." in response.content.decode()
    assert not DateOverride.objects.exists()


def test_override_form_neither_day_off_nor_hours_refused(client):
    consultant = make_consultant()
    client.force_login(consultant.user)
    day = next_weekday(2, consultant.zone)

    response = client.post(URL, {"action": "override", "date": day.isoformat()})

    assert response.status_code == 400
    assert "Mark the day off or give at least one range of hours." in response.content.decode()


def test_override_past_date_refused_by_service():
    consultant = make_consultant()

    with pytest.raises(ValidationError):
        services.date_override_set(consultant=consultant, by=consultant.user, date=datetime.date(2026, 3, 1),
                                   unavailable=True, today=datetime.date(2026, 3, 2))

    assert not DateOverride.objects.exists()


def test_override_remove_restores_weekly_hours_and_audits(client):
    consultant = make_consultant()
    day = next_weekday(1, consultant.zone)
    services.date_override_set(consultant=consultant, by=consultant.user, date=day, unavailable=True)
    override = DateOverride.objects.get()
    client.force_login(consultant.user)

    response = client.post(reverse("consulting:availability-override-remove", args=[override.pk]))

    assert response.status_code == 302
    assert not DateOverride.objects.exists()
    assert AuditEntry.objects.get(action="consultant.override_remove").data == {"date": day.isoformat()}


# --- Page contents ---------------------------------------------------------------------------------------------------


def test_page_warns_about_upcoming_booking_outside_new_hours_without_cancelling(client, session_type):
    consultant = make_consultant()
    day = next_weekday(0, consultant.zone) + datetime.timedelta(days=7)
    start = datetime.datetime.combine(day, T(10), tzinfo=consultant.zone)
    booking = make_booking(consultant, session_type, booked_by=applicant(), start=start)
    client.force_login(consultant.user)

    client.post(URL, weekly_post({0: [("14:00", "17:00")]}))
    response = client.get(URL)

    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert list(response.context["outside"]) == [booking]
    assert 'id="bookings-outside"' in response.content.decode()


def test_page_without_bookings_outside_shows_no_warning(client, session_type):
    consultant = make_consultant()
    day = next_weekday(0, consultant.zone) + datetime.timedelta(days=7)
    make_booking(consultant, session_type, booked_by=applicant(),
                 start=datetime.datetime.combine(day, T(10), tzinfo=consultant.zone))
    client.force_login(consultant.user)

    response = client.get(URL)

    assert response.context["outside"] == []
    assert 'id="bookings-outside"' not in response.content.decode()


def test_page_preview_lists_free_times_in_consultant_zone(client):
    make_session_type(minimum_notice_hours=0, booking_window_days=14)
    consultant = make_consultant(tz="Europe/Warsaw", weekdays=range(7), ranges=((9, 10),))
    consultant.user.time_zone = "Asia/Jakarta"
    consultant.user.save()
    client.force_login(consultant.user)

    response = client.get(URL)

    body = response.content.decode()
    assert "Europe/Warsaw" in body
    days = response.context["preview"]
    assert days and all(times == [datetime.datetime.combine(day, T(9), tzinfo=consultant.zone)] for day, times in days
                        if day > timezone.now().astimezone(consultant.zone).date())
    assert '<span class="badge text-bg-light border">09:00</span>' in body


def test_page_query_count_same_for_1_and_10_rules(client, session_type):
    one = make_consultant(weekdays=[0], ranges=((9, 10),))
    ten = make_consultant(weekdays=range(5), ranges=((8, 9), (13, 14)), full_name="Lee Ji-woo")
    assert AvailabilityRule.objects.filter(consultant=ten).count() == 10

    def count(consultant):
        client.force_login(consultant.user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    assert count(one) == count(ten)


# --- Profile ---------------------------------------------------------------------------------------------------------


def test_profile_update_changes_zone_and_audits(client):
    consultant = make_consultant()
    client.force_login(consultant.user)

    response = client.post(reverse("consulting:consultant-profile"), {
        "expertise": ["energy", "mobility"], "languages": ["en", "pl"], "time_zone": "Europe/Warsaw",
        "cooperation_centre": "", "bio": "Grid planning.",
    })

    assert response.status_code == 302
    consultant.refresh_from_db()
    assert (str(consultant.time_zone), consultant.expertise, consultant.languages, consultant.bio) == (
        "Europe/Warsaw", ["energy", "mobility"], ["en", "pl"], "Grid planning.")
    entry = AuditEntry.objects.get(action="consultant.profile_update")
    assert entry.data["after"]["time_zone"] == "Europe/Warsaw"


def test_profile_form_bad_zone_keeps_input(client):
    consultant = make_consultant()
    client.force_login(consultant.user)

    response = client.post(reverse("consulting:consultant-profile"), {
        "languages": ["en"], "time_zone": "Mars/Olympus", "bio": "My long bio",
    })

    assert response.status_code == 400
    assert "My long bio" in response.content.decode()
    consultant.refresh_from_db()
    assert str(consultant.time_zone) == "Asia/Seoul"


def test_profile_page_for_applicant_is_404(client):
    client.force_login(applicant())

    assert client.get(reverse("consulting:consultant-profile")).status_code == 404


def test_consultant_home_links_to_availability(client):
    consultant = make_consultant()
    client.force_login(consultant.user)

    response = client.get(reverse("consulting:consultant-home"))

    assert f'id="edit-availability-link" href="{URL}"' in response.content.decode()


def test_rules_range_inside_a_long_range_is_an_overlap_even_after_a_clean_pair():
    consultant = make_consultant(weekdays=[])

    with pytest.raises(ValidationError) as error:
        services.availability_rules_set(consultant=consultant, by=consultant.user,
                                        rules=[(0, T(9), T(17)), (0, T(10), T(11)), (0, T(12), T(13))])

    assert error.value.messages == ["Monday: 09:00–17:00 and 10:00–11:00 overlap.",
                                    "Monday: 09:00–17:00 and 12:00–13:00 overlap."]


def test_override_form_shows_date_and_range_errors_together(client):
    consultant = make_consultant()
    client.force_login(consultant.user)

    response = client.post(URL, {"action": "override", "date": "2020-01-01", "start_1": "10:00", "end_1": "09:00"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose today or a later date." in body
    assert "The end must be after the start." in body



def test_date_override_note_is_kept_and_listed(client):
    consultant = make_consultant()
    day = timezone.now().astimezone(consultant.zone).date() + datetime.timedelta(days=10)

    services.date_override_set(consultant=consultant, by=consultant.user, date=day, unavailable=True,
                               note="Mission to Nairobi")
    client.force_login(consultant.user)
    response = client.get(reverse("consulting:availability"))

    assert list(DateOverride.objects.filter(consultant=consultant).values_list("note", flat=True)) == [
        "Mission to Nairobi"
    ]
    assert "Mission to Nairobi" in response.content.decode()

"""The consulting back office writes through the availability services: overlap check, audit row, no 500."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from accounts.secretariat import secretariat_group_sync
from audit.models import AuditEntry
from consulting.models import AvailabilityRule, Consultant, DateOverride
from tests.consulting.conftest import make_consultant
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
T = datetime.time
FUTURE = datetime.date(2030, 1, 7)  # a Monday


@pytest.fixture
def staff(client):
    # The secretariat's back-office permissions, as the staff account of seed_demo has them.
    user = StaffFactory()
    user.groups.add(secretariat_group_sync(apps))
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def rules_of(consultant) -> list[str]:
    return [str(r) for r in AvailabilityRule.objects.filter(consultant=consultant)]


def test_admin_rule_add_overlapping_is_refused_on_the_form_and_nothing_written(client, staff):
    consultant = make_consultant(ranges=((9, 12),), weekdays=[0])

    response = client.post(reverse("admin:consulting_availabilityrule_add"), {
        "consultant": consultant.pk, "weekday": 0, "start_time": "11:00", "end_time": "13:00",
    })

    assert response.status_code == 200
    assert "Monday: 09:00–12:00 and 11:00–13:00 overlap." in response.content.decode()
    assert rules_of(consultant) == ["Monday 09:00-12:00"]
    assert not AuditEntry.objects.filter(action="consultant.availability_set").exists()


def test_admin_rule_add_goes_through_the_service_and_audits(client, staff):
    consultant = make_consultant(ranges=((9, 12),), weekdays=[0])

    response = client.post(reverse("admin:consulting_availabilityrule_add"), {
        "consultant": consultant.pk, "weekday": 0, "start_time": "13:00", "end_time": "17:00",
    })

    assert response.status_code == 302
    assert rules_of(consultant) == ["Monday 09:00-12:00", "Monday 13:00-17:00"]
    entry = AuditEntry.objects.get(action="consultant.availability_set")
    assert (entry.actor, entry.target_id) == (staff, str(consultant.pk))
    assert entry.data == {"before": ["Monday 09:00-12:00"], "after": ["Monday 09:00-12:00", "Monday 13:00-17:00"]}


def test_admin_rule_change_to_overlap_is_refused_and_change_elsewhere_audits(client, staff):
    consultant = make_consultant(ranges=((9, 12), (13, 17)), weekdays=[0])
    afternoon = AvailabilityRule.objects.get(consultant=consultant, start_time=T(13))
    url = reverse("admin:consulting_availabilityrule_change", args=[afternoon.pk])

    refused = client.post(url, {"weekday": 0, "start_time": "11:30", "end_time": "17:00"})
    moved = client.post(url, {"weekday": 1, "start_time": "11:30", "end_time": "17:00"})

    assert refused.status_code == 200
    assert "overlap" in refused.content.decode()
    assert moved.status_code == 302
    assert rules_of(consultant) == ["Monday 09:00-12:00", "Tuesday 11:30-17:00"]
    assert AuditEntry.objects.filter(action="consultant.availability_set").count() == 1


def test_admin_rule_delete_goes_through_the_service_and_audits(client, staff):
    consultant = make_consultant(ranges=((9, 12), (13, 17)), weekdays=[0])
    morning = AvailabilityRule.objects.get(consultant=consultant, start_time=T(9))

    response = client.post(reverse("admin:consulting_availabilityrule_delete", args=[morning.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert rules_of(consultant) == ["Monday 13:00-17:00"]
    assert AuditEntry.objects.get(action="consultant.availability_set").data == {
        "before": ["Monday 09:00-12:00", "Monday 13:00-17:00"], "after": ["Monday 13:00-17:00"]}


def test_admin_availability_lists_offer_no_bulk_delete(client, staff):
    make_consultant()

    for name in ("availabilityrule", "dateoverride"):
        html = client.get(reverse(f"admin:consulting_{name}_changelist")).content.decode()
        assert 'value="delete_selected"' not in html, name


def test_admin_write_the_service_refuses_shows_the_message_not_a_500(client):
    # An admin user with the model permissions but not staff: the form has nothing to object to, the service does.
    consultant = make_consultant(ranges=((9, 12),), weekdays=[0])
    outsider = UserFactory(role=Role.CONSULTANT, is_staff=True, is_superuser=False)
    outsider.user_permissions.set(Permission.objects.filter(
        content_type__app_label="consulting", codename__in=["add_availabilityrule", "view_availabilityrule"]))
    client.force_login(outsider)
    url = reverse("admin:consulting_availabilityrule_add")

    response = client.post(url, {"consultant": consultant.pk, "weekday": 2, "start_time": "09:00",
                                 "end_time": "10:00"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert messages_of(response) == ["Only the consultant or staff may change this availability."]
    assert rules_of(consultant) == ["Monday 09:00-12:00"]
    assert not AuditEntry.objects.exists()


def test_admin_override_in_the_past_or_next_to_a_day_off_is_refused(client, staff):
    consultant = make_consultant()
    DateOverride.objects.create(consultant=consultant, date=FUTURE, unavailable=True, note="Holiday")
    url = reverse("admin:consulting_dateoverride_add")

    past = client.post(url, {"consultant": consultant.pk, "date": "2020-01-06", "unavailable": "on"})
    beside_day_off = client.post(url, {"consultant": consultant.pk, "date": FUTURE.isoformat(),
                                       "start_time": "09:00", "end_time": "10:00"})

    assert past.status_code == beside_day_off.status_code == 200
    assert "Choose today or a later date." in past.content.decode()
    assert f"{FUTURE.isoformat()} is marked as a day off; remove that before giving hours." in (
        beside_day_off.content.decode())
    assert DateOverride.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_admin_override_ranges_are_checked_for_overlap_and_audited(client, staff):
    consultant = make_consultant()
    url = reverse("admin:consulting_dateoverride_add")

    first = client.post(url, {"consultant": consultant.pk, "date": FUTURE.isoformat(), "start_time": "09:00",
                              "end_time": "12:00", "note": "Mission"})
    overlapping = client.post(url, {"consultant": consultant.pk, "date": FUTURE.isoformat(), "start_time": "11:00",
                                    "end_time": "14:00", "note": "Mission"})

    assert first.status_code == 302
    assert overlapping.status_code == 200
    assert f"{FUTURE.isoformat()}: 09:00–12:00 and 11:00–14:00 overlap." in overlapping.content.decode()
    assert [str(o) for o in DateOverride.objects.all()] == [f"{FUTURE} 09:00-12:00"]
    assert AuditEntry.objects.get(action="consultant.override_set").data == {
        "date": FUTURE.isoformat(), "unavailable": False, "note": "Mission", "ranges": ["09:00-12:00"]}


def test_admin_override_delete_goes_through_the_service_and_audits(client, staff):
    consultant = make_consultant()
    override = DateOverride.objects.create(consultant=consultant, date=FUTURE, unavailable=True, note="Holiday")

    response = client.post(reverse("admin:consulting_dateoverride_delete", args=[override.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not DateOverride.objects.exists()
    entry = AuditEntry.objects.get(action="consultant.override_remove")
    assert (entry.target_id, entry.data["date"], entry.data["removed"]) == (
        str(consultant.pk), FUTURE.isoformat(), f"{FUTURE}: unavailable")


def test_admin_consultant_change_goes_through_the_profile_service_and_inlines_are_read_only(client, staff):
    consultant = make_consultant(ranges=((9, 12),), weekdays=[0])
    url = reverse("admin:consulting_consultant_change", args=[consultant.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {
        "expertise": '["energy"]', "languages": '["en"]', "time_zone": "Europe/Warsaw", "cooperation_centre": "",
        "bio": "Grids.", **{f"{prefix}-{key}": value for prefix in ("rules", "overrides")
                            for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    })

    assert 'name="rules-0-start_time"' not in page
    assert response.status_code == 302, response.content.decode()[:2000]
    consultant.refresh_from_db()
    assert (str(consultant.time_zone), consultant.expertise, consultant.is_active) == ("Europe/Warsaw", ["energy"],
                                                                                      False)
    assert rules_of(consultant) == ["Monday 09:00-12:00"]
    entry = AuditEntry.objects.get(action="consultant.profile_update")
    assert (entry.data["after"]["time_zone"], entry.data["before"]["is_active"], entry.data["after"]["is_active"]) == (
        "Europe/Warsaw", True, False)


def test_admin_consultant_add_goes_through_the_service_and_audits(client, staff):
    person = UserFactory(role=Role.CONSULTANT)

    response = client.post(reverse("admin:consulting_consultant_add"), {
        "user": person.pk, "expertise": '["water"]', "languages": '["en", "ko"]', "time_zone": "Asia/Seoul",
        "cooperation_centre": "", "bio": "", "is_active": "on",
        **{f"{prefix}-{key}": value for prefix in ("rules", "overrides")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    consultant = Consultant.objects.get(user=person)
    assert (consultant.expertise, consultant.languages, consultant.is_active) == (["water"], ["en", "ko"], True)
    entry = AuditEntry.objects.get(action="consultant.create")
    assert (entry.actor, entry.target_id, entry.data["user"]) == (staff, str(consultant.pk), person.pk)

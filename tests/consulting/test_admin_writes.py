"""The consulting back office writes through consulting.services or not at all: session types are saved and
deleted by the services (audit rows, the reason on the page when refused); bookings and reports are only shown,
and the one write offered on bookings, cancelling, is the booking service's."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from consulting import services
from consulting.models import Booking, BookingStatus, PreConsultingReport, SessionType
from tests.admin_writes import audited, messages_of, signed_in, staff_superuser
from tests.factories import UserFactory, submitted_proposal
from tests.factories.consulting import filed_report, make_booking, make_consultant, make_session_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return staff_superuser()


@pytest.fixture
def desk(root):
    return signed_in(root)


def _session_type_form(**values):
    return {"title_en": "Site visit debrief", "description_en": "", "length_minutes": "45",
            "slot_interval_minutes": "15", "buffer_before_minutes": "0", "buffer_after_minutes": "15",
            "minimum_notice_hours": "24", "booking_window_days": "21", "daily_limit": "", "location_kind": "video",
            "location_details": "", "link_after_booking_only": "on", "cancellation_notice_hours": "12",
            "is_active": "on", **values}


def test_session_type_add_change_delete_go_through_the_services_with_audit_rows(desk):
    added = desk.post(reverse("admin:consulting_sessiontype_add"), _session_type_form())
    kind = SessionType.objects.get(title="Site visit debrief")
    changed = desk.post(reverse("admin:consulting_sessiontype_change", args=[kind.pk]),
                        _session_type_form(length_minutes="60", is_active=""))
    deleted = desk.post(reverse("admin:consulting_sessiontype_delete", args=[kind.pk]), {"post": "yes"})

    assert (added.status_code, changed.status_code, deleted.status_code) == (302, 302, 302)
    ((actor, target, data),) = audited("session_type.create")
    assert (actor, target) == ("root@example.org", str(kind.pk))
    assert {"title_en": "Site visit debrief", "length_minutes": 45, "buffer_after_minutes": 15}.items() \
        <= data["changed"].items()
    assert audited("session_type.update") == [
        ("root@example.org", str(kind.pk), {"changed": {"length_minutes": 60, "is_active": False}})]
    assert audited("session_type.delete")[0][2]["was"]["length_minutes"] == 60
    assert not SessionType.objects.filter(pk=kind.pk).exists()


def test_session_type_the_service_refuses_shows_the_message_not_a_500(client):
    # Django's model permissions let this person in; the service asks the portal's rule (staff only).
    outsider = UserFactory(role=Role.CONSULTANT, is_staff=True)
    outsider.user_permissions.set(Permission.objects.filter(
        content_type__app_label="consulting", codename__in=["add_sessiontype", "view_sessiontype"]))
    client.force_login(outsider)
    url = reverse("admin:consulting_sessiontype_add")

    response = client.post(url, _session_type_form())

    assert (response.status_code, response["Location"]) == (302, url)
    assert messages_of(response) == ["Only staff may change the kinds of session offered."]
    assert not SessionType.objects.filter(title="Site visit debrief").exists()
    assert not audited("session_type.create")


def test_session_type_with_bookings_is_refused_by_the_service():
    kind = make_session_type()
    make_booking(make_consultant(), kind, booked_by=UserFactory(), start=timezone.now() + datetime.timedelta(days=3))

    with pytest.raises(ValidationError, match="switch it off"):
        services.session_type_delete(session_type=kind, by=staff_superuser())

    assert SessionType.objects.filter(pk=kind.pk).exists()


def test_bookings_and_reports_are_read_only_even_for_a_superuser(desk):
    report = filed_report(submitted_proposal())
    booking = report.booking

    booking_page = desk.get(reverse("admin:consulting_booking_change", args=[booking.pk])).content.decode()
    booking_post = desk.post(reverse("admin:consulting_booking_change", args=[booking.pk]), {"status": "cancelled"})
    report_delete = desk.post(reverse("admin:consulting_preconsultingreport_delete", args=[report.pk]),
                              {"post": "yes"})
    report_change = desk.post(reverse("admin:consulting_preconsultingreport_change", args=[report.pk]),
                              {"summary": "Rewritten"})

    assert 'name="_save"' not in booking_page
    assert (booking_post.status_code, report_delete.status_code, report_change.status_code) == (403, 403, 403)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD
    assert PreConsultingReport.objects.filter(pk=report.pk, summary=report.summary).exists()


def test_booking_cancel_action_goes_through_the_booking_service(desk, root):
    booking = make_booking(make_consultant(), make_session_type(), booked_by=UserFactory(),
                           start=timezone.now() + datetime.timedelta(days=3))

    response = desk.post(reverse("admin:consulting_booking_changelist"),
                         {"action": "cancel_bookings", "_selected_action": [booking.pk], "index": 0})

    assert response.status_code == 302
    assert messages_of(response) == ["1 session(s) cancelled."]
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (BookingStatus.CANCELLED, root)
    assert audited("booking.cancel") == [("root@example.org", str(booking.pk),
                                          {"reason": "Cancelled by the secretariat."})]


def test_booking_cancel_action_is_not_offered_to_who_may_only_look(client):
    viewer = UserFactory(role=Role.CONSULTANT, is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(content_type__app_label="consulting",
                                                          codename="view_booking"))
    client.force_login(viewer)

    html = client.get(reverse("admin:consulting_booking_changelist")).content.decode()

    assert "cancel_bookings" not in html

"""Per-kind e-mail preferences: in-app notices always, e-mail only for the kinds a person keeps."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Notice, OutboxEmail
from notifications.preferences import email_enabled, email_preferences_set, notice_kinds_for
from notifications.registry import kinds
from notifications.services import notify
from tests.factories import ProposalFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
SETTINGS_URL = reverse("accounts:profile")


def test_notify_skips_email_for_opted_out_kind_but_keeps_notice():
    proposal = ProposalFactory()
    person = UserFactory(email_opt_out=["draft_stale_reminder"])

    notify(event="draft_stale_reminder", recipients=[person], context={"proposal": proposal, "days": 14})
    notify(event="proposal_assigned", recipients=[person], context={"proposal": proposal, "by": person})

    assert sorted(Notice.objects.filter(user=person).values_list("event", flat=True)) == [
        "draft_stale_reminder", "proposal_assigned"
    ]
    assert list(OutboxEmail.objects.filter(user=person).values_list("event", flat=True)) == ["proposal_assigned"]


def test_preferences_set_stores_unticked_kinds_and_keeps_unknown_ones():
    person = StaffFactory(email_opt_out=["some_future_kind"])  # a kind no settings page offers yet

    opt_out = email_preferences_set(
        user=person, by=person, email_events=[k.name for k in kinds() if k.name != "staff_digest"]
    )

    person.refresh_from_db()
    assert opt_out == person.email_opt_out == ["some_future_kind", "staff_digest"]
    assert email_enabled(user=person, event="staff_digest") is False
    assert email_enabled(user=person, event="proposal_message") is True
    assert AuditEntry.objects.get(action="user.email_preferences").data == {"email_opt_out": opt_out}


def test_notice_kinds_for_role():
    applicant_kinds = {kind for kind, _label in notice_kinds_for(UserFactory())}
    staff_kinds = {kind for kind, _label in notice_kinds_for(StaffFactory())}

    assert "staff_digest" not in applicant_kinds
    assert "committee_assigned" not in applicant_kinds
    assert {"proposal_message", "booking_reminder", "draft_stale_reminder"} <= applicant_kinds
    assert {"staff_digest", "proposal_assigned", "info_request_overdue_staff"} <= staff_kinds
    assert "booking_report_due" not in staff_kinds


def test_preferences_set_for_someone_else_refused():
    from django.core.exceptions import PermissionDenied

    person, other = UserFactory(), UserFactory()

    with pytest.raises(PermissionDenied):
        email_preferences_set(user=person, by=other, email_events=[])


def test_settings_page_lists_kinds_all_ticked_by_default(client):
    person = UserFactory()
    client.force_login(person)

    response = client.get(SETTINGS_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="notification-preferences"' in html
    offered = notice_kinds_for(person)
    # Every kind but those for staff (8), consultants (1) and committee members (2).
    assert html.count('name="email_events"') == len(offered) == len(kinds()) - 11
    assert "Reminder about an untouched draft" in html
    assert "Daily staff digest" not in html
    for kind, _label in offered:
        assert re.search(rf'value="{kind}"[^>]*checked', html)


def test_settings_page_saves_choice(client):
    person = UserFactory()
    client.force_login(person)
    keep = ["proposal_status_changed", "proposal_message"]

    response = client.post(SETTINGS_URL, {"email_events": keep, "save_notifications": "1"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_opt_out == sorted({kind for kind, _label in notice_kinds_for(person)} - set(keep))
    page = client.get(SETTINGS_URL).content.decode()
    assert re.search(r'value="proposal_message"[^>]*checked', page)
    assert not re.search(r'value="draft_stale_reminder"[^>]*checked', page)


def test_settings_page_rejects_kind_not_offered_to_the_role(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(SETTINGS_URL, {"email_events": ["staff_digest"], "save_notifications": "1"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    person.refresh_from_db()
    assert person.email_opt_out == []


def test_settings_profile_form_still_saves(client):
    person = UserFactory(full_name="Old Name")
    client.force_login(person)

    response = client.post(SETTINGS_URL, {
        "full_name": "Siti Rahma", "job_title": "", "phone": "", "language": "en", "time_zone": "Asia/Jakarta",
    })

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Siti Rahma"
    assert person.email_opt_out == []

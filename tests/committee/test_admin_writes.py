"""A committee service's refusal in the back office is a message on the same page, never a server error, and the
write is undone (core.admin; the audited writes themselves are in tests/committee/test_admin.py)."""

import pytest

from committee import services
from committee.models import MINUTES_ARE_FINAL, CommitteeMember, Minutes, MinutesFinal
from committee.services import minutes_generate
from tests.admin_writes import audited, messages_of, refusing, signed_in, staff_superuser
from tests.committee.helpers import decided_setup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return signed_in(staff_superuser())


def test_minutes_finalised_meanwhile_the_edit_is_refused_with_the_services_reason(desk, monkeypatch):
    staff, _proposal, _members, meeting = decided_setup(size=3)
    minutes = minutes_generate(meeting=meeting, by=staff)
    body = minutes.body

    def finalised_meanwhile(**kwargs):
        raise MinutesFinal(MINUTES_ARE_FINAL)

    monkeypatch.setattr(services, "minutes_update", finalised_meanwhile)
    url = f"/admin/committee/minutes/{minutes.pk}/change/"

    response = desk.post(url, {"body": "Edited too late."})

    assert (response.status_code, response["Location"]) == (302, url)
    assert messages_of(response) == ["These minutes are final and cannot be changed."]
    assert Minutes.objects.get(pk=minutes.pk).body == body


def test_member_appointment_the_service_refuses_writes_nothing(desk, monkeypatch):
    user = UserFactory()
    monkeypatch.setattr(services, "member_save", refusing("The term overlaps an appointment."))
    url = "/admin/committee/committeemember/add/"

    response = desk.post(url, {"user": user.pk, "kind": "private", "affiliation": "KAIST", "term_start": "2026-01-01",
                               "term_end": "", "expertise": "", "country": "KR", "organisation": "",
                               "is_active": "on"})

    assert (response.status_code, response["Location"]) == (302, url)
    assert messages_of(response) == ["The term overlaps an appointment."]
    assert not CommitteeMember.objects.filter(user=user).exists()
    assert not audited("member.create")

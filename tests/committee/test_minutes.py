import pytest
from django.contrib.admin.sites import site

from committee.models import MeetingStatus, Minutes, MinutesFinal, MinutesStatus, Outcome
from committee.services import decision_record, minutes_finalise, minutes_generate, minutes_update
from core.errors import TransitionRefused
from tests.committee.helpers import decided_setup

pytestmark = pytest.mark.django_db


def _decided():
    staff, proposal, members, meeting = decided_setup(size=5, present=4, conflicted=1)
    decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                    votes_against=1, votes_abstain=0, support_amount_krw=450_000_000, conditions="Train officials")
    return staff, proposal, members, meeting


def test_minutes_generated_from_attendance_and_decisions():
    staff, proposal, members, meeting = _decided()

    minutes = minutes_generate(meeting=meeting, by=staff)

    assert "4 of 5 serving members present; quorum 3." in minutes.body
    assert f"{proposal.reference}: {proposal.title}" in minutes.body
    assert "Outcome: Approve, KRW 450,000,000" in minutes.body
    assert "Votes: 3 for, 1 against, 0 abstaining." in minutes.body
    assert "Votes needed under the rule: 3." in minutes.body
    assert ("Decision rule: Majority of members present: an outcome needs a majority of the eligible members "
            "present; quorum: more than 50% of serving members, with a co-chair.") in minutes.body
    assert "Eligible members present: 4 (quorum 3)." in minutes.body  # the conflicted member was absent
    assert f"- {members[4]}" in minutes.body.split("Absent:")[1]


def test_minutes_draft_can_be_edited():
    staff, _proposal, _members, meeting = _decided()
    minutes = minutes_generate(meeting=meeting, by=staff)

    minutes_update(minutes=minutes, body="Corrected minutes", by=staff)

    minutes.refresh_from_db()
    assert minutes.body == "Corrected minutes\n"


def test_final_minutes_cannot_be_edited_by_service_model_or_regeneration():
    staff, _proposal, _members, meeting = _decided()
    minutes = minutes_generate(meeting=meeting, by=staff)
    minutes_finalise(minutes=minutes, by=staff)
    minutes.refresh_from_db()

    with pytest.raises(MinutesFinal):
        minutes_update(minutes=minutes, body="Rewritten", by=staff)
    with pytest.raises(MinutesFinal):
        minutes_generate(meeting=meeting, by=staff)
    minutes.body = "Rewritten behind the service's back"
    with pytest.raises(MinutesFinal):
        minutes.save()
    with pytest.raises(MinutesFinal):
        Minutes.objects.get(pk=minutes.pk).delete()

    stored = Minutes.objects.get(pk=minutes.pk)
    assert stored.status == MinutesStatus.FINAL
    assert "Rewritten" not in stored.body
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED


def test_final_minutes_are_read_only_in_admin(rf):
    staff, _proposal, _members, meeting = _decided()
    minutes = minutes_finalise(minutes=minutes_generate(meeting=meeting, by=staff), by=staff)
    staff.is_superuser = True
    request = rf.get("/")
    request.user = staff

    model_admin = site._registry[Minutes]

    assert model_admin.has_change_permission(request, minutes) is False
    assert model_admin.has_delete_permission(request, minutes) is False


def test_closed_meeting_refuses_further_decisions():
    staff, proposal, _members, meeting = _decided()
    minutes_finalise(minutes=minutes_generate(meeting=meeting, by=staff), by=staff)

    with pytest.raises(TransitionRefused):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=3, reasons="No")


def test_minutes_pdf_prints_korean_text_with_a_cjk_font():
    from pathlib import Path

    from committee.minutes_pdf import minutes_pdf
    from core.pdf import FONT_CANDIDATES

    staff, _proposal, _members, meeting = _decided()
    minutes = minutes_generate(meeting=meeting, by=staff)
    minutes_update(minutes=minutes, body="국가스마트도시위원회 회의록\nMinutes", by=staff)

    pdf = minutes_pdf(Minutes.objects.get(pk=minutes.pk))

    assert pdf.startswith(b"%PDF-")
    cjk = [p for p, _face in FONT_CANDIDATES[:3] if Path(p).is_file()]
    if not cjk:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk or fonts-nanum)")
    assert b"CJK" in pdf or b"Nanum" in pdf

"""The committee's back office writes only through the committee services (their checks and their audit rows)."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User
from audit.models import AuditEntry
from committee.models import CommitteeMember, Criterion, DecisionRule, Meeting, MeetingStatus, Minutes, Rubric
from committee.services import minutes_finalise, minutes_generate
from proposals.models import Cycle
from tests.committee.helpers import KCITY_CRITERIA, decided_setup, member, rubric
from tests.factories import ProgrammeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NO_AGENDA_ROWS = {"agenda_items-TOTAL_FORMS": "0", "agenda_items-INITIAL_FORMS": "0"}


@pytest.fixture
def officer():
    user = StaffFactory(email="officer@example.org")
    user.groups.add(Group.objects.get(name="Secretariat"))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def desk(officer):
    client = Client()
    client.force_login(officer)
    return client


def _meeting_form(programme, cycle, **overrides):
    return {
        "programme": programme.pk, "cycle": cycle.pk, "title": "Second committee meeting",
        "starts_at_0": "2026-11-20", "starts_at_1": "10:00:00", "place": "Sejong", "video_link": "",
        "decision_rule": "", "voting_mode": "in_room", **NO_AGENDA_ROWS, **overrides,
    }


def test_admin_meeting_add_goes_through_the_service_and_is_audited(desk, officer):
    programme = ProgrammeFactory()
    cycle = Cycle.objects.create(programme=programme, year=2031, cutoff=datetime.date(2031, 6, 30))

    response = desk.post("/admin/committee/meeting/add/", _meeting_form(programme, cycle, title="  Spaced  "))

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.cycle, meeting.status) == ("Spaced", cycle, MeetingStatus.SCHEDULED)
    entry = AuditEntry.objects.get(action="meeting.create")
    assert (entry.actor, entry.target_id, entry.data) == (
        officer, str(meeting.pk), {"cycle": 2031, "rule": None, "voting_mode": "in_room"})


def test_admin_meeting_with_another_programmes_cycle_is_refused_on_the_form(desk):
    programme = ProgrammeFactory()
    other = ProgrammeFactory(name="Other programme", slug="other", reference_prefix="OTH")
    cycle = Cycle.objects.create(programme=other, year=2031, cutoff=datetime.date(2031, 6, 30))

    response = desk.post("/admin/committee/meeting/add/", _meeting_form(programme, cycle))

    assert response.status_code == 200
    assert "The cycle belongs to another programme." in response.content.decode()
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.create").exists()


def test_admin_meeting_change_is_audited_and_a_closed_meeting_is_read_only(desk, officer):
    staff, _proposal, _members, meeting = decided_setup(size=3)
    url = f"/admin/committee/meeting/{meeting.pk}/change/"
    local = meeting.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    form = _meeting_form(meeting.programme, meeting.cycle, title="Renamed meeting",
                         starts_at_0=local.date().isoformat(), starts_at_1=local.time().isoformat(), place="Seoul")
    form.update({"agenda_items-TOTAL_FORMS": "1", "agenda_items-INITIAL_FORMS": "1",
                 "agenda_items-0-id": str(meeting.agenda_items.get().pk), "agenda_items-0-meeting": str(meeting.pk)})

    response = desk.post(url, form)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("Renamed meeting", "Seoul")
    entry = AuditEntry.objects.get(action="meeting.update")
    assert (entry.actor, entry.data) == (officer, {"fields": ["place", "title"]})

    minutes_finalise(minutes=minutes_generate(meeting=meeting, by=staff), by=staff)
    refused = desk.post(url, {**form, "title": "After the fact"})

    assert refused.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "Renamed meeting"
    assert AuditEntry.objects.filter(action="meeting.update").count() == 1


def test_admin_draft_minutes_edit_goes_through_minutes_update(desk, officer):
    staff, _proposal, _members, meeting = decided_setup(size=3)
    minutes = minutes_generate(meeting=meeting, by=staff)

    response = desk.post(f"/admin/committee/minutes/{minutes.pk}/change/", {"body": "  Edited minutes.  "})

    assert response.status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).body == "Edited minutes.\n"
    assert AuditEntry.objects.get(action="minutes.update").actor == officer


def test_admin_member_appointment_is_audited(desk, officer):
    user = UserFactory(email="new.member@example.org")

    response = desk.post("/admin/committee/committeemember/add/", {
        "user": user.pk, "kind": "private", "affiliation": "KAIST", "term_start": "2026-01-01", "term_end": "",
        "expertise": "", "country": "KR", "organisation": "", "is_active": "on",
    })

    assert response.status_code == 302
    appointed = CommitteeMember.objects.get(user=user)
    entry = AuditEntry.objects.get(action="member.create")
    assert (entry.actor, entry.target_id, entry.data["user"]) == (officer, str(appointed.pk), user.pk)


def test_admin_rubric_criteria_changes_are_audited_one_by_one(desk, officer):
    scoring = rubric(ProgrammeFactory())
    first, second = scoring.criteria.order_by("order")[:2]
    rows = list(scoring.criteria.order_by("order", "id"))
    form = {"programme": scoring.programme_id, "name": "K-City rubric (2026)",
            "criteria-TOTAL_FORMS": str(len(rows)), "criteria-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        form.update({f"criteria-{i}-id": row.pk, f"criteria-{i}-rubric": scoring.pk,
                     f"criteria-{i}-name_en": row.name, f"criteria-{i}-description_en": "",
                     f"criteria-{i}-weight": str(row.weight), f"criteria-{i}-order": row.order})
    form["criteria-0-weight"] = "25"
    form["criteria-0-name_ko"] = "도시 문제 적합성"  # a criterion's name in Korean, on the language tab
    form["criteria-1-DELETE"] = "on"

    response = desk.post(f"/admin/committee/rubric/{scoring.pk}/change/", form)

    assert response.status_code == 302
    assert Rubric.objects.get(pk=scoring.pk).name == "K-City rubric (2026)"
    changed = Criterion.objects.get(pk=first.pk)
    assert (changed.weight, changed.name_ko, changed.name_en) == (25, "도시 문제 적합성", first.name)
    assert AuditEntry.objects.get(action="criterion.update").data["names"] == {
        "name_en": first.name, "name_ko": "도시 문제 적합성"}
    assert not Criterion.objects.filter(pk=second.pk).exists()
    assert Criterion.objects.filter(rubric=scoring).count() == len(KCITY_CRITERIA) - 1
    actions = sorted(AuditEntry.objects.filter(actor=officer).values_list("action", flat=True))
    assert actions == ["criterion.delete", "criterion.update", "rubric.update"]


def test_admin_writes_need_committee_manage_on_top_of_model_permissions(rf):
    # A back-office account that is not MOLIT staff (the committee's own `committee.manage` rule) writes nothing.
    outsider = member().user
    outsider.is_staff = True
    outsider.is_superuser = False
    request = rf.get("/")
    request.user = outsider

    for model in (Meeting, CommitteeMember, Rubric, Minutes):
        model_admin = site._registry[model]
        assert model_admin.has_change_permission(request) is False
    assert site._registry[Meeting].has_add_permission(request) is False
    assert site._registry[Meeting].has_delete_permission(request) is False


def test_admin_decision_rule_add_goes_through_the_service_and_is_audited(desk, officer):
    response = desk.post("/admin/committee/decisionrule/add/", {
        "name": "Two thirds of votes", "basis": "threshold", "threshold_votes": "16", "quorum_fraction": "0.50",
        "require_co_chair": "on",
    })

    assert response.status_code == 302
    rule = DecisionRule.objects.get(name="Two thirds of votes")
    assert (rule.basis, rule.threshold_votes, rule.is_default) == ("threshold", 16, False)
    entry = AuditEntry.objects.get(action="rule.create")
    assert (entry.actor, entry.target_id) == (officer, str(rule.pk))


def test_admin_decision_rule_threshold_without_its_number_is_refused(desk):
    response = desk.post("/admin/committee/decisionrule/add/", {
        "name": "Broken", "basis": "threshold", "threshold_votes": "", "quorum_fraction": "0.50",
    })

    assert response.status_code == 200
    assert "Give the number of votes this rule needs." in response.content.decode()
    assert not DecisionRule.objects.filter(name="Broken").exists()

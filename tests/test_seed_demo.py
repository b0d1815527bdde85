import io
import re

import holidays
import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEntry
from consulting.selectors import proposal_has_filed_report
from core.demo import demo_builders
from notifications.models import OutboxEmail
from proposals import demo
from proposals.attachments import detect_type
from proposals.models import CooperationCentre, Cycle, Holiday, Programme, Proposal, ServiceLevel, Track
from proposals.services import SEOUL, cycle_year_for
from proposals.workflow import Status

DEMO_EMAILS = [
    "applicant.id@example.org", "applicant.ke@example.org", "staff@example.org", "consultant@example.org",
    "member@example.org", "centre@example.org", "admin@example.org",
]


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(debug_on):
    _seed()
    first = _row_counts()

    output = _seed()

    assert _row_counts() == first
    assert "Demo accounts (password: kcity-demo-2026, demo mode only)" in output
    for email in DEMO_EMAILS:
        assert email in output


@pytest.mark.django_db
def test_seed_demo_creates_the_programmes_centres_and_calendar(debug_on):
    _seed()

    kcity = Programme.objects.get(reference_prefix="KCN")
    sandbox = Programme.objects.get(reference_prefix="RSB")
    assert (kcity.cutoff_month, kcity.cutoff_day) == (4, 30)
    tracks = {t.slug: t for t in Track.objects.filter(programme=kcity)}
    assert sorted(tracks) == ["overseas-demonstration", "smart-solution-planning", "smart-urban-planning"]
    assert tracks["smart-urban-planning"].eligible_organisation_kinds == ["national", "regional", "city",
                                                                         "international"]
    assert tracks["overseas-demonstration"].eligible_organisation_kinds == ["korean_company"]
    assert tracks["overseas-demonstration"].required_attachment_kinds == [
        "official_letter", "concept_note", "consortium_agreement"
    ]
    assert all(t.pre_consulting_required for t in tracks.values())
    assert all(200_000_000 <= t.support_cap_krw <= 700_000_000 for t in tracks.values())
    sandbox_track = Track.objects.get(programme=sandbox)
    assert sandbox_track.support_cap_krw == 500_000_000
    assert sandbox_track.eligible_organisation_kinds == ["regional", "city", "korean_company"]
    current = cycle_year_for(programme=kcity, day=timezone.localdate(timezone=SEOUL))
    # and the two before, whose approvals the cooperation demo's projects came from
    assert sorted(Cycle.objects.filter(programme=kcity).values_list("year", flat=True)) == [
        current - 2, current - 1, current, current + 1]
    assert sorted(Cycle.objects.filter(programme=sandbox).values_list("year", flat=True)) == [current, current + 1]
    assert sorted(CooperationCentre.objects.values_list("country", flat=True)) == [
        "CO", "ID", "KE", "PH", "PL", "SA", "TH"
    ]
    jakarta = CooperationCentre.objects.get(country="ID")
    assert jakarta.email == "kotra-jakarta@example.org"
    assert list(jakarta.staff.values_list("email", flat=True)) == ["centre@example.org"]
    levels = {s.status: (s.days, s.working_days, s.next_step) for s in ServiceLevel.objects.all()}
    assert levels == {
        "submitted": (10, True, "First response from the secretariat"),
        "screening": (20, True, "Screening result"),
        "info_requested": (30, False, "Your answer to the information request"),
        "pre_consulting": (30, True, "Pre-consulting session and report"),
        "committee_review": (60, True, "Committee decision"),
    }
    year = timezone.localdate(timezone=SEOUL).year
    expected = set(holidays.KR(years=[year, year + 1]))
    assert set(Holiday.objects.values_list("date", flat=True)) == expected


@pytest.mark.django_db
def test_seed_demo_accounts_are_verified_and_have_their_roles(debug_on, client):
    _seed()

    users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    assert {email: users[email].role for email in DEMO_EMAILS} == {
        "applicant.id@example.org": Role.APPLICANT, "applicant.ke@example.org": Role.APPLICANT,
        "staff@example.org": Role.STAFF, "consultant@example.org": Role.CONSULTANT,
        "member@example.org": Role.COMMITTEE_MEMBER, "centre@example.org": Role.CENTRE_STAFF,
        "admin@example.org": Role.STAFF,
    }
    for email in DEMO_EMAILS:
        assert EmailAddress.objects.filter(user=users[email], email=email, verified=True, primary=True).exists()
    assert str(users["applicant.id@example.org"].time_zone) == "Asia/Jakarta"
    assert str(users["applicant.ke@example.org"].time_zone) == "Africa/Nairobi"
    assert users["applicant.id@example.org"].organisation.name == "Surabaya City Government"
    assert users["applicant.ke@example.org"].organisation.kind == "regional"
    staff = users["staff@example.org"]
    assert (staff.is_staff, staff.is_superuser, staff.language) == (True, False, "ko")
    assert list(staff.groups.values_list("name", flat=True)) == ["Secretariat"]
    assert staff.has_perm("proposals.change_track")
    assert staff.has_perm("accounts.view_organisation")
    assert users["admin@example.org"].is_superuser


@pytest.mark.django_db
def test_seed_demo_accounts_sign_in_with_the_demo_password(debug_on, client):
    _seed()

    for email in DEMO_EMAILS:
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": "kcity-demo-2026"})
        assert response.status_code == 302, email
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


@pytest.mark.django_db
def test_seed_demo_staff_opens_the_back_office(debug_on, client):
    _seed()
    client.force_login(User.objects.get(email="staff@example.org"))

    response = client.get("/admin/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_seed_demo_proposals_went_through_the_services(debug_on):
    _seed()

    proposals = {p.title: p for p in Proposal.objects.filter(title__in=[spec.title for spec in demo.PROPOSALS])}
    committee_bound = proposals["Nakuru County integrated water and energy master plan"]
    assert {title: p.status for title, p in proposals.items()} == {
        "Surabaya waste-to-energy feasibility study": Status.WITHDRAWN,
        "Surabaya smart mobility and flood resilience master plan": Status.INFO_REQUESTED,
        "Surabaya smart street-lighting plan": Status.DRAFT,
        "Nakuru County integrated water and energy master plan": (
            Status.COMMITTEE_REVIEW if proposal_has_filed_report(proposal=committee_bound) else Status.PRE_CONSULTING
        ),
        "Naivasha smart mobility data platform": Status.SCREENING,
        "Nakuru City digital twin for urban planning": Status.SUBMITTED,
        "Gilgil smart street safety plan": Status.DRAFT,
    }
    submitted = [p for p in proposals.values() if p.status != Status.DRAFT]
    year = timezone.localdate(timezone=SEOUL).year
    assert all(re.fullmatch(rf"KCN-{year}-\d{{4}}", p.reference) for p in submitted)
    assert len({p.reference for p in submitted}) == 5
    assert all(p.cycle is not None for p in submitted)
    assert [p.title for p in submitted if p.due_at is None] == ["Surabaya waste-to-energy feasibility study"]
    info = proposals["Surabaya smart mobility and flood resilience master plan"]
    assert list(info.status_changes.values_list("to_status", flat=True)) == ["submitted", "screening",
                                                                            "info_requested"]
    assert info.messages.get().author.email == "staff@example.org"
    # The five K-City demo proposals and the sandbox's one the committee demo decides at its held meeting.
    assert AuditEntry.objects.filter(action="proposal.submit").count() == 6
    assert OutboxEmail.objects.filter(event="proposal_acknowledged").count() == 6
    for attachment in info.attachments.all():
        with attachment.file.open("rb") as stored:
            assert detect_type(stored) == "application/pdf"
    assert sorted(info.attachments.values_list("kind", flat=True)) == ["concept_note", "official_letter"]


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        _seed()

    assert Programme.objects.count() == 0
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    _seed(force=True)

    assert Programme.objects.count() == 2


def test_demo_builders_are_the_project_apps_demo_modules_in_order():
    project_apps = {"kcity", "audit", "accounts", "notifications", "proposals", "consulting", "committee",
                    "cooperation"}

    modules = [builder.build.__module__ for builder in demo_builders()]

    assert all(m.endswith(".demo") and m.removesuffix(".demo") in project_apps for m in modules)
    assert modules == ["proposals.demo", "consulting.demo", "committee.demo", "cooperation.demo", "proposals.demo"]

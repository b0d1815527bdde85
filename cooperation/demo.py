"""Demo cooperation projects (seed_demo, after the committee's demo): approvals of earlier selection cycles, each
opened through the real project_open and moved on with the real services.

- "just_opened": Surabaya (applicant.id's city government), opened days ago, still in the pipeline.
- "midway": Nakuru County (applicant.ke's), in implementation for six months, with a Korean engineering firm and a
  consortium member implementing, and contractor@example.org on its staff.
- "closed": Medellín (a third country, Colombia), implemented and closed last year.

`DEMO_PROJECTS` maps those keys to the proposal titles; `demo_project(key)` finds the project, so the other
concepts' demo builders can add milestones, reports and meetings to the same three. Idempotent: a project that
exists is left as it is."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from cooperation.demo_meetings import seed_meetings
from cooperation.demo_plan import seed_plan
from cooperation.demo_reports import seed_reports
from cooperation.models import ActivityStatus, Project, ProjectMember
from cooperation.services import (
    contractor_invite,
    document_add,
    document_publish,
    message_post,
    participant_add,
    project_open,
    project_save,
    project_status_change,
)
from core.demo import demo_user
from proposals.demo import pdf_bytes
from proposals.models import CooperationCentre, Cycle, Programme, Proposal, ReferenceCounter, Track
from proposals.services import SEOUL, cycle_year_for
from proposals.workflow import Status

DEMO_PROJECTS = {
    "just_opened": "Surabaya integrated city operations centre plan",
    "midway": "Nakuru County smart water metering and leak detection plan",
    "closed": "Medellín smart mobility master plan",
}

SPECS = {
    "just_opened": dict(owner="applicant.id@example.org", track="smart-urban-planning", years_back=1, number=901,
                        country="ID", city="Surabaya", amount=550_000_000, months=12,
                        objectives="One operations centre for traffic, flood and emergency data of the city.",
                        conditions="The city provides the operations-centre building and two data officers.",
                        ko="수라바야 통합 도시운영센터 계획"),
    "midway": dict(owner="applicant.ke@example.org", track="smart-solution-planning", years_back=1, number=902,
                   country="KE", city="Nakuru County", amount=480_000_000, months=14,
                   objectives="Halve non-revenue water with smart meters and acoustic leak detection.",
                   conditions="The county water company shares its network data before the inception report.",
                   ko="나쿠루 카운티 스마트 수도계량 및 누수탐지 계획"),
    "closed": dict(owner="applicant.co@example.org", track="smart-urban-planning", years_back=2, number=903,
                   country="CO", city="Medellín", amount=600_000_000, months=10,
                   objectives="A mobility master plan joining the metro, cable cars and bus corridors.",
                   conditions="", ko="메데인 스마트 모빌리티 마스터플랜"),
}


def demo_project(key: str) -> Project | None:
    """The demo project under `key` ("just_opened", "midway", "closed"), or None before seed_demo made it."""
    return Project.objects.filter(proposal__title=DEMO_PROJECTS[key]).select_related("proposal").first()


def _medellin_owner() -> User:
    organisation, _c = Organisation.objects.get_or_create(
        name="Alcaldía de Medellín", country="CO",
        defaults={"kind": OrganisationKind.CITY, "region_city": "Medellín", "website": "https://medellin.example.org"})
    user = demo_user(email="applicant.co@example.org", full_name="Camila Restrepo", role=Role.APPLICANT,
                     language="en", time_zone="America/Bogota", note=str(organisation))
    Membership.objects.get_or_create(user=user, organisation=organisation,
                                     defaults={"level": Membership.Level.ADMIN})
    return user


def _approved_proposal(key: str, spec: dict, programme: Programme) -> Proposal:
    """An earlier cycle's approved proposal (the committee of that year decided it before the portal's records)."""
    owner = User.objects.get(email=spec["owner"])
    organisation = owner.organisation
    year = cycle_year_for(programme=programme, day=timezone.localdate(timezone=SEOUL)) - spec["years_back"]
    cycle, _c = Cycle.objects.get_or_create(
        programme=programme, year=year,
        defaults={"cutoff": programme.default_cutoff(year)})
    released = timezone.now() - datetime.timedelta(days={"just_opened": 6, "midway": 190, "closed": 560}[key])
    # The reference is taken from that year's counter as a submission would, so no later proposal is given it again.
    counter, _c = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=programme.reference_prefix, year=year)
    if counter.last_number < spec["number"]:
        counter.last_number = spec["number"]
        counter.save(update_fields=["last_number"])
    return Proposal.objects.create(
        track=Track.objects.get(programme=programme, slug=spec["track"]), organisation=organisation, owner=owner,
        status=Status.APPROVED, reference=f"{programme.reference_prefix}-{year}-{spec['number']:04d}",
        cycle=cycle, cooperation_centre=CooperationCentre.objects.filter(country=spec["country"]).first(),
        title=DEMO_PROJECTS[key], country=spec["country"], region_city=spec["city"], jurisdiction_level="city",
        lead_organisation=organisation.name, objectives=spec["objectives"], duration_months=spec["months"],
        requested_support_krw=spec["amount"], consent=True, submitted_at=released - datetime.timedelta(days=120),
        status_changed_at=released, decision_released_at=released,
    )


def _open(key: str, *, programme: Programme, staff: User) -> Project:
    spec = SPECS[key]
    proposal = _approved_proposal(key, spec, programme)
    project = project_open(proposal=proposal, support_amount_krw=spec["amount"], conditions=spec["conditions"],
                           by=staff)
    project.translations = {"ko": {"title": spec["ko"]}}
    return project_save(project=project, by=staff, changed=["translations"])


def _midway(project: Project, staff: User) -> None:
    project_status_change(project=project, to=ActivityStatus.IMPLEMENTATION, by=staff)
    firm = participant_add(project=project, by=staff, name="Dohwa Engineering", share_krw=330_000_000,
                           iati_ref="KR-CRN-1108100000")
    participant_add(project=project, by=staff, name="K-water Consulting", share_krw=150_000_000)
    contractor = demo_user(email="contractor@example.org", full_name="Choi Hyun-woo", role=Role.CONTRACTOR,
                           time_zone="Asia/Seoul", note=f"{firm.name}, on “{project.title}”")
    if not ProjectMember.objects.filter(project=project, user=contractor).exists():
        contractor_invite(project=project, participant=firm, email=contractor.email, by=staff)
    document_add(project=project, by=contractor, title="Inception report", category="report",
                 upload=SimpleUploadedFile("inception-report.pdf",
                                           pdf_bytes(project.title, "Inception report", "Dohwa Engineering"),
                                           content_type="application/pdf"))
    partner = User.objects.get(email="applicant.ke@example.org")
    message_post(project=project, by=contractor,
                 body="The inception report is on the documents tab. Could the county share the network GIS layers?")
    message_post(project=project, by=partner, body="Yes: the water company sends them this week.")
    # Six months in: the dates the transitions set today are moved back to the project's real history.
    started = timezone.localdate() - datetime.timedelta(days=180)
    Project.objects.filter(pk=project.pk).update(actual_start=started, planned_start=started,
                                                 planned_end=started + datetime.timedelta(days=14 * 30))


def _closed(project: Project, staff: User) -> None:
    participant_add(project=project, by=staff, name="Seoul Urban Solutions", share_krw=600_000_000)
    # The plan's summary, uploaded while the project is open, is public: the open register (opendata) serves it.
    pdf = pdf_bytes("Medellin smart mobility master plan", "Master plan summary", "Seoul Urban Solutions")
    summary = document_add(project=project, by=staff, title="Mobility master plan: summary", category="general",
                           upload=SimpleUploadedFile("medellin-mobility-master-plan-summary.pdf", pdf,
                                                     content_type="application/pdf"))
    document_publish(document=summary, public=True, by=staff)
    for target in (ActivityStatus.IMPLEMENTATION, ActivityStatus.FINALISATION, ActivityStatus.CLOSED):
        project_status_change(project=project, to=target, by=staff)
    started = timezone.localdate() - datetime.timedelta(days=540)
    Project.objects.filter(pk=project.pk).update(
        planned_start=started, planned_end=started + datetime.timedelta(days=300), actual_start=started,
        actual_end=started + datetime.timedelta(days=320))


def seed(*, stdout=None) -> None:
    staff = User.objects.filter(email="staff@example.org").first()
    programme = Programme.objects.filter(slug="kcity").first()
    if staff is None or programme is None:
        return
    made = []
    with transaction.atomic():
        _medellin_owner()
        for key in DEMO_PROJECTS:
            if demo_project(key) is not None:
                if key == "midway":  # the contractor's account is listed in seed_demo's table every run
                    demo_user(email="contractor@example.org", full_name="Choi Hyun-woo", role=Role.CONTRACTOR,
                              time_zone="Asia/Seoul", note="Dohwa Engineering")
                continue
            project = _open(key, programme=programme, staff=staff)
            {"midway": _midway, "closed": _closed}.get(key, lambda *a: None)(project, staff)
            made.append(key)
    if stdout is not None:
        stdout.write(f"  cooperation: {len(made)} demo projects opened ({', '.join(made) or 'all there already'})")
    # Each concept adds its part to the demo projects (each builder is idempotent on its own).
    projects = {key: project for key in DEMO_PROJECTS if (project := demo_project(key)) is not None}
    contractor = User.objects.filter(email="contractor@example.org").first()
    partner = User.objects.filter(email="applicant.ke@example.org").first()
    with transaction.atomic():
        seed_plan(projects, staff, stdout=stdout)
        if contractor is not None and partner is not None:
            seed_reports(projects, staff, contractor, partner)
        if partner is not None:
            seed_meetings(projects, staff, partner)

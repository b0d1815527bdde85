"""Demo data of the committee, loaded by `manage.py seed_demo` after the proposals app's own (idempotent).

The National Smart City Committee: 24 members (10 government, 14 private) with two co-chairs, the Minister of
MOLIT and a private professor; member@example.org (Lee Soo-jin, made by the proposals demo) is one of the private
members. The K-City rubric, and a meeting of the current cycle whose agenda holds the proposals in committee review.

And a meeting already held, under the rules a decision must meet: the regulatory sandbox's review meeting a week
ago, opened on its date, with its attendance recorded while open, an in-room count that meets the default rule
(a majority of the members present) and its final minutes. Its proposal (Daegu Jung-gu's demand-responsive
automated shuttle) is the sandbox's, so the K-City proposals keep the states the proposals demo gives them; the
decision letter waits for staff to review and send.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from committee import services
from committee.models import Assignment, CommitteeMember, Criterion, Meeting, MemberKind, Outcome, Rubric
from committee.schedules import schedules_ensure
from core.demo import accounts_table, demo_user
from proposals import services as proposal_services
from proposals.cycles import SEOUL
from proposals.demo import pdf_bytes, proposals_seed
from proposals.models import Programme, Proposal, Track
from proposals.services import cycle_for_date
from proposals.workflow import Status

TERM_START = datetime.date(2025, 1, 1)
TERM_END = datetime.date(2027, 12, 31)

# (e-mail, name, kind, affiliation, expertise, co-chair)
MEMBERS = [
    ("minister@example.org", "Park Sang-woo", MemberKind.GOVERNMENT, "Minister of Land, Infrastructure and Transport",
     "Urban policy", True),
    ("cochair.private@example.org", "Prof. Han Ye-rin", MemberKind.PRIVATE, "KAIST, Graduate School of Urban Studies",
     "Smart-city planning", True),
    ("member@example.org", "Lee Soo-jin", MemberKind.PRIVATE, "Seoul National University",
     "Urban mobility and data platforms", False),
    *[
        (f"committee.gov{n:02d}@example.org", name, MemberKind.GOVERNMENT, affiliation, expertise, False)
        for n, (name, affiliation, expertise) in enumerate([
            ("Choi Dong-hyun", "Ministry of Economy and Finance", "ODA budgeting"),
            ("Jung Hae-won", "Ministry of Foreign Affairs", "Development cooperation"),
            ("Kang Min-seo", "Ministry of Science and ICT", "Digital government"),
            ("Yoon Jae-hoon", "Ministry of Environment", "Water and waste"),
            ("Lim Seo-yeon", "Ministry of Trade, Industry and Energy", "Energy systems"),
            ("Shin Ho-jin", "Ministry of the Interior and Safety", "Public safety"),
            ("Oh Ji-hye", "Korea International Cooperation Agency (KOICA)", "ODA programming"),
            ("Hwang Tae-min", "Korea Land and Housing Corporation (LH)", "New-town development"),
            ("Seo Yu-na", "Korea Agency for Infrastructure Technology Advancement", "Infrastructure R&D"),
        ], start=1)
    ],
    *[
        (f"committee.pvt{n:02d}@example.org", name, MemberKind.PRIVATE, affiliation, expertise, False)
        for n, (name, affiliation, expertise) in enumerate([
            ("Bae Jun-ho", "Yonsei University", "Transport engineering"),
            ("Kwon Na-rae", "Korea University", "Urban economics"),
            ("Song Min-ji", "Korea Research Institute for Human Settlements", "Spatial planning"),
            ("Jang Woo-jin", "Korea Transport Institute", "Mobility services"),
            ("Ahn Ji-won", "Korea Environment Institute", "Climate adaptation"),
            ("Yoo Seung-hyun", "Korea Smart City Association", "Industry partnerships"),
            ("Moon Ha-eun", "Sungkyunkwan University", "Data platforms and digital twins"),
            ("Ko Dae-sung", "Hanyang University", "Energy grids"),
            ("Nam Ye-jin", "Ewha Womans University", "Inclusive urban design"),
            ("Ryu Sung-min", "Korea Development Institute", "Project finance"),
            ("Jeon Hye-jin", "Korea Institute of Civil Engineering and Building Technology", "Water systems"),
            ("Cha Eun-woo", "Korea Institute for Industrial Economics and Trade", "Overseas market entry"),
        ], start=1)
    ],
]

KCITY_RUBRIC = [
    ("Feasibility and site readiness", "Is the site available, the data in hand, the plan realistic in time?",
     Decimal("20")),
    ("Expected impact for the city", "How much will residents and the city's services gain?", Decimal("20")),
    ("Partner government commitment", "Official letter, counterpart staff, co-financing, policy backing.",
     Decimal("15")),
    ("Fit of Korean solutions and follow-on potential for Korean firms",
     "Do Korean solutions fit the need; could Korean firms follow on with projects?", Decimal("15")),
    ("ODA linkage potential", "Could the plan lead to ODA-funded implementation?", Decimal("15")),
    ("Budget realism", "Is the requested support within the cap and justified by the work?", Decimal("15")),
]


def _members(stdout) -> list[CommitteeMember]:
    members = []
    for email, name, kind, affiliation, expertise, co_chair in MEMBERS:
        existed = User.objects.filter(email=email).exists()
        user = demo_user(email=email, full_name=name, role=Role.COMMITTEE_MEMBER, language="ko",
                         time_zone="Asia/Seoul", note="Committee co-chair" if co_chair else "Committee member")
        if not co_chair and email != "member@example.org" and accounts_table and accounts_table[-1][0] == email:
            accounts_table.pop()  # the printed table lists the co-chairs and member@example.org, not all 24
        if existed and user.role != Role.COMMITTEE_MEMBER:
            continue
        member, _created = CommitteeMember.objects.get_or_create(user=user, defaults={
            "kind": kind, "affiliation": affiliation, "expertise": expertise, "is_co_chair": co_chair,
            "term_start": TERM_START, "term_end": TERM_END, "country": "KR",
        })
        members.append(member)
    if stdout:
        stdout.write(f"  committee: {CommitteeMember.objects.count()} members "
                     f"({CommitteeMember.objects.filter(kind=MemberKind.GOVERNMENT).count()} government)")
    return members


def _rubric(programme: Programme) -> Rubric:
    rubric, _created = Rubric.objects.get_or_create(programme=programme, defaults={"name": "K-City Network rubric"})
    if not rubric.criteria.exists():
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, name=name, description=text, weight=weight, order=order)
            for order, (name, text, weight) in enumerate(KCITY_RUBRIC)
        )
    return rubric


HELD_TITLE = "Regulatory sandbox committee: {year} review meeting"
SHUTTLE_TITLE = "Jung-gu demand-responsive automated shuttle"
SHUTTLE = {
    "country": "KR", "region_city": "Jung-gu, Daegu", "jurisdiction_level": "city", "population": 75_000,
    "consent": True, "city_context": "Daegu's old city centre: narrow streets, an ageing population, few buses.",
    "national_plan_fit": "A regulatory sandbox project under the Smart City Act, in Daegu's smart mobility plan.",
    "problem_statement": "Residents over 65 cannot reach the hospitals and markets of the centre by bus.",
    "solution_categories": ["mobility"], "duration_months": 12,
    "proposed_solutions": "Automated shuttles called on demand, with a safety driver, on a 4 km loop.",
    "objectives": "A ride within 10 minutes for every resident of the loop.",
    "expected_outcomes": "Six months of service data for the road-traffic rules the sandbox suspends.",
    "requested_support_krw": 450_000_000,
    # The sandbox's consortium rule: the local government with the companies that bring the technology.
    "partner_organisations": "Autonomous a2z (automated shuttles); KT (5G network and operations centre)",
}


def _held_meeting(staff: User, members: list[CommitteeMember], stdout) -> Meeting | None:
    """The sandbox's review meeting of a week ago, held under the rules (see the module's docstring)."""
    programme = Programme.objects.filter(slug="sandbox").first()
    track = Track.objects.filter(programme=programme, slug="sandbox-demonstration").first()
    if programme is None or track is None or len(members) < 13:
        return None
    cycle = cycle_for_date(programme=programme, when=timezone.now())
    title = HELD_TITLE.format(year=cycle.year)
    existing = Meeting.objects.filter(programme=programme, title=title).first()
    if existing is not None:
        return existing
    organisation, _created = Organisation.objects.get_or_create(
        name="Jung-gu Office, Daegu", country="KR",
        defaults={"kind": OrganisationKind.CITY, "region_city": "Jung-gu, Daegu",
                  "website": "https://junggu.example.org"},
    )
    owner = demo_user(email="applicant.kr@example.org", full_name="Choi Eun-ji", role=Role.APPLICANT,
                      language="ko", time_zone="Asia/Seoul", note=str(organisation))
    Membership.objects.get_or_create(user=owner, organisation=organisation,
                                     defaults={"level": Membership.Level.ADMIN})
    proposal = Proposal.objects.filter(title=SHUTTLE_TITLE, organisation=organisation).first()
    if proposal is None:
        proposal = proposal_services.proposal_create(by=owner, track=track, title=SHUTTLE_TITLE,
                                                     organisation=organisation)
        proposal = proposal_services.proposal_update(proposal=proposal, by=owner, data=SHUTTLE,
                                                     expected_version=proposal.version)
        proposal_services.proposal_contacts_set(proposal=proposal, by=owner, contacts=[dict(
            name="Choi Eun-ji", position="Smart City Team Leader", email="applicant.kr@example.org",
            phone="+82 53 000 0000")])
        for kind in track.required_attachment_kinds:
            content = pdf_bytes(organisation.name, SHUTTLE_TITLE, kind.replace("_", " ").title(), "Sandbox demo")
            proposal_services.attachment_add(proposal=proposal, by=owner, kind=kind, upload=SimpleUploadedFile(
                f"{kind}.pdf", content, content_type="application/pdf"))
        proposal_services.proposal_submit(proposal=proposal, by=owner)
        for status in (Status.SCREENING, Status.COMMITTEE_REVIEW):
            proposal_services.proposal_transition(proposal=proposal, to=status, by=staff)
        proposal.refresh_from_db()
    if proposal.status != Status.COMMITTEE_REVIEW or proposal.cycle_id != cycle.pk:
        return None
    starts = (timezone.now() - datetime.timedelta(days=7)).astimezone(SEOUL).replace(
        hour=10, minute=0, second=0, microsecond=0)
    meeting = services.meeting_create(
        programme=programme, cycle=cycle, by=staff, starts_at=starts, title=title,
        place="Government Complex Sejong, MOLIT conference room 2",
    )
    services.agenda_item_add(meeting=meeting, proposal=proposal, by=staff)
    meeting = services.meeting_open(meeting=meeting, by=staff, now=starts + datetime.timedelta(minutes=5))
    co_chairs = [m for m in members if m.is_co_chair]
    present = [*co_chairs, *[m for m in members if not m.is_co_chair][:17]]  # 19 of 24
    services.attendance_record(meeting=meeting, present=present, by=staff)
    # 19 eligible present: the default rule needs 10 votes for an approval.
    services.decision_record(
        meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=16, votes_against=2,
        votes_abstain=1, support_amount_krw=450_000_000,
        conditions="Keep a safety driver on board for the whole trial; publish the incident log every month.",
    )
    services.meeting_close(meeting=meeting, by=staff, now=starts + datetime.timedelta(hours=3))
    services.minutes_finalise(minutes=services.minutes_generate(meeting=meeting, by=staff), by=staff)
    if stdout:
        stdout.write(f"  committee: held meeting “{title}”, 1 decision (16 for of 19 present; needed 10)")
    return meeting


def seed(stdout=None) -> None:
    staff = User.objects.filter(email="staff@example.org").first()
    programme = Programme.objects.filter(slug="kcity").first()
    if staff is None or programme is None:
        return
    proposals_seed(stdout=None)  # move demo proposals that other apps' data has unblocked (idempotent)
    with transaction.atomic():
        members = _members(stdout)
        _rubric(programme)
        _held_meeting(staff, members, stdout)
        schedules_ensure()
        cycle = cycle_for_date(programme=programme, when=timezone.now())
        meeting = Meeting.objects.filter(cycle=cycle, title__startswith="National Smart City Committee").first()
        if meeting is None:
            starts = (timezone.now() + datetime.timedelta(days=21)).replace(hour=5, minute=0, second=0, microsecond=0)
            meeting = services.meeting_create(
                programme=programme, cycle=cycle, by=staff, starts_at=starts,
                title=f"National Smart City Committee: {cycle.year} selection meeting",
                place="Government Complex Sejong, MOLIT conference room 1",
                video_link="https://meet.example.org/kcity-committee",
            )
        waiting = Proposal.objects.filter(
            status=Status.COMMITTEE_REVIEW, cycle=cycle, track__programme=programme
        ).exclude(agenda_items__meeting=meeting)
        for proposal in waiting:
            services.agenda_item_add(meeting=meeting, proposal=proposal, by=staff)
            if not Assignment.objects.filter(proposal=proposal).exists():
                lee = CommitteeMember.objects.filter(user__email="member@example.org").first()
                reviewers = services.assignment_suggest(proposal=proposal)
                if lee and lee not in reviewers:
                    reviewers = [lee, *reviewers[:-1]]
                for reviewer in reviewers:
                    services.assignment_create(proposal=proposal, member=reviewer, by=staff)
    if stdout:
        stdout.write(f"  committee: meeting “{meeting.title}” with {meeting.agenda_items.count()} agenda items")

"""Demo data of the proposals and accounts apps, loaded by `manage.py seed_demo`.

Everything is looked up before it is created, so a second run changes nothing. Demo proposals are made through
the same services a person uses (create, update, contacts, attachments, submit, transition, request information),
so their references, timelines, notices, outbox e-mails and audit rows are real.

The people are made with core.demo's `demo_user()` (so they appear in the table `seed_demo` prints). The app
registers two builders in its AppConfig.ready(): `seed` first, and `proposals_unblocked_seed` after every other
app's, for the steps that waited on their data.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from accounts.secretariat import secretariat_group_sync
from core.demo import demo_user
from core.errors import DomainError
from proposals import services
from proposals.holiday_calendar import holidays_load
from proposals.models import (
    AssignmentRule,
    CooperationCentre,
    Cycle,
    InfoRequestTemplate,
    Programme,
    Proposal,
    ServiceLevel,
    Track,
)
from proposals.workflow import Status

GOVERNMENTS = [OrganisationKind.NATIONAL, OrganisationKind.REGIONAL, OrganisationKind.CITY,
               OrganisationKind.INTERNATIONAL]

# --- small real PDFs ---------------------------------------------------------------------------------------


def pdf_bytes(*lines: str) -> bytes:
    """A valid one-page PDF showing `lines` (ASCII), with a correct cross-reference table."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({escape(line)}) Tj 0 -20 Td" for line in lines)
    content = f"BT /F1 12 Tf 72 770 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- people ------------------------------------------------------------------------------------------------


def _secretariat_group() -> Group:
    """The group accounts/0002 made; synced again only because a test database may have been flushed."""
    return secretariat_group_sync(apps)


def _organisation(*, name: str, country: str, kind: str, region_city: str, website: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name=name, country=country, defaults={"kind": kind, "region_city": region_city, "website": website}
    )
    return organisation


def _member(user: User, organisation: Organisation) -> None:
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"level": Membership.Level.ADMIN})


# --- programmes --------------------------------------------------------------------------------------------

KCITY_DESCRIPTION = (
    "MOLIT's K-City Network helps foreign governments adopt Korean smart-city models: urban development plans "
    "(master plans, feasibility studies) and overseas demonstrations of Korean smart-city solutions. Proposals are "
    "welcome on any day; a proposal received by April 30 is reviewed in that year's selection cycle, a later one "
    "in the next. Support pays for planning, training and consulting by Korean contractors, never construction, "
    "and is never paid to the applicant."
)
SANDBOX_DESCRIPTION = (
    "MOLIT's regulatory sandbox for regionally-led smart cities: a Korean local government and companies with "
    "innovative technology demonstrate a service that current rules do not yet allow. Up to KRW 500 million of "
    "demonstration cost per project."
)

TRACKS = {
    "kcity": [
        dict(slug="smart-urban-planning", order=1, name="Smart Urban planning", support_cap_krw=700_000_000,
             eligible_organisation_kinds=GOVERNMENTS, required_attachment_kinds=["official_letter", "concept_note"],
             applicant_country_rule="outside_korea", site_country_rule="outside_korea",
             description="A city-wide smart-city plan that combines several solutions: master plan or feasibility "
                         "study prepared with Korean experts."),
        dict(slug="smart-solution-planning", order=2, name="Smart Solution planning", support_cap_krw=500_000_000,
             eligible_organisation_kinds=GOVERNMENTS, required_attachment_kinds=["official_letter", "concept_note"],
             applicant_country_rule="outside_korea", site_country_rule="outside_korea",
             description="A plan for one solution: mobility, energy, water, safety, a data platform and the like."),
        dict(slug="overseas-demonstration", order=3, name="Overseas demonstration", support_cap_krw=700_000_000,
             eligible_organisation_kinds=[OrganisationKind.KOREAN_COMPANY],
             required_attachment_kinds=["official_letter", "concept_note", "consortium_agreement"],
             applicant_country_rule="korea_only", site_country_rule="outside_korea", consortium_required=True,
             consortium_description="A Korean company leads a consortium with an overseas public partner (a "
                                    "national, regional or city government); foreign companies may join without "
                                    "subsidy.",
             description="A Korean company leads a consortium with an overseas public partner and demonstrates "
                         "its solution on site. Foreign companies may join but receive no subsidy."),
    ],
    "sandbox": [
        dict(slug="sandbox-demonstration", order=1, name="Regulatory sandbox demonstration",
             support_cap_krw=500_000_000, pre_consulting_required=False,
             eligible_organisation_kinds=[OrganisationKind.REGIONAL, OrganisationKind.CITY,
                                          OrganisationKind.KOREAN_COMPANY],
             required_attachment_kinds=["concept_note", "consortium_agreement"],
             applicant_country_rule="korea_only", site_country_rule="korea_only", consortium_required=True,
             consortium_description="A Korean local government with at least one company that brings the "
                                    "innovative technology.",
             description="A Korean local government and its partner companies demonstrate an innovative urban "
                         "service under a temporary exemption from regulation."),
    ],
}


def _programmes() -> dict[str, Programme]:
    kcity, _c = Programme.objects.get_or_create(
        slug="kcity", defaults={"name": "K-City Network", "reference_prefix": "KCN", "description": KCITY_DESCRIPTION,
                                "cutoff_month": 4, "cutoff_day": 30},
    )
    sandbox, _c = Programme.objects.get_or_create(
        slug="sandbox", defaults={"name": "Regulatory sandbox for regionally-led smart cities",
                                  "reference_prefix": "RSB", "description": SANDBOX_DESCRIPTION,
                                  "cutoff_month": 4, "cutoff_day": 30},
    )
    programmes = {"kcity": kcity, "sandbox": sandbox}
    for key, tracks in TRACKS.items():
        for spec in tracks:
            defaults = {"pre_consulting_required": True, **{k: v for k, v in spec.items() if k != "slug"}}
            Track.objects.get_or_create(programme=programmes[key], slug=spec["slug"], defaults=defaults)
        current = services.cycle_for_date(programme=programmes[key], when=timezone.now())
        following, _c = Cycle.objects.get_or_create(
            programme=programmes[key], year=current.year + 1,
            defaults={"cutoff": programmes[key].default_cutoff(current.year + 1)},
        )
        # The committee meets after each cut-off; applicants in committee review are told this date.
        for cycle in (current, following):
            if cycle.decision_date is None:
                Cycle.objects.filter(pk=cycle.pk).update(decision_date=datetime.date(cycle.year, 7, 15))
    return programmes


CENTRES = [
    ("Jakarta", "ID", ["ID", "TL"]),
    ("Bangkok", "TH", ["TH", "LA", "KH", "MM"]),
    ("Manila", "PH", ["PH"]),
    ("Riyadh", "SA", ["SA", "BH", "KW", "OM", "QA"]),
    ("Nairobi", "KE", ["KE", "TZ", "UG", "RW", "ET"]),
    ("Bogotá", "CO", ["CO", "EC", "PA"]),
    ("Warsaw", "PL", ["PL", "LT", "LV", "EE"]),
]


def _centres() -> dict[str, CooperationCentre]:
    centres = {}
    for city, country, covered in CENTRES:
        slug = city.lower().replace("á", "a")
        centres[country], _c = CooperationCentre.objects.get_or_create(
            name=f"KOTRA {city} Trade Center",
            defaults={"city": city, "country": country, "covered_countries": covered,
                      "email": f"kotra-{slug}@example.org"},
        )
    return centres


SERVICE_LEVELS = [
    (Status.SUBMITTED, 10, True, "First response from the secretariat"),
    (Status.SCREENING, 20, True, "Screening result"),
    (Status.INFO_REQUESTED, 30, False, "Your answer to the information request"),
    (Status.PRE_CONSULTING, 30, True, "Pre-consulting session and report"),
    (Status.COMMITTEE_REVIEW, 60, True, "Committee decision"),
]


def _service_levels_and_holidays() -> None:
    for status, days, working_days, next_step in SERVICE_LEVELS:
        ServiceLevel.objects.get_or_create(
            status=status, defaults={"days": days, "working_days": working_days, "next_step": next_step}
        )
    year = timezone.localdate(timezone=services.SEOUL).year
    holidays_load(years=[year, year + 1])


# Requests for information the secretariat sends often (staff pick one and edit it before sending).
INFO_REQUEST_TEMPLATES = [
    ("Official request letter", "Please attach the official request letter, signed by the head of your "
     "government or an authorised deputy, on letterhead."),
    ("Population figures", "Please give the population from the latest census and say which year it is from."),
    ("Co-financing", "Please describe the co-financing: who contributes, how much, and whether it is confirmed."),
]


def _secretariat_setup(staff: User) -> None:
    for order, (name, body) in enumerate(INFO_REQUEST_TEMPLATES):
        InfoRequestTemplate.objects.get_or_create(name=name, defaults={"body": body, "order": order})
    # The demo officer follows everything nobody else does (the default rule: no track, no centre).
    if not AssignmentRule.objects.filter(track__isnull=True, cooperation_centre__isnull=True).exists():
        AssignmentRule.objects.create(staff=staff)


# --- proposals ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProposal:
    organisation: str  # key into the organisations made by seed()
    track: str
    title: str
    data: dict
    contacts: list = field(default_factory=list)
    attach: bool = True
    # Steps after drafting, each one StatusChange: ("submit",), ("to", status), ("info", message), ("withdraw", why)
    steps: tuple = ()


SURABAYA = dict(country="ID", region_city="Surabaya", jurisdiction_level="city", population=2_880_000,
                area_km2=Decimal("350.54"), consent=True,
                city_context="Indonesia's second city and East Java's port, growing fast on low coastal land.",
                national_plan_fit="Part of Indonesia's 100 Smart Cities Movement and the East Java spatial plan.")
SURABAYA_CONTACTS = [dict(name="Dewi Lestari", position="Head of Development Planning (Bappeda)",
                          email="dewi.lestari@example.org", phone="+62 31 000 0000")]
NAKURU = dict(country="KE", population=2_162_202, consent=True,
              city_context="Kenya's fourth city, the Rift Valley's farming and transport hub, growing 4% a year.",
              national_plan_fit="Supports Kenya Vision 2030 and the County Integrated Development Plan 2023-2027.")
NAKURU_CONTACTS = [dict(name="James Mwangi", position="Chief Officer, Lands, Housing and Urban Planning",
                        email="james.mwangi@example.org", phone="+254 51 000 0000")]

# In this order: a withdrawn proposal frees its jurisdiction before another of the same place is submitted.
PROPOSALS = [
    DemoProposal(
        "id", "smart-solution-planning", "Surabaya waste-to-energy feasibility study",
        {**SURABAYA, "problem_statement": "1,600 tonnes of waste a day; the Benowo landfill is nearly full.",
         "solution_categories": ["environment", "energy"], "duration_months": 10,
         "proposed_solutions": "Feasibility study of a waste-to-energy plant with smart collection routing.",
         "objectives": "Choose a site and technology.", "expected_outcomes": "A bankable feasibility study.",
         "requested_support_krw": 400_000_000},
        SURABAYA_CONTACTS, steps=(("submit",), ("withdraw", "Merged into our city-wide master plan proposal.")),
    ),
    DemoProposal(
        "id", "smart-urban-planning", "Surabaya smart mobility and flood resilience master plan",
        {**SURABAYA, "problem_statement": "Daily congestion on the north-south corridor and tidal flooding of "
                                          "the northern districts several times a year.",
         "solution_categories": ["mobility", "water", "data_platform"], "duration_months": 12,
         "proposed_solutions": "Adaptive traffic signals, a bus rapid transit plan, flood sensors and an integrated "
                               "operations centre on one city data platform.",
         "objectives": "Cut peak commute times by 20% and warn residents of floods six hours ahead.",
         "expected_outcomes": "A smart-city master plan adopted by the city council, with a phased investment plan.",
         "requested_support_krw": 650_000_000, "co_financing_krw": 120_000_000,
         "co_financing_description": "City budget: staff time, data and survey costs.", "priority_rank": 1},
        SURABAYA_CONTACTS,
        steps=(("submit",), ("to", Status.SCREENING),
               ("info", "Thank you for the proposal. Please attach the city council's letter of support and say "
                        "which districts the flood sensors would cover first.")),
    ),
    DemoProposal(
        "id", "smart-solution-planning", "Surabaya smart street-lighting plan",
        {"country": "ID", "region_city": "Surabaya", "jurisdiction_level": "city",
         "problem_statement": "Old sodium street lamps use 40% of the city's electricity bill."},
        attach=False,
    ),
    DemoProposal(
        "ke", "smart-urban-planning", "Nakuru County integrated water and energy master plan",
        {**NAKURU, "region_city": "Nakuru County", "jurisdiction_level": "regional", "area_km2": Decimal("7496.50"),
         "problem_statement": "Water losses of 45% in the distribution network and frequent power cuts.",
         "solution_categories": ["water", "energy", "data_platform"], "duration_months": 14,
         "proposed_solutions": "Smart meters, leak detection, a geothermal micro-grid study and a county dashboard.",
         "objectives": "Halve water losses; reliable power for the county's industrial parks.",
         "expected_outcomes": "A county-wide master plan and three bankable projects.",
         "requested_support_krw": 700_000_000, "priority_rank": 1},
        NAKURU_CONTACTS,
        # Committee review needs a filed pre-consulting report on K-City tracks: that step waits for one.
        steps=(("submit",), ("to", Status.SCREENING), ("to", Status.PRE_CONSULTING), ("to", Status.COMMITTEE_REVIEW)),
    ),
    DemoProposal(
        "ke", "smart-solution-planning", "Naivasha smart mobility data platform",
        {**NAKURU, "region_city": "Naivasha", "jurisdiction_level": "city", "population": 198_444,
         "area_km2": Decimal("145.00"),
         "problem_statement": "Freight traffic to the inland container depot jams the town centre.",
         "solution_categories": ["mobility", "data_platform"], "duration_months": 9,
         "proposed_solutions": "A traffic data platform with truck scheduling for the depot.",
         "objectives": "Keep trucks out of the town centre at peak hours.",
         "expected_outcomes": "A solution plan and a procurement specification.",
         "requested_support_krw": 450_000_000, "priority_rank": 2},
        NAKURU_CONTACTS, steps=(("submit",), ("to", Status.SCREENING)),
    ),
    DemoProposal(
        "ke", "smart-solution-planning", "Nakuru City digital twin for urban planning",
        {**NAKURU, "region_city": "Nakuru", "jurisdiction_level": "city", "population": 570_674,
         "area_km2": Decimal("290.00"),
         "problem_statement": "Informal growth outpaces the city's paper-based planning approvals.",
         "solution_categories": ["data_platform", "housing"], "duration_months": 12,
         "proposed_solutions": "A 3D digital twin linked to e-permits.",
         "objectives": "Approve building permits in 30 days instead of 120.",
         "expected_outcomes": "A digital-twin plan and an e-permit roadmap.",
         "requested_support_krw": 500_000_000, "priority_rank": 3},
        NAKURU_CONTACTS, steps=(("submit",),),
    ),
    DemoProposal(
        "ke", "smart-solution-planning", "Gilgil smart street safety plan",
        {**NAKURU, "region_city": "Gilgil", "jurisdiction_level": "city", "population": 35_293,
         "area_km2": Decimal("48.00"),
         "problem_statement": "Road crashes on the Nairobi-Nakuru highway through the town.",
         "solution_categories": ["safety", "mobility"], "duration_months": 8,
         "proposed_solutions": "AI road-safety cameras and smart crossings.",
         "objectives": "Halve crashes in the town section.", "expected_outcomes": "A solution plan ready to tender.",
         "requested_support_krw": 300_000_000, "priority_rank": 4},
        NAKURU_CONTACTS,  # complete draft: the demo applicant can submit it
    ),
]

_STEP_STATUS = {"submit": Status.SUBMITTED, "info": Status.INFO_REQUESTED, "withdraw": Status.WITHDRAWN}


def _expected_statuses(spec: DemoProposal) -> list[str]:
    return [step[1] if step[0] == "to" else _STEP_STATUS[step[0]] for step in spec.steps]


def _draft(spec: DemoProposal, *, owner: User, organisation: Organisation, tracks: dict[str, Track]) -> Proposal:
    track = tracks[spec.track]
    proposal = services.proposal_create(by=owner, track=track, title=spec.title, organisation=organisation)
    proposal = services.proposal_update(proposal=proposal, by=owner, data=spec.data, expected_version=proposal.version)
    if spec.contacts:
        services.proposal_contacts_set(proposal=proposal, by=owner, contacts=spec.contacts)
    if spec.attach:
        for kind in track.required_attachment_kinds:
            content = pdf_bytes(organisation.name, spec.title, kind.replace("_", " ").title(), "K-City Network demo")
            upload = SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf")
            services.attachment_add(proposal=proposal, by=owner, kind=kind, upload=upload)
    return proposal


def _apply(step: tuple, *, proposal: Proposal, owner: User, staff: User) -> None:
    if step[0] == "submit":
        services.proposal_submit(proposal=proposal, by=owner)
    elif step[0] == "withdraw":
        services.proposal_withdraw(proposal=proposal, by=owner, reason=step[1])
    elif step[0] == "info":
        services.proposal_request_info(proposal=proposal, by=staff, message=step[1])
    else:
        services.proposal_transition(proposal=proposal, to=step[1], by=staff)


def proposals_seed(*, stdout=None) -> int:
    """Create the demo proposals that are missing and move each one on as far as its steps allow.

    A proposal already at its last step is left alone; one that a person moved by hand is never touched.
    Returns how many steps or drafts were made, so the caller can tell whether anything changed.
    """
    owners = {"id": User.objects.get(email="applicant.id@example.org"),
              "ke": User.objects.get(email="applicant.ke@example.org")}
    staff = User.objects.get(email="staff@example.org")
    tracks = {t.slug: t for t in Track.objects.filter(programme__slug="kcity")}
    done = 0
    for spec in PROPOSALS:
        owner = owners[spec.organisation]
        organisation = owner.organisation
        proposal = Proposal.objects.filter(title=spec.title, organisation=organisation).first()
        if proposal is None:
            proposal = _draft(spec, owner=owner, organisation=organisation, tracks=tracks)
            done += 1
        taken = proposal.status_changes.count()
        expected = [Status.DRAFT, *_expected_statuses(spec)]
        if taken >= len(spec.steps) or proposal.status != expected[taken]:
            continue
        for step in spec.steps[taken:]:
            try:
                _apply(step, proposal=proposal, owner=owner, staff=staff)
            except (DomainError, ValidationError, PermissionDenied) as exc:
                if stdout is not None:
                    reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                    stdout.write(f"  {spec.title}: stays {proposal.get_status_display().lower()} ({reason})")
                break
            proposal.refresh_from_db()
            done += 1
    return done


# --- entry point -------------------------------------------------------------------------------------------


def seed(*, stdout=None) -> None:
    """Programmes, tracks, cycles, centres, service levels, holidays, people, organisations and proposals."""
    with transaction.atomic():
        _programmes()
        centres = _centres()
        _service_levels_and_holidays()

        surabaya = _organisation(name="Surabaya City Government", country="ID", kind=OrganisationKind.CITY,
                                 region_city="Surabaya", website="https://surabaya.example.org")
        nakuru = _organisation(name="Nakuru County Government", country="KE", kind=OrganisationKind.REGIONAL,
                               region_city="Nakuru County", website="https://nakuru.example.org")
        _member(demo_user(email="applicant.id@example.org", full_name="Rina Wulandari", role=Role.APPLICANT,
                          time_zone="Asia/Jakarta", note=str(surabaya)), surabaya)
        _member(demo_user(email="applicant.ke@example.org", full_name="Grace Wanjiru", role=Role.APPLICANT,
                          time_zone="Africa/Nairobi", note=str(nakuru)), nakuru)
        staff = demo_user(email="staff@example.org", full_name="Kim Ji-won", role=Role.STAFF, language="ko",
                          time_zone="Asia/Seoul", is_staff=True, note="Secretariat group, back office")
        staff.groups.add(_secretariat_group())
        _secretariat_setup(staff)
        demo_user(email="consultant@example.org", full_name="Park Min-jun", role=Role.CONSULTANT,
                  time_zone="Asia/Seoul", note="Pre-consulting")
        demo_user(email="member@example.org", full_name="Lee Soo-jin", role=Role.COMMITTEE_MEMBER, language="ko",
                  time_zone="Asia/Seoul", note="National Smart City Committee")
        centre_user = demo_user(email="centre@example.org", full_name="Adi Nugroho", role=Role.CENTRE_STAFF,
                                time_zone="Asia/Jakarta", note=str(centres["ID"]))
        centres["ID"].staff.add(centre_user)
        demo_user(email="admin@example.org", full_name="Portal Administrator", role=Role.STAFF, language="en",
                  time_zone="Asia/Seoul", is_staff=True, is_superuser=True, note="Superuser")
    proposals_seed(stdout=stdout)


def proposals_unblocked_seed(*, stdout=None) -> None:
    """The last builder: demo steps that waited on other apps' data (a filed report) move on now. Silent."""
    proposals_seed(stdout=None)

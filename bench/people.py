"""People and organisations of the bench dataset: applicants in 40 countries, staff, consultants, centre staff.

Built on top of `seed_demo` (programmes, tracks, centres, the demo accounts, the 24 committee members and the
rubric): this adds the crowd a few years of a busy programme brings. Every user gets a verified primary e-mail
address (allauth) and an unusable password (the bench signs people in by session, never by password).
"""

import datetime
import random
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django_countries import countries

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from consulting.models import AvailabilityRule, Consultant
from proposals.models import CooperationCentre

# 39 partner countries (those the cooperation centres cover first) and Korea, for Korean companies.
PARTNER_COUNTRIES = [
    "ID", "TL", "TH", "LA", "KH", "MM", "PH", "SA", "BH", "KW", "OM", "QA", "KE", "TZ", "UG", "RW", "ET", "CO",
    "EC", "PA", "PL", "LT", "LV", "EE", "VN", "MY", "IN", "BD", "LK", "NP", "MN", "UZ", "KZ", "GH", "NG", "SN",
    "EG", "MA", "PE",
]
ZONES = ["Asia/Jakarta", "Asia/Bangkok", "Asia/Manila", "Asia/Riyadh", "Africa/Nairobi", "America/Bogota",
         "Europe/Warsaw", "Asia/Seoul", "UTC"]
SYLLABLES = ["ba", "ran", "du", "ka", "sem", "lo", "ni", "ta", "mar", "pu", "sa", "ri", "go", "len", "vi", "ko",
             "ma", "dar", "es", "tan", "bo", "ga", "lim", "no", "ra", "su", "wan", "ze", "hal", "mi"]
TOPICS = ["Urban Development", "Public Works and Housing", "Transport", "Digital Economy", "Environment",
          "Local Government", "Infrastructure", "Energy", "Water Resources", "Planning"]
# How organisations of partner countries are spread over kinds (Korean companies come on top).
FOREIGN_KINDS = [(OrganisationKind.CITY, 50), (OrganisationKind.REGIONAL, 33), (OrganisationKind.NATIONAL, 10),
                 (OrganisationKind.INTERNATIONAL, 7)]
KOREAN_COMPANY_SHARE = 0.08


@dataclass
class Applicant:
    organisation: Organisation
    owner: User
    members: list[User] = field(default_factory=list)

    @property
    def team(self) -> list[User]:
        return [self.owner, *self.members]


@dataclass
class People:
    applicants: list[Applicant]
    big: Applicant  # the organisation with about 5% of all proposals
    staff: list[User]
    consultants: list[Consultant]
    centres: list[CooperationCentre]


def place_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


class PeopleBuilder:
    def __init__(self, *, rng: random.Random, now: datetime.datetime, years: int):
        self.rng = rng
        self.now = now
        self.start = now - datetime.timedelta(days=365 * years)
        self.users: list[User] = []
        self.password = make_password(None)  # one unusable hash for all: hashing 1,000 times is wasted time

    def user(self, *, email: str, full_name: str, role: str, **extra) -> User:
        user = User(email=email, full_name=full_name, role=role, password=self.password,
                    time_zone=extra.pop("time_zone", self.rng.choice(ZONES)), **extra)
        user.date_joined = self.start + (self.now - self.start) * self.rng.random() * 0.2
        self.users.append(user)
        return user

    def save_users(self) -> None:
        User.objects.bulk_create(self.users, batch_size=1000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in self.users], batch_size=1000
        )
        self.users = []

    def organisations(self, *, count: int, countries_count: int, big_kind: str = OrganisationKind.NATIONAL
                      ) -> tuple[list[Applicant], Applicant]:
        partner = PARTNER_COUNTRIES[: max(1, countries_count - 1)]
        kinds, weights = zip(*FOREIGN_KINDS, strict=True)
        specs, seen = [], set()
        # The big organisation: a national ministry of the first partner country.
        specs.append((partner[0], big_kind, f"{countries.name(partner[0])} Ministry of Public Works and Housing"))
        seen.add(specs[0][2])
        korean = max(1, round(KOREAN_COMPANY_SHARE * count)) if count >= 4 else 0
        for number in range(1, count):
            if number >= count - korean:
                country, kind = "KR", OrganisationKind.KOREAN_COMPANY
            elif number - 1 < len(partner):  # every partner country has at least one organisation
                country, kind = partner[number - 1], self.rng.choices(kinds, weights)[0]
            else:
                country, kind = self.rng.choice(partner), self.rng.choices(kinds, weights)[0]
            name = self._organisation_name(kind, country)
            while name in seen:
                name = self._organisation_name(kind, country)
            seen.add(name)
            specs.append((country, kind, name))
        organisations = [
            Organisation(name=name, country=country, kind=kind, region_city=place_name(self.rng),
                         website=f"https://org{number}.example.org",
                         created_at=self.start + (self.now - self.start) * self.rng.random() * 0.3)
            for number, (country, kind, name) in enumerate(specs)
        ]
        for organisation in organisations:
            organisation.refresh_search_text()  # bulk_create skips save(), which keeps the search column
        Organisation.objects.bulk_create(organisations, batch_size=1000)
        applicants = []
        for number, organisation in enumerate(organisations):
            email = "applicant.big@example.org" if number == 0 else f"applicant.o{number}@example.org"
            owner = self.user(email=email, full_name=f"{place_name(self.rng)} {place_name(self.rng)}",
                              role=Role.APPLICANT)
            members = [
                self.user(email=f"applicant.o{number}.m{k}@example.org",
                          full_name=f"{place_name(self.rng)} {place_name(self.rng)}", role=Role.APPLICANT)
                for k in range(self.rng.choice((0, 0, 1, 1, 2)) + (2 if number == 0 else 0))
            ]
            applicants.append(Applicant(organisation=organisation, owner=owner, members=members))
        self.save_users()
        Membership.objects.bulk_create([
            Membership(user=user, organisation=a.organisation, joined_at=a.organisation.created_at,
                       level=Membership.Level.ADMIN if user is a.owner else Membership.Level.MEMBER)
            for a in applicants for user in a.team
        ], batch_size=1000)
        return applicants, applicants[0]

    def _organisation_name(self, kind: str, country: str) -> str:
        place = place_name(self.rng)
        return {
            OrganisationKind.NATIONAL: f"{countries.name(country)} Ministry of {self.rng.choice(TOPICS)} ({place})",
            OrganisationKind.REGIONAL: f"{place} Provincial Government",
            OrganisationKind.CITY: f"{place} City Government",
            OrganisationKind.INTERNATIONAL: f"{place} Urban Development Fund",
            OrganisationKind.KOREAN_COMPANY: f"{place} Smart Solutions Co., Ltd.",
        }[kind]

    def staff(self, *, count: int) -> list[User]:
        existing = list(User.objects.filter(role=Role.STAFF, is_superuser=False).order_by("pk"))
        group = Group.objects.filter(user__in=existing).first()
        made = [
            self.user(email=f"staff{n}@example.org", full_name=f"Secretariat Officer {n}", role=Role.STAFF,
                      is_staff=True, time_zone="Asia/Seoul", language="ko")
            for n in range(1, max(0, count - len(existing)) + 1)
        ]
        self.save_users()
        if group is not None:
            group.user_set.add(*made)
        return existing + made

    def consultants(self, *, count: int) -> list[Consultant]:
        existing = list(Consultant.objects.select_related("user").order_by("pk"))
        users = [
            self.user(email=f"consultant{n}@example.org", full_name=f"Consultant {place_name(self.rng)}",
                      role=Role.CONSULTANT, time_zone="Asia/Seoul")
            for n in range(1, max(0, count - len(existing)) + 1)
        ]
        self.save_users()
        made = Consultant.objects.bulk_create([
            Consultant(user=user, expertise=self.rng.sample(["mobility", "energy", "water", "safety",
                                                             "data_platform", "governance"], 2),
                       languages=["en", "ko"], time_zone="Asia/Seoul", bio="Smart-city consultant (bench).")
            for user in users
        ])
        AvailabilityRule.objects.bulk_create([
            AvailabilityRule(consultant=consultant, weekday=weekday, start_time=datetime.time(start),
                             end_time=datetime.time(end))
            for consultant in made for weekday in range(5) for start, end in ((9, 12), (13, 17))
        ])
        return existing + made

    def centre_staff(self) -> list[CooperationCentre]:
        centres = list(CooperationCentre.objects.prefetch_related("staff").order_by("pk"))
        lonely = [c for c in centres if not c.staff.all()]
        users = [self.user(email=f"centre{c.pk}@example.org", full_name=f"Centre Officer {c.city}",
                           role=Role.CENTRE_STAFF) for c in lonely]
        self.save_users()
        for centre, user in zip(lonely, users, strict=True):
            centre.staff.add(user)
        return centres

"""The bench dataset: a few years of a busy programme, built through bulk inserts that keep the models' rules.

Default shape (scaled with `--proposals`): 10,000 proposals of 300 organisations in 40 countries, one of them (a
national ministry, owner applicant.big@example.org) with about 500; about 10 status changes per proposal
(100,000), 35,000 messages, 20,000 attachments (rows sharing ONE small PDF file, see bench.rows), consulting
sessions and reports, two committee meetings per past cycle with agendas, reviewers, declarations, reviews and
decisions, a meeting two days ahead, notices, sent e-mails, audit rows, and the reminders already sent.
On top of `seed_demo`, so the demo accounts (staff@example.org, member@example.org, ...) are there too.

What is planned, and why it respects the rules the services enforce, is described in bench.history; the
generator never calls the services (too slow for 10,000 proposals) and never bypasses a database constraint.

    python -m bench.dataset --proposals 1000     # into the (empty) database of DATABASE_URL
"""

import argparse
import contextlib
import datetime
import hashlib
import io
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Scale:
    proposals: int = 10_000
    organisations: int = 0  # 0: 300 per 10,000 proposals (at least 8)
    countries: int = 40
    big_share: float = 0.05  # the busiest organisation's share of all proposals
    changes_per_proposal: float = 10.0
    messages_per_proposal: float = 3.5
    staff: int = 10
    consultants: int = 8
    years: int = 5

    @property
    def organisation_count(self) -> int:
        return self.organisations or max(8, round(300 * self.proposals / 10_000))


@dataclass
class Dataset:
    """What the bench needs to know about the data it measures."""

    proposals: int
    seconds: float
    applicant: str  # owner of the busiest organisation
    member: str  # the committee member whose workspace is measured
    staff: str
    sample_proposal: int  # pk of the proposal whose page, messages, attachments and history are measured
    counts: dict[str, int] = field(default_factory=dict)


@contextlib.contextmanager
def historical_timestamps():
    """Let bulk inserts keep the times given for `auto_now`/`auto_now_add` fields (a history is in the past).

    Django sets those fields to now on every insert; here a value already on the instance wins, and a field left
    empty still gets now. Only for the time of the block, only in this process.
    """
    from django.apps import apps
    from django.db.models import DateField

    patched = []
    for model in apps.get_models():
        for field_ in model._meta.concrete_fields:
            if isinstance(field_, DateField) and (field_.auto_now or field_.auto_now_add) and field_ not in patched:
                original = field_.pre_save

                def pre_save(instance, add, _original=original, _name=field_.attname):
                    value = getattr(instance, _name)
                    return value if value is not None else _original(instance, add)

                field_.pre_save = pre_save
                patched.append(field_)
    try:
        yield
    finally:
        for field_ in patched:
            del field_.pre_save


def build(scale: Scale, *, seed: int = 2026, log=print) -> Dataset:
    """Seed the demo, then the bench data, into the current (empty, migrated) database."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from accounts.models import User
    from bench.history import DAY, SEOUL, cycle_year
    from bench.people import People, PeopleBuilder
    from bench.planner import Planner
    from bench.reminder_keys import staff_digest
    from bench.rows import SHARED_FILE, Writer
    from bench.rows_committee import CommitteeWriter, meetings_make
    from bench.text import Prose
    from consulting.models import SessionType
    from notifications.models import OutboxEmail, SentReminder
    from proposals import demo
    from proposals.models import Cycle, Programme, Proposal, ReferenceCounter, Track

    started = time.perf_counter()
    # The demo accounts' published password, hashed cheaply: thirty PBKDF2 rounds would be most of a small build.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    # The demo's e-mails went nowhere (no worker here); a portal with years behind it has no old ones pending.
    OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING).update(state=OutboxEmail.State.SENT,
                                                                         sent_at=timezone.now())
    log(f"  demo data seeded ({time.perf_counter() - started:.1f} s)")
    rng = random.Random(seed)
    now = timezone.now()
    start = now - datetime.timedelta(days=365 * scale.years)
    prose = Prose(rng)
    pdf = demo.pdf_bytes("K-City Network bench document")
    shared = Path(settings.MEDIA_ROOT) / SHARED_FILE
    shared.parent.mkdir(parents=True, exist_ok=True)
    shared.write_bytes(pdf)
    with historical_timestamps(), transaction.atomic():
        builder = PeopleBuilder(rng=rng, now=now, years=scale.years)
        staff = builder.staff(count=scale.staff)
        consultants = builder.consultants(count=scale.consultants)
        centres = builder.centre_staff()
        applicants, big = builder.organisations(count=scale.organisation_count, countries_count=scale.countries)
        people = People(applicants=applicants, big=big, staff=staff, consultants=consultants, centres=centres)
        programmes = list(Programme.objects.order_by("pk"))
        current = cycle_year(now.astimezone(SEOUL).date())
        cycles = {}
        for programme in programmes:
            for year in range(start.year, current + 2):
                cycles[(programme.pk, year)], _created = Cycle.objects.get_or_create(
                    programme=programme, year=year, defaults={"cutoff": programme.default_cutoff(year)})
        past, coming, meetings = meetings_make(rng=rng, now=now, start=start, programmes=programmes, cycles=cycles)
        log(f"  {len(applicants)} organisations, {User.objects.count()} users, {len(meetings)} meetings "
            f"({time.perf_counter() - started:.1f} s)")
        tracks = list(Track.objects.select_related("programme").order_by("pk"))
        planner = Planner(rng=rng, now=now, start=start, people=people, tracks=tracks, cycles=cycles,
                          past_meetings=past, coming_meetings=coming, consultants=consultants,
                          staff=len(staff), prose=prose)
        plans = planner.plans(total=scale.proposals, big_share=scale.big_share,
                              changes_per_proposal=scale.changes_per_proposal,
                              messages_per_proposal=scale.messages_per_proposal)
        log(f"  {len(plans)} proposals planned ({time.perf_counter() - started:.1f} s)")
        committee = CommitteeWriter(rng=rng, now=now, prose=prose, staff=staff, meetings=meetings)
        writer = Writer(rng=rng, now=now, prose=prose, people=people, consultants=consultants,
                        session_types=list(SessionType.objects.order_by("-length_minutes", "pk")),
                        committee=committee, shared_pdf=(len(pdf), hashlib.sha256(pdf).hexdigest()))
        writer.write(plans)
        committee.finish()
        today = now.astimezone(SEOUL).date()
        days = (today - start.astimezone(SEOUL).date()).days
        SentReminder.objects.bulk_create([
            SentReminder(key=staff_digest(today - n * DAY), sent_at=min(now, datetime.datetime.combine(
                today - n * DAY, datetime.time(9), tzinfo=SEOUL)))
            for n in range(days + 1)
        ], ignore_conflicts=True)
        for (prefix, year), last in planner.counters.items():
            ReferenceCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"last_number": last})
    sample = Proposal.objects.filter(organisation=big.organisation).order_by("pk").values_list("pk", flat=True)[0]
    counts = dict(writer.counts)
    for label, number in committee.counts.items():  # both write reminder keys
        counts[label] = counts.get(label, 0) + number
    counts["notifications.SentReminder"] = SentReminder.objects.count()  # with the digests and the demo's
    return Dataset(proposals=Proposal.objects.count(), seconds=round(time.perf_counter() - started, 1),
                   applicant=big.owner.email, member=committee.lee.user.email, staff="staff@example.org",
                   sample_proposal=sample, counts=dict(sorted(counts.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the bench dataset into DATABASE_URL's (empty) database.")
    parser.add_argument("--proposals", type=int, default=Scale.proposals)
    parser.add_argument("--organisations", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--migrate", action="store_true", help="run migrate first")
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from proposals.models import Proposal

    if args.migrate:
        call_command("migrate", verbosity=0)
    if Proposal.objects.exists():
        print("This database already has proposals: the bench dataset goes into an empty one.", file=sys.stderr)
        return 2
    dataset = build(Scale(proposals=args.proposals, organisations=args.organisations), seed=args.seed)
    print(dataset)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m bench.run`: seed N proposals into a throwaway database and measure the pages people use most.

Measures, with Django's test client in this process: the applicant workspace, the API list (applicant and
staff), the staff back-office changelist and a proposal page, plus submission throughput through
`proposal_submit`. For each: median and 95th-percentile wall time (time.perf_counter), SQL queries per request
and peak Python memory per request (tracemalloc, measured in separate runs so it does not slow the timings).

The database is never the one you work in: a temporary SQLite file, or, when DATABASE_URL is set, a throwaway
`test_<name>` database on that server (created and dropped like the test runner does). The broker is Celery's
in-memory transport, so nothing is queued anywhere real. Results go to bench/results/latest.json. No asserts:
these are numbers to compare between commits, not a test.
"""

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def configure_environment(workdir: Path) -> None:
    """Before django.setup(): production-like settings, private media, no real e-mail or broker."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")
    os.environ["DJANGO_DEBUG"] = "false"  # measure what production runs (DEBUG adds template and SQL bookkeeping)
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["MEDIA_ROOT"] = str(workdir / "private")
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.pop("REDIS_URL", None)  # local-memory cache; the broker is replaced by memory:// after setup
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'unused.sqlite3'}")
    os.environ["KCITY_BENCH_TEST_DB"] = str(workdir / "bench.sqlite3")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(name: str, action: Callable[[], object], *, repeat: int, memory_runs: int = 3) -> dict:
    """Time `action` `repeat` times after a warm-up; count its queries; measure its peak memory separately."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        action()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        result = action()
    query_count = len(queries)  # now: the next request's request_started signal clears the log
    peaks = []
    for _ in range(memory_runs):
        tracemalloc.start()
        action()
        peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        tracemalloc.stop()
    return {
        "name": name, "runs": repeat, "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2), "queries": query_count,
        "peak_kib": round(max(peaks), 1), "status": getattr(result, "status_code", "-"),
    }


def seed_proposals(*, total: int, organisations: int) -> tuple[list, list]:
    """`total` complete proposals across `organisations` applicant organisations, through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Membership, Organisation, OrganisationKind, Role, User
    from proposals import demo, services
    from proposals.models import Track

    track = Track.objects.get(programme__slug="kcity", slug="smart-solution-planning")
    owners, drafts = [], []
    for number in range(organisations):
        organisation = Organisation.objects.create(
            name=f"Bench City Government {number}", country="ID", kind=OrganisationKind.CITY,
            region_city=f"Bench City {number}",
        )
        owner = User.objects.create_user(
            email=f"bench{number}@example.org", password=None, full_name=f"Bench Applicant {number}",
            role=Role.APPLICANT, time_zone="Asia/Jakarta",
        )
        Membership.objects.create(user=owner, organisation=organisation, level=Membership.Level.ADMIN)
        owners.append(owner)
    pdf = demo.pdf_bytes("Bench document")
    for index in range(total):
        owner = owners[index % organisations]
        proposal = services.proposal_create(by=owner, track=track, title=f"Bench proposal {index}")
        data = {**demo.PROPOSALS[4].data, "region_city": f"Bench District {index}", "country": "ID"}
        proposal = services.proposal_update(proposal=proposal, by=owner, data=data, expected_version=proposal.version)
        services.proposal_contacts_set(
            proposal=proposal, by=owner, contacts=[{"name": "Bench Contact", "email": "contact@example.org"}]
        )
        for kind in track.required_attachment_kinds:
            upload = SimpleUploadedFile(f"{kind}.pdf", pdf, content_type="application/pdf")
            services.attachment_add(proposal=proposal, by=owner, kind=kind, upload=upload)
        drafts.append(proposal)
    return owners, drafts


def measure_submissions(drafts: list) -> dict:
    """Submit each draft once: throughput over all of them, queries and peak memory on the last few."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals import services

    timed, probed = drafts[:-4], drafts[-4:]
    timings = []
    for proposal in timed:
        start = time.perf_counter()
        services.proposal_submit(proposal=proposal, by=proposal.owner)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        services.proposal_submit(proposal=probed[0], by=probed[0].owner)
    query_count = len(queries)
    peaks = []
    for proposal in probed[1:]:
        tracemalloc.start()
        services.proposal_submit(proposal=proposal, by=proposal.owner)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        tracemalloc.stop()
    return {
        "name": f"submit (proposal_submit x{len(timed)})", "runs": len(timed),
        "median_ms": round(statistics.median(timings), 2), "p95_ms": round(percentile(timings, 0.95), 2),
        "queries": query_count, "peak_kib": round(max(peaks), 1), "status": "-",
        "per_second": round(len(timed) / (sum(timings) / 1000), 1),
    }


def run_pages(*, owners: list, repeat: int, total: int) -> list[dict]:
    from django.contrib import admin
    from django.test import Client

    from accounts.models import User
    from proposals.models import Proposal
    from proposals.selectors import proposal_list

    applicant = owners[0]
    staff = User.objects.get(email="staff@example.org")
    as_applicant, as_staff = Client(), Client()
    as_applicant.force_login(applicant)
    as_staff.force_login(staff)
    own = proposal_list(user=applicant).count()
    sample = proposal_list(user=applicant).first()
    results = [
        measure(f"applicant workspace /proposals/ ({own} rows)",
                lambda: as_applicant.get("/proposals/", secure=True), repeat=repeat),
        measure("proposal page /proposals/<pk>/ (owner)",
                lambda: as_applicant.get(f"/proposals/{sample.pk}/", secure=True), repeat=repeat),
        measure(f"API list /api/v1/proposals/ (applicant, {own} rows)",
                lambda: as_applicant.get("/api/v1/proposals/", secure=True), repeat=repeat),
        measure(f"API list /api/v1/proposals/ (staff, {Proposal.objects.count()} rows, page 1)",
                lambda: as_staff.get("/api/v1/proposals/", secure=True), repeat=repeat),
    ]
    if admin.site.is_registered(Proposal):
        results.append(
            measure(f"admin changelist (staff, {total}+ proposals)",
                    lambda: as_staff.get("/admin/proposals/proposal/", secure=True), repeat=repeat)
        )
    return results


def run_signup(*, repeat: int) -> list[dict]:
    """Sign-up with a new address and with a registered one, with the production password hasher: the two must
    cost the same, or the time of the answer tells who has an account (accounts/signup.py)."""
    from itertools import count

    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import User

    User.objects.create_user(email="registered@example.org", password=None, full_name="Registered Applicant")
    numbers = count()

    def signup(email: str):
        return Client().post("/accounts/signup/", {
            "email": email, "password1": "Bench-Signup-Passw0rd!", "password2": "Bench-Signup-Passw0rd!",
            "full_name": "Bench Person", "language": "en", "time_zone": "Asia/Jakarta",
        }, secure=True)

    with override_settings(ACCOUNT_RATE_LIMITS=False):
        return [
            measure("sign-up, new address (302)", lambda: signup(f"new{next(numbers)}@example.org"),
                    repeat=repeat, memory_runs=1),
            measure("sign-up, registered address (302)", lambda: signup("registered@example.org"),
                    repeat=repeat, memory_runs=1),
        ]


def print_table(rows: list[dict]) -> None:
    headers = ["measurement", "runs", "median ms", "p95 ms", "queries", "peak KiB", "status"]
    keys = ["name", "runs", "median_ms", "p95_ms", "queries", "peak_kib", "status"]
    table = [headers, *[[str(row[k]) for k in keys] for row in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    for number, line in enumerate(table):
        cells = [line[0].ljust(widths[0]), *(cell.rjust(widths[i]) for i, cell in enumerate(line) if i)]
        print("  ".join(cells))
        if number == 0:
            print("  ".join("-" * w for w in widths))


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=200, help="proposals to seed (default 200)")
    parser.add_argument("--organisations", type=int, default=4, help="applicant organisations (default 4)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per page (default 30)")
    args = parser.parse_args(argv)
    total = max(args.proposals, 20)  # submissions need a few to time and a few to probe

    with tempfile.TemporaryDirectory(prefix="kcity-bench-") as tmp:
        configure_environment(Path(tmp))
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection
        from django.test.utils import override_settings

        from kcity.celery import app as celery_app
        from proposals import demo

        celery_app.conf.broker_url = "memory://"
        if connection.vendor == "sqlite":
            settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["KCITY_BENCH_TEST_DB"]
        static = {**settings.STORAGES,
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        started = time.perf_counter()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(STORAGES=static,
                                   PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                demo.seed()
                owners, drafts = seed_proposals(total=total, organisations=args.organisations)
                seeded = time.perf_counter() - started
                submissions = measure_submissions(drafts[: total // 2])
                rows = [*run_pages(owners=owners, repeat=args.repeat, total=total), submissions]
            with override_settings(STORAGES=static):  # the real password hasher: its cost is what is compared
                rows += run_signup(repeat=min(args.repeat, 10))
            vendor = connection.vendor
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    print()
    print(f"K-City portal bench: {total} proposals in {args.organisations} organisations, {vendor}, "
          f"DEBUG off, {args.repeat} runs per page (seeded in {seeded:.1f} s)")
    print()
    print_table(rows)
    print()
    print(f"Submission throughput: {submissions['per_second']} proposals/s (one at a time, one process)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": git_commit(), "database": vendor,
        "python": platform.python_version(), "proposals": total, "organisations": args.organisations,
        "repeat": args.repeat, "seed_seconds": round(seeded, 1), "results": rows,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"Written to {RESULTS.relative_to(ROOT) / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

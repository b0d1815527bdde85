"""One bench dataset, measured (run by bench.run in a process of its own, one per dataset size).

Creates the throwaway database, migrates, builds the dataset (bench.dataset), counts each endpoint's queries with
Django's test client, times the beat sweeps, then serves the portal with gunicorn and loads every endpoint in
interleaved rounds beside the bare view; reads the workers' memory, runs the create-and-submit flows, and writes
what it found as JSON. The database is dropped at the end, whatever happens.
"""

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402  (no Django here: safe before setup)
from bench.server import HEADERS, Gunicorn  # noqa: E402

# (name, path, who): what issue 10 measures, and the sample proposal's API lists.
ENDPOINTS = [
    ("applicant workspace", "/proposals/", "applicant"),
    ("committee member workspace", "/committee/", "member"),
    ("staff dashboard", "/proposals/staff/dashboard/", "staff"),
    ("staff /proposals/", "/proposals/", "staff"),
    ("admin proposal list", "/admin/proposals/proposal/", "staff"),
    ("API proposals (staff)", "/api/v1/proposals/", "staff"),
    ("proposal page", "/proposals/{sample}/", "applicant"),
    ("home page", "/", "applicant"),
    ("API messages", "/api/v1/proposals/{sample}/messages/", "applicant"),
    ("API attachments", "/api/v1/proposals/{sample}/attachments/", "applicant"),
    ("API history", "/api/v1/proposals/{sample}/history/", "applicant"),
]
BARE = "/bench/bare"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the throwaway database ------------------------------------------------------------------------------------


def _admin_connection(url: str):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(parts._replace(path="/postgres").geturl())
    connection.autocommit = True
    return connection


def _database(url: str, *statements: str) -> None:
    """Run DROP/CREATE DATABASE on the server's maintenance database (outside any transaction)."""
    if not url.startswith("postgres"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
        return
    name = urlsplit(url).path.lstrip("/")
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.format(name=name))
    finally:
        connection.close()


def database_create(url: str) -> None:
    _database(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', 'CREATE DATABASE "{name}"')


def database_drop(url: str) -> None:
    _database(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- environment ---------------------------------------------------------------------------------------------


def environment(args) -> dict:
    """Production-like settings for this process and for gunicorn alike (they must share the secret key)."""
    work = Path(args.workdir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ["KCITY_BENCH_SECRET"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "DATABASE_URL": args.database_url,
        "MEDIA_ROOT": str(work / "media"), "STATIC_ROOT": args.static_root, "EMAIL_URL": "memorymail://",
        "BROKER_DIR": str(work / "broker"), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    # Cache and broker in this process's memory or under the work folder: a Redis set for the tests is not ours.
    env.pop("REDIS_URL", None)
    env.pop("REDIS_CACHE_URL", None)
    return env


# --- measuring -------------------------------------------------------------------------------------------------


def sessions(dataset) -> dict:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    found = {}
    for role, email in (("applicant", dataset.applicant), ("member", dataset.member), ("staff", dataset.staff)):
        client = Client()
        client.force_login(User.objects.get(email=email), backend="accounts.backends.ModelBackend")
        found[role] = (client, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    return found


def rows_shown(dataset) -> dict[str, int]:
    """How many rows each list holds in this dataset (for the table's names)."""
    from django.db.models import Q

    from committee.models import Meeting, MeetingStatus
    from proposals.models import Proposal
    from proposals.workflow import Status

    big = Proposal.objects.filter(owner__email=dataset.applicant).values("organisation_id")[:1]
    sample = Proposal.objects.get(pk=dataset.sample_proposal)
    submitted = Proposal.objects.exclude(Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, submitted_at=None))
    return {
        "applicant workspace": Proposal.objects.filter(organisation_id__in=big).count(),
        # As committee.selectors.member_workspace_rows lists them: assigned to the member, or on the agenda of a
        # meeting not closed.
        "committee member workspace": Proposal.objects.filter(
            Q(reviewer_assignments__member__user__email=dataset.member)
            | Q(agenda_items__meeting__in=Meeting.objects.exclude(status=MeetingStatus.CLOSED))
        ).distinct().count(),
        "staff /proposals/": submitted.count(),
        "admin proposal list": Proposal.objects.count(),
        "API proposals (staff)": submitted.count(),
        "API messages": sample.messages.count(),
        "API attachments": sample.attachments.count(),
        "API history": sample.status_changes.count(),
    }


def count_queries(endpoints: list[dict], logins: dict) -> None:
    """Each endpoint through Django's test client, same settings: its status, size and queries per request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for client, _cookie in logins.values():
        client.get("/", secure=True)  # first request of each session: nothing that the load would not have warm
    for endpoint in endpoints:
        client = logins[endpoint["who"]][0]
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(endpoint["path"], secure=True)
                elapsed = time.perf_counter() - start
            if elapsed > 3:  # slow: one counted run is enough, the count does not change
                break
        endpoint.update(queries=len(queries), status=response.status_code, bytes=len(response.content),
                        in_process_ms=round(elapsed * 1000, 1))
        log(f"    {endpoint['name']}: {response.status_code}, {len(queries)} queries, "
            f"{len(response.content) / 1024:.0f} KiB, {elapsed * 1000:.0f} ms in process")


def load(server: Gunicorn, endpoints: list[dict], logins: dict, args) -> dict:
    """Rounds of (bare view, endpoint) pairs, the endpoints' order turning each round; no round is started that
    would take the load past --max-load-seconds (on a slow or busy machine, fewer rounds rather than no result)."""
    for endpoint in endpoints:
        endpoint["headers"] = {**HEADERS, "Cookie": logins[endpoint["who"]][1],
                               "Accept": "application/json" if "/api/" in endpoint["path"] else "text/html"}
        endpoint["windows"] = []
    bare_windows, rounds_done = [], 0
    started = time.perf_counter()
    for round_number in range(args.rounds):
        elapsed = time.perf_counter() - started
        if round_number and elapsed * (round_number + 1) / round_number > args.max_load_seconds:
            log(f"    stopping after {round_number} rounds: another would pass --max-load-seconds")
            break
        rounds_done = round_number + 1
        turn = round_number % len(endpoints)
        for endpoint in endpoints[turn:] + endpoints[:turn]:
            bare = loadgen.run(host="127.0.0.1", port=server.port, path=BARE, headers=HEADERS,
                               connections=args.connections, seconds=args.bare_seconds)
            page = loadgen.run(host="127.0.0.1", port=server.port, path=endpoint["path"],
                               headers=endpoint["headers"], connections=args.connections, seconds=args.seconds)
            bare_windows.append(bare)
            endpoint["windows"].append((page, bare))
            log(f"    round {round_number + 1}/{args.rounds} {endpoint['name']}: {page.rps:.2f} req/s, "
                f"p50 {page.p50_ms:.0f} ms (bare {bare.rps:.0f} req/s, p50 {bare.p50_ms:.1f} ms)")
    for endpoint in endpoints:
        windows = endpoint.pop("windows")
        endpoint.pop("headers")
        latencies = [ms for page, _bare in windows for ms in page.latencies_ms]
        statuses = sum((page.statuses for page, _bare in windows), start=Counter())
        endpoint.update(
            p50_ms=round(statistics.median(latencies), 1), p95_ms=round(loadgen.percentile(latencies, 0.95), 1),
            rps=round(statistics.median(page.rps for page, _bare in windows), 2),
            ratio_to_bare=round(statistics.median(page.rps / bare.rps for page, bare in windows if bare.rps), 4),
            requests=len(latencies), load_statuses={str(k): v for k, v in sorted(statuses.items())},
            rounds=[{"rps": round(page.rps, 2), "bare_rps": round(bare.rps, 1), "p50_ms": round(page.p50_ms, 1)}
                    for page, bare in windows],
            errors=next((page.error for page, _bare in windows if page.error), ""),
        )
    latencies = [ms for window in bare_windows for ms in window.latencies_ms]
    return {"path": BARE, "p50_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(loadgen.percentile(latencies, 0.95), 2),
            "rps": round(statistics.median(w.rps for w in bare_windows), 1), "windows": len(bare_windows),
            "rounds": rounds_done}


def write_tokens(count: int) -> tuple[list[str], int]:
    """API tokens of `count` government organisations' owners, and the track their flows apply to."""
    from rest_framework.authtoken.models import Token

    from accounts.models import Membership, OrganisationKind
    from proposals.models import Track

    kinds = [OrganisationKind.NATIONAL, OrganisationKind.REGIONAL, OrganisationKind.CITY]
    owners = (Membership.objects.filter(level=Membership.Level.ADMIN, organisation__kind__in=kinds,
                                        user__email__startswith="applicant.o")
              .select_related("user").order_by("pk")[:count])
    tokens = [Token.objects.get_or_create(user=m.user)[0].key for m in owners]
    return tokens, Track.objects.get(programme__slug="kcity", slug="smart-solution-planning").pk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--proposals", type=int, required=True)
    parser.add_argument("--organisations", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--bare-seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-load-seconds", type=float, default=540.0)
    parser.add_argument("--writes-seconds", type=float, default=10.0)
    parser.add_argument("--signup-runs", type=int, default=0)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    env = environment(args)
    os.environ.update(env)
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def phase(name: str) -> None:
        phases[name] = round(time.perf_counter() - started - sum(phases.values()), 1)

    database_create(args.database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from bench import dataset as bench_dataset
        from bench import signup, sweeps, writes
        from kcity.celery import app as celery_app
        from proposals import demo

        celery_app.conf.broker_url = "memory://localhost//"  # what the sweeps and sign-ups enqueue here stays in memory
        log(f"  migrating {connection.vendor} database {connection.settings_dict['NAME']}")
        call_command("migrate", verbosity=0)
        phase("migrate_s")
        scale = bench_dataset.Scale(proposals=args.proposals, organisations=args.organisations)
        dataset = bench_dataset.build(scale, seed=args.seed, log=log)
        with connection.cursor() as cursor:  # statistics as a live database has them (autovacuum is not quick)
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        phase("build_s")
        log(f"  dataset: {dataset.proposals} proposals in {dataset.seconds} s; counting queries")
        logins = sessions(dataset)
        shown = rows_shown(dataset)
        endpoints = [{"name": name, "path": path.format(sample=dataset.sample_proposal), "who": who,
                      "rows": shown.get(name)} for name, path, who in ENDPOINTS]
        count_queries(endpoints, logins)
        phase("queries_s")
        log("  beat sweeps")
        sweep_rows = sweeps.measure()
        phase("sweeps_s")
        tokens, track = write_tokens(args.connections)
        connections.close_all()
        with Gunicorn(env=env, workers=args.workers, log=Path(args.workdir) / "gunicorn.log") as server:
            log(f"  gunicorn on port {server.port}, {args.workers} workers; warming up")
            memory_start = server.worker_memory()
            for endpoint in endpoints:  # concurrently, so that every worker has served every page once
                loadgen.run(host="127.0.0.1", port=server.port, path=endpoint["path"], connections=args.workers,
                            headers={**HEADERS, "Cookie": logins[endpoint["who"]][1]}, seconds=0.01)
            memory_warm = server.worker_memory()
            bare = load(server, endpoints, logins, args)
            memory_after = server.worker_memory()
            phase("load_s")
            flows = None
            if args.writes_seconds > 0:
                log(f"  create-and-submit flows, {len(tokens)} clients, {args.writes_seconds:.0f} s")
                flows = writes.run(port=server.port, tokens=tokens, track=track,
                                   pdf=demo.pdf_bytes("Bench flow document"), seconds=args.writes_seconds)
                phase("writes_s")
        signups = signup.measure(runs=args.signup_runs) if args.signup_runs else []
        report = {
            "proposals": dataset.proposals, "database": connection.vendor, "dataset": dataset.__dict__,
            "endpoints": endpoints, "bare": bare, "sweeps": sweep_rows, "writes": flows, "signup": signups,
            "memory": {"at_start": memory_start, "after_warm_up": memory_warm,
                       "after_load": memory_after}, "phases": phases,
            "settings": {"rounds": bare["rounds"], "seconds": args.seconds, "bare_seconds": args.bare_seconds,
                         "connections": args.connections, "workers": args.workers},
        }
        Path(args.out).write_text(json.dumps(report, indent=2, default=str) + "\n")
    finally:
        with contextlib.suppress(Exception):  # Django may never have got set up: nothing to close then
            from django.db import connections

            connections.close_all()
        database_drop(args.database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where one page's time goes, in process: `make bench` says how fast, this says why.

Builds the bench dataset once into a database that is kept (DATABASE_URL's server, `<name>_profile`; the facts the
endpoints need are written beside it in var/bench-profile-<size>.json), then requests each chosen endpoint of
bench.measure.ENDPOINTS through Django's test client with the bench settings (DEBUG off): milliseconds per request,
queries, their SQL time (Django rounds each query to the millisecond) and the response size, and with --profile the
cProfile table.

    .venv/bin/python -m bench.profile --proposals 10000 "home" "proposal page" --profile --sort tottime
    .venv/bin/python -m bench.profile --proposals 10000 --rebuild          # after a migration: build it again

Not a benchmark (no server, no concurrency): numbers to compare before and after a change, in the same minute;
with --profile the times include the profiler's own overhead.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def prepare(args) -> tuple[str, Path]:
    """The kept database's URL and the file of its dataset facts; the settings this process runs with."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit("bench.profile needs DATABASE_URL on PostgreSQL (the dataset is kept there between runs)")
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'kcity'}_profile_{args.proposals}"
    facts = ROOT / "var" / f"bench-profile-{args.proposals}.json"
    work = ROOT / "var" / "bench-profile"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "testserver", "DATABASE_URL": parts._replace(path=f"/{name}").geturl(),
        "EMAIL_URL": "memorymail://", "MEDIA_ROOT": str(work / "media"), "BROKER_DIR": str(work / "broker"),
        "STATIC_ROOT": str(work / "static"), "LOG_LEVEL": "WARNING",
    })
    os.environ.pop("REDIS_URL", None)
    return os.environ["DATABASE_URL"], facts


def build(url: str, facts: Path, proposals: int, seed: int) -> None:
    from bench import measure

    measure.database_create(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset as bench_dataset
    from kcity.celery import app as celery_app

    celery_app.conf.broker_url = "memory://localhost//"
    call_command("migrate", verbosity=0)
    dataset = bench_dataset.build(bench_dataset.Scale(proposals=proposals), seed=seed, log=measure.log)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    facts.parent.mkdir(parents=True, exist_ok=True)
    facts.write_text(json.dumps(dataset.__dict__, default=str))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="parts of endpoint names (bench.measure.ENDPOINTS); none: all")
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="drop and build the kept dataset again")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per endpoint (default 20)")
    parser.add_argument("--profile", action="store_true", help="print the cProfile table of those requests")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", action="store_true", help="print each query of one request, with its time")
    parser.add_argument("--callees", metavar="FUNCTION", help="with --profile: what this function (a name or "
                        "file:line pattern, as pstats takes it) spent its time in")
    args = parser.parse_args(argv)

    url, facts = prepare(args)
    if args.rebuild or not facts.exists():
        build(url, facts, args.proposals, args.seed)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import measure

    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():  # DEBUG-off pages link hashed files
        call_command("collectstatic", "--noinput", verbosity=0)
    dataset = SimpleNamespace(**json.loads(facts.read_text()))
    logins = measure.sessions(dataset)
    endpoints = [*measure.ENDPOINTS, ("bare view", measure.BARE, "applicant")]
    for name, path, who in endpoints:
        if args.names and not any(part in name for part in args.names):
            continue
        path = path.format(sample=dataset.sample_proposal)
        client = logins[who][0]
        accept = {"HTTP_ACCEPT": "application/json" if "/api/" in path else "text/html"}
        for _ in range(3):  # warm: templates compiled, translations and caches loaded
            response = client.get(path, secure=True, **accept)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True, **accept)
        # Read now: every request clears the connection's query log that the context's slice points into.
        count, sql_ms = len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000
        if args.sql:
            print_queries(connection, client, path, accept)
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for _ in range(args.requests):
            client.get(path, secure=True, **accept)
        if profiler:
            profiler.disable()
        per_request = (time.perf_counter() - started) / args.requests * 1000
        print(f"{name} {path}: {response.status_code}, {per_request:.1f} ms/request, {count} queries "
              f"({sql_ms:.1f} ms SQL), {len(response.content) / 1024:.0f} KiB", flush=True)
        if profiler:
            print_profile(profiler, args.sort, args.top, args.callees)
    return 0


def print_queries(connection, client, path: str, accept: dict) -> None:
    """Each query of one request, timed to the microsecond (Django's log rounds to the millisecond)."""
    timed = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(wrapper):
        client.get(path, secure=True, **accept)
    for ms, sql in timed:
        print(f"  {ms:7.2f} ms  {' '.join(sql.split())[:300]}")


def print_profile(profiler: cProfile.Profile, sort: str, top: int, callees: str | None = None) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(sort)
    if callees:
        stats.print_callees(callees)
    else:
        stats.print_stats(top)
    print(out.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())

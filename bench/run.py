"""`make bench` (`python -m bench.run`): the portal at the scale of a few years of a busy programme, measured the
way production serves it, beside a bare Django view served by the same processes.

Two datasets, each in a throwaway database of its own on the server of DATABASE_URL (`<name>_bench_small` and
`<name>_bench`, created and dropped here; SQLite files in a temporary folder when DATABASE_URL is unset): a small
one (200 proposals) and the full one (10,000 proposals, see bench.dataset). Each is measured by bench.measure in a
process of its own: queries per request through Django's test client, the beat sweeps with nothing due, then
gunicorn (2 sync workers, DEBUG off, the portal's settings) under a closed-loop load of 4 connections, in
interleaved rounds of (bare view, endpoint) pairs, the workers' memory after the load, and create-and-submit flows
through the API. Sign-up timing (new versus registered address) is kept from the first bench, on the small
dataset.

Prints the table and writes bench/results/latest.json (`endpoints`: name, path, p50_ms, p95_ms, rps,
ratio_to_bare = its requests/s over the bare view's in the same round, queries, p50_ms_small = its median at the
small size). No asserts: numbers to compare between commits. Linux only (worker memory is read from /proc).

    make bench BENCH_ARGS="--proposals 1000 --seconds 2 --rounds 1"
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        return ""


def database_url(work: Path, suffix: str) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        parts = urlsplit(base)
        name = parts.path.lstrip("/") or "kcity"
        return parts._replace(path=f"/{name}_{suffix}").geturl()
    return f"sqlite:///{work / suffix}.sqlite3"


def collectstatic(static: Path, work: Path) -> None:
    """The hashed static files DEBUG-off pages link to (whitenoise's manifest), collected once for both runs."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kcity.settings", "DJANGO_DEBUG": "false",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "STATIC_ROOT": str(static),
           "DATABASE_URL": f"sqlite:///{work / 'unused.sqlite3'}", "BROKER_DIR": str(work / "broker")}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)


def measure(args, *, work: Path, static: Path, label: str, proposals: int, rounds: int, writes: float,
            signup_runs: int) -> dict:
    folder = work / label
    folder.mkdir()
    out = folder / "result.json"
    print(f"\n== {label}: {proposals} proposals", file=sys.stderr, flush=True)
    suffix = "bench" if label == "full" else f"bench_{label}"
    command = [
        sys.executable, "-m", "bench.measure", "--database-url", database_url(work, suffix),
        "--proposals", str(proposals), "--seed", str(args.seed), "--seconds", str(args.seconds),
        "--bare-seconds", str(args.bare_seconds), "--rounds", str(rounds), "--connections", str(args.connections),
        "--workers", str(args.workers), "--max-load-seconds", str(args.max_load_seconds),
        "--writes-seconds", str(writes), "--signup-runs", str(signup_runs),
        "--workdir", str(folder), "--static-root", str(static), "--out", str(out),
    ]
    # A fresh secret key per dataset, through the environment (not the command line other users can read).
    env = {**os.environ, "KCITY_BENCH_SECRET": secrets.token_urlsafe(64)}
    subprocess.run(command, cwd=ROOT, check=True, env=env)
    return json.loads(out.read_text())


def _cell(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(headers: list[str], rows: list[list]) -> None:
    cells = [headers, *[[_cell(c) if not isinstance(c, str) else c for c in row] for row in rows]]
    widths = [max(len(line[i]) for line in cells) for i in range(len(headers))]
    for number, line in enumerate(cells):
        print("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(line)))
        if number == 0:
            print("  ".join("-" * w for w in widths))


def report(full: dict, small: dict | None, args, wall: float) -> dict:
    small_by_name = {e["name"]: e for e in small["endpoints"]} if small else {}
    endpoints = []
    for endpoint in full["endpoints"]:
        at_small = small_by_name.get(endpoint["name"], {})
        endpoints.append({
            "name": endpoint["name"], "path": endpoint["path"], "p50_ms": endpoint["p50_ms"],
            "p95_ms": endpoint["p95_ms"], "rps": endpoint["rps"], "ratio_to_bare": endpoint["ratio_to_bare"],
            "queries": endpoint["queries"], "p50_ms_small": at_small.get("p50_ms"),
            "rps_small": at_small.get("rps"), "queries_small": at_small.get("queries"), "rows": endpoint["rows"],
            "status": endpoint["status"], "bytes": endpoint["bytes"], "requests": endpoint["requests"],
            "load_statuses": endpoint["load_statuses"], "rounds": endpoint["rounds"], "errors": endpoint["errors"],
            "user": endpoint["who"],
        })
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": git_commit(),
        "python": platform.python_version(), "database": full["database"], "cpus": os.cpu_count(),
        "command": "python -m bench.run " + " ".join(sys.argv[1:]), "wall_s": round(wall, 1),
        "proposals": full["proposals"], "small_proposals": small["proposals"] if small else None,
        "settings": full["settings"], "endpoints": endpoints, "bare": full["bare"],
        "bare_small": small["bare"] if small else None, "sweeps": full["sweeps"],
        "sweeps_small": small["sweeps"] if small else None, "memory": full["memory"], "writes": full["writes"],
        "signup": (small or full)["signup"], "dataset": full["dataset"],
        "dataset_small": small["dataset"] if small else None,
        "phases": {"full": full["phases"], "small": small["phases"] if small else None},
    }


def show(result: dict) -> None:
    s = result["settings"]
    bare = result["bare"]
    print()
    print(f"K-City portal bench: {result['proposals']:,} proposals ({result['database']}), gunicorn "
          f"{s['workers']} sync workers, DEBUG off, {s['connections']} connections, {s['rounds']} rounds of "
          f"({s['seconds']:g} s endpoint + {s['bare_seconds']:g} s bare view); small dataset "
          f"{result['small_proposals'] or '-'} proposals; {result['cpus']} CPUs; wall time {result['wall_s']:.0f} s")
    print(f"Bare view {bare['path']}: {bare['rps']:,.0f} req/s, p50 {bare['p50_ms']:.1f} ms, "
          f"p95 {bare['p95_ms']:.1f} ms")
    print()
    table(
        ["endpoint", "rows", "p50 ms", "p95 ms", "req/s", "ratio", "queries", "p50 ms small", "status"],
        [[e["name"], e["rows"], e["p50_ms"], e["p95_ms"], e["rps"], f"{e['ratio_to_bare']:.4f}", e["queries"],
          e["p50_ms_small"], str(e["status"])] for e in result["endpoints"]],
    )
    print()
    print("Beat sweeps, second run (nothing due); first run in brackets:")
    table(["sweep", "ms", "queries", "result", "first run"],
          [[r["name"], r["ms"], r["queries"], r["result"],
            f"({r['first_run']['ms']:.0f} ms, {r['first_run']['queries']} q, {r['first_run']['result']})"]
           for r in result["sweeps"]])
    print()
    memory = result["memory"]
    for when, workers in (("at start", memory["at_start"]), ("after one request to each page", memory["after_warm_up"]),
                          ("after the load", memory["after_load"])):
        print(f"gunicorn workers {when}: " + ", ".join(
            f"{w['rss_mb']:.0f} MB (peak {w['peak_mb']:.0f} MB)" for w in workers))
    if result["writes"]:
        w = result["writes"]
        print(f"Create-and-submit through the API, {w['clients']} clients: {w['flows_per_s']} flows/s "
              f"({w['flows']} in {w['seconds']} s, p50 {w['p50_ms']} ms, {w['failures']} failed"
              f"{': ' + w['first_failure'] if w['failures'] else ''})")
    for row in result["signup"]:
        print(f"{row['name']}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms ({row['runs']} runs, "
              f"{row['status']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000, help="full dataset size (default 10,000)")
    parser.add_argument("--small-proposals", type=int, default=200,
                        help="the size each median is compared with (default 200; 0: skip)")
    parser.add_argument("--seconds", type=float, default=4.0, help="load per endpoint per round (default 4)")
    parser.add_argument("--bare-seconds", type=float, default=2.0, help="bare view before each (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds on the full dataset (default 3)")
    parser.add_argument("--small-rounds", type=int, default=1, help="rounds on the small dataset (default 1)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--max-load-seconds", type=float, default=540.0,
                        help="no further round once the load would pass this (default 540, keeps the run short)")
    parser.add_argument("--writes-seconds", type=float, default=10.0, help="create-and-submit flows (0: skip)")
    parser.add_argument("--signup-runs", type=int, default=10, help="sign-up timings on the small dataset (0: skip)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kcity-bench-") as tmp:
        work = Path(tmp)
        static = work / "static"
        collectstatic(static, work)
        small = None
        if args.small_proposals:
            small = measure(args, work=work, static=static, label="small", proposals=args.small_proposals,
                            rounds=args.small_rounds, writes=0, signup_runs=args.signup_runs)
        full = measure(args, work=work, static=static, label="full", proposals=args.proposals, rounds=args.rounds,
                       writes=args.writes_seconds, signup_runs=0 if small else args.signup_runs)
    result = report(full, small, args, time.perf_counter() - started)
    show(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

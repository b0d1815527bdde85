"""Where a create-and-submit flow's time goes, in process: bench.writes's flow (start a draft, fill it in with its
contact, upload the two documents, submit) through Django's test client with the bench settings and an API
token, on the kept dataset of bench.profile. Milliseconds and queries per flow and per step, and with --profile the
cProfile table of the timed flows. Every flow adds a submitted proposal to the kept database.

    .venv/bin/python -m bench.flows --proposals 10000 --flows 20 [--profile --sort tottime --top 50]
"""

import argparse
import cProfile
import json
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--flows", type=int, default=20, help="timed flows (default 20)")
    parser.add_argument("--profile", action="store_true", help="print the cProfile table of those flows")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", help="write the cProfile data to this file (pstats)")
    parser.add_argument("--answers", help="write the counted flow's answers to this file (to compare)")
    parser.add_argument("--check", action="store_true",
                        help="after each write of the counted flow, read the proposal and compare it with the answer")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one flow")
    args = parser.parse_args(argv)

    from bench import profile

    _url, facts = profile.prepare(args)
    if not facts.exists():
        raise SystemExit(f"{facts} is missing: build the dataset with bench.profile first")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import measure, writes
    from bench.server import HEADERS
    from proposals import demo

    tokens, track = measure.write_tokens(1)
    pdf = demo.pdf_bytes("Bench flow document")
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in HEADERS.items() if name != "Host"}
    client = Client(HTTP_AUTHORIZATION=f"Token {tokens[0]}", HTTP_ACCEPT="application/json", **meta)
    steps: dict[str, list[float]] = defaultdict(list)
    counted: dict[str, list[int]] = defaultdict(list)  # queries per request of the counted flow
    sql: list[str] = []
    answers: list = []
    counting = False

    def call(step: str, method: str, path: str, body: bytes, content_type: str) -> dict:
        started = time.perf_counter()
        if counting:
            with CaptureQueriesContext(connection) as queries:
                response = client.generic(method, path, data=body, content_type=content_type, secure=True)
            counted[step].append(len(queries))
            answers.append([step, response.status_code, json.loads(response.content or b"null")])
            if args.check and step != "upload" and response.status_code < 300:
                answer = json.loads(response.content)
                again = json.loads(client.get(f"/api/v1/proposals/{answer['id']}/", secure=True).content)
                print(f"check {step}: " + ("same as read" if again == answer else
                      f"DIFFERS: {[k for k in answer if answer[k] != again.get(k)]}"), flush=True)
            sql.extend(f"[{step}] {q['time']} {q['sql'][:300]}" for q in queries.captured_queries)
        else:
            response = client.generic(method, path, data=body, content_type=content_type, secure=True)
        steps[step].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.content[:300]!r}")
        return json.loads(response.content) if response.content else {}

    def flow(number: int) -> None:  # bench.writes.run's flow, request for request
        writes.steps(call, track=track, pdf=pdf, place=f"Bench flow {number} {uuid.uuid4().hex[:8]}")

    for number in range(3):  # warm: serializers, templates, translations
        flow(number)
    counting = True
    flow(3)
    counting = False
    if args.sql:
        print("\n".join(sql))
    if args.answers:
        Path(args.answers).write_text(json.dumps(answers, indent=1, sort_keys=True))
    steps.clear()
    profiler = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for number in range(args.flows):
        flow(4 + number)
    if profiler:
        profiler.disable()
    per_flow = (time.perf_counter() - started) / args.flows * 1000
    cpu_per_flow = (time.process_time() - cpu) / args.flows * 1000
    total = sum(sum(n) for n in counted.values())
    print(f"create-and-submit: {per_flow:.1f} ms/flow ({cpu_per_flow:.1f} ms CPU), {total} queries/flow; per request: "
          + ", ".join(f"{step} {sum(ms) / len(ms):.1f} ms ({'+'.join(map(str, counted[step]))} q)"
                      for step, ms in steps.items()), flush=True)
    if profiler and args.dump:
        profiler.dump_stats(args.dump)
    if profiler:
        profile.print_profile(profiler, args.sort, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The full create-and-submit flow through the API, from several clients at once: start a draft, fill it in with
its contact, upload the two required documents, submit. Each client is the owner of its own organisation, with
an API token; every flow is a new place, so the one-per-jurisdiction rule never refuses it."""

import itertools
import json
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field

from bench import loadgen
from bench.server import HEADERS

BOUNDARY = "kcity-bench-boundary"


def multipart(fields: dict, filename: str, content: bytes) -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def steps(call, *, track: int, pdf: bytes, place: str) -> None:
    """One create-and-submit flow, request by request: call(step, method, path, body, content_type) answers each
    request's JSON (the bench's clients over HTTP; bench.flows in process)."""
    as_json = "application/json"
    draft = call("create", "POST", "/api/v1/proposals/", json.dumps({"track": track, "title": place}).encode(), as_json)
    pk = draft["id"]
    data = {
        "version": draft["version"], "country": "ID", "region_city": place, "jurisdiction_level": "city",
        "lead_organisation": "Bench flow government", "population": 250_000, "city_context": "A growing city.",
        "problem_statement": "Congestion.", "solution_categories": ["mobility"], "proposed_solutions": "Buses.",
        "objectives": "Fewer cars.", "expected_outcomes": "Faster trips.", "duration_months": 12,
        "requested_support_krw": 300_000_000, "national_plan_fit": "National plan.", "consent": True,
        "contacts": [{"name": "Bench Contact", "email": "contact@example.org"}],
    }
    call("patch", "PATCH", f"/api/v1/proposals/{pk}/", json.dumps(data).encode(), as_json)
    for kind in ("official_letter", "concept_note"):
        call("upload", "POST", f"/api/v1/proposals/{pk}/attachments/", multipart({"kind": kind}, f"{kind}.pdf", pdf),
             f"multipart/form-data; boundary={BOUNDARY}")
    call("submit", "POST", f"/api/v1/proposals/{pk}/submit/", b"", as_json)


@dataclass
class Flows:
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str = ""

    def summary(self) -> dict:
        done = len(self.latencies_ms)
        return {
            "clients": self.clients, "flows": done, "failures": self.failures, "seconds": round(self.seconds, 1),
            "flows_per_s": round(done / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(statistics.median(self.latencies_ms), 1) if done else None,
            "p95_ms": round(loadgen.percentile(self.latencies_ms, 0.95), 1) if done else None,
            "first_failure": self.first_failure[:300],
        }


def run(*, port: int, tokens: list[str], track: int, pdf: bytes, seconds: float) -> dict:
    flows = Flows(clients=len(tokens))
    lock = threading.Lock()
    numbers = itertools.count()
    start = time.perf_counter()
    deadline = start + seconds
    ends = []

    def call(token: str, method: str, path: str, body: bytes, content_type: str) -> dict:
        headers = {**HEADERS, "Authorization": f"Token {token}", "Content-Type": content_type,
                   "Accept": "application/json"}
        status, answer = loadgen.request("127.0.0.1", port, method, path, headers=headers, body=body)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {answer[:200]!r}")
        return json.loads(answer) if answer else {}

    def flow(token: str) -> None:
        steps(lambda step, *request: call(token, *request), track=track, pdf=pdf,
              place=f"Bench flow {next(numbers)} {uuid.uuid4().hex[:8]}")

    def client(token: str) -> None:
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            begin = time.perf_counter()
            try:
                flow(token)
            except (OSError, RuntimeError, ValueError, KeyError) as error:
                with lock:
                    flows.failures += 1
                    flows.first_failure = flows.first_failure or str(error)
                last = time.perf_counter()
                continue
            last = time.perf_counter()
            with lock:
                flows.latencies_ms.append((last - begin) * 1000)
        with lock:
            ends.append(last)

    threads = [threading.Thread(target=client, args=(token,), daemon=True) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flows.seconds = (max(ends) if ends else time.perf_counter()) - start
    return flows.summary()

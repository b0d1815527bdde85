"""A closed-loop HTTP load generator (standard library only): N connections, each sending its next request as
soon as the last one is answered, for a fixed time.

Requests started before the deadline are waited for and counted, so a page slower than the window still gets
measured (the window simply lasts as long as its slowest request); throughput is requests over the time from the
start to the last answer. gunicorn's sync workers close every connection after the answer (as behind a proxy):
http.client opens a new one for each request, as wrk does against such a server.
"""

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Window:
    path: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    bytes: int = 0
    error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: with few samples it is a sample that was seen)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def request(host: str, port: int, method: str, path: str, *, headers: dict, body: bytes | None = None,
            timeout: float = 600.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run(*, host: str, port: int, path: str, headers: dict, connections: int, seconds: float,
        timeout: float = 600.0) -> Window:
    window = Window(path=path)
    lock = threading.Lock()
    ready = threading.Barrier(connections + 1)
    started = [0.0]
    finished: list[float] = []

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        ready.wait()
        deadline = started[0] + seconds
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            begin = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                size = len(response.read())
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                size, status = 0, 0
                with lock:
                    window.error = window.error or f"{type(error).__name__}: {error}"
            last = time.perf_counter()
            with lock:
                window.latencies_ms.append((last - begin) * 1000)
                window.statuses[status] += 1
                window.bytes += size
        connection.close()
        with lock:
            finished.append(last)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    started[0] = time.perf_counter()
    ready.wait()
    for thread in threads:
        thread.join()
    window.seconds = max(finished) - started[0] if finished else 0.0
    return window

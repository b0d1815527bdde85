"""`make run`'s supervisor: web, Celery worker and beat side by side, each restarted if it dies.

    python -m kcity.supervise [--web 127.0.0.1:8000] [--only worker,beat] [--worker-option=--concurrency=2]

A worker or beat that dies (a crash, an OOM kill) is started again after a short pause that grows while it keeps
dying (1 s, 2 s, 4 s ... 30 s; back to 1 s once it has run for a minute), so one process's failure no longer takes
the whole portal down. Ctrl-C or SIGTERM stops them all: each gets SIGTERM, and what has not stopped after
STOP_TIMEOUT seconds is killed. The log lines start with "supervise:".
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field

STOP_TIMEOUT = 15.0
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
HEALTHY_AFTER = 60.0  # seconds of running that reset the back-off


def say(message: str) -> None:
    print(f"supervise: {message}", flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)
        self.started_at = time.monotonic()
        self.restart_at = None
        say(f"started {self.name} (pid {self.process.pid})")

    def check(self, now: float) -> None:
        if self.process is not None:
            code = self.process.poll()
            if code is None:
                if now - self.started_at >= HEALTHY_AFTER:
                    self.backoff = BACKOFF_FIRST
                return
            self.process = None
            if now - self.started_at >= HEALTHY_AFTER:
                self.backoff = BACKOFF_FIRST
            self.restart_at = now + self.backoff
            say(f"{self.name} exited (code {code}); restarting in {self.backoff:g} s")
            self.backoff = min(self.backoff * 2, BACKOFF_MAX)
        elif self.restart_at is not None and now >= self.restart_at:
            self.restarts += 1
            self.start()


def commands(*, web: str | None, only: set[str], worker_options: list[str]) -> list[Child]:
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "kcity"]
    available = {
        "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2", *worker_options],
        "beat": [*celery, "beat", "--loglevel=INFO"],
    }
    if web:
        available["web"] = [python, "manage.py", "runserver", web, "--noreload"]
    return [Child(name, argv) for name, argv in available.items() if name in only]


def stop_all(children: list[Child]) -> None:
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        with suppress(ProcessLookupError):  # it may have exited meanwhile
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in running:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop within {STOP_TIMEOUT:g} s: killing it")
            with suppress(ProcessLookupError):  # it may have exited meanwhile
                child.process.kill()
            child.process.wait()


class _Stop(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", help="HOST:PORT for the development web server (omit: no web)")
    parser.add_argument("--only", default="web,worker,beat", help="comma-separated: web, worker, beat")
    parser.add_argument("--worker-option", action="append", default=[], help="extra argument for the worker")
    args = parser.parse_args(argv)

    children = commands(web=args.web, only=set(args.only.split(",")), worker_options=args.worker_option)

    def on_signal(signum, frame):
        raise _Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for child in children:
            child.start()
        while True:
            now = time.monotonic()
            for child in children:
                child.check(now)
            time.sleep(0.5)
    except _Stop as stop:
        # A second Ctrl-C must not cut the orderly stop short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        say(f"{stop} received: stopping {', '.join(c.name for c in children)}")
    finally:
        stop_all(children)
    say("stopped")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")
    sys.exit(main())

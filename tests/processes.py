"""Real portal processes (supervisor, worker, beat) for the run-mode tests: started with the test database and a
broker of the test's choosing, logs in files, always stopped."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

SEND_SCRIPT = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")
import django
django.setup()
from kcity.celery import app
folder, first, last, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
while not os.path.exists(go):  # all senders start together
    time.sleep(0.01)
with app.producer_or_acquire() as producer:
    for n in range(first, last):
        app.send_task("tests.record_run", args=[folder, str(n)], producer=producer)
"""


def database_url_of_tests() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def portal_env(*, broker_dir: Path | None = None, redis_url: str | None = None, **extra) -> dict[str, str]:
    """The environment of a portal process on the test database: the embedded broker in `broker_dir`, or Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "REDIS_", "BROKER_"))}
    env.update(DJANGO_SETTINGS_MODULE="kcity.settings", DATABASE_URL=database_url_of_tests(), PYTHONUNBUFFERED="1")
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["BROKER_DIR"] = str(broker_dir)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start(argv: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    """SIGTERM, then SIGKILL for the whole process group if it lingers. Returns the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    with suppress(ProcessLookupError):  # children it left behind (a supervisor killed hard, a worker's pool)
        os.killpg(process.pid, signal.SIGKILL)
    return process.returncode


@contextmanager
def running(argv: list[str], *, env: dict[str, str], log: Path):
    process = start(argv, env=env, log=log)
    try:
        yield process
    finally:
        stop(process)


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "kcity", *args]


def worker(*extra: str) -> list[str]:
    return celery("worker", "--loglevel=INFO", "--concurrency=2", "--include=tests.embedded_tasks", *extra)


def beat() -> list[str]:
    return celery("beat", "--loglevel=INFO")


def send_in_parallel(*, env, folder: Path, total: int, senders: int, go: Path, timeout: float = 120) -> None:
    """`total` tasks from `senders` processes started together."""
    share = total // senders
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SEND_SCRIPT, str(folder), str(i * share), str((i + 1) * share), str(go)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        for i in range(senders)
    ]
    time.sleep(0.5)
    go.touch()
    for process in processes:
        output, _ = process.communicate(timeout=timeout)
        assert process.returncode == 0, output.decode()


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def runs(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()]

"""A Redis outage longer than the old give-up times (worker ~6 s, beat ~12 s): worker and beat keep running and
resume by themselves. Against a Redis of the test's own (port 8102), stopped and started again."""

import shutil
import subprocess
import time

import pytest
from django.utils import timezone

from kcity.models import WorkerHeartbeat
from tests.processes import beat, portal_env, runs, send_in_parallel, start, stop, wait_for, worker

PORT = 8102
OUTAGE_SECONDS = 18

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _redis(log):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    argv = ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with log.open("ab") as out:
        process = subprocess.Popen([*argv, "--daemonize", "no"], stdout=out, stderr=subprocess.STDOUT)
    wait_for(
        lambda: subprocess.run(["redis-cli", "-p", str(PORT), "ping"], capture_output=True, text=True).stdout.strip()
        == "PONG",
        timeout=10,
        what="redis to answer",
    )
    return process


def _latest_heartbeat():
    row = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return row.seen_at if row else None


def test_worker_and_beat_ride_out_a_redis_outage_and_resume_by_themselves(tmp_path):
    done = tmp_path / "runs"
    done.mkdir()
    env = portal_env(redis_url=f"redis://127.0.0.1:{PORT}/0", WORKER_HEARTBEAT_SECONDS=2)
    redis = _redis(tmp_path / "redis.log")
    processes = {}
    t0 = time.monotonic()
    try:
        processes["worker"] = start(worker(), env=env, log=tmp_path / "worker.log")
        processes["beat"] = start(beat(), env=env, log=tmp_path / "beat.log")
        send_in_parallel(env=env, folder=done, total=1, senders=1, go=tmp_path / "go-before")
        wait_for(lambda: "0" in runs(done), timeout=60, what="a task before the outage")
        wait_for(_latest_heartbeat, timeout=30, what="a heartbeat before the outage")
        print(f"worker and beat up in {time.monotonic() - t0:.1f} s")

        stop(redis)
        outage_started = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        alive = {name: p.poll() is None for name, p in processes.items()}
        redis = _redis(tmp_path / "redis.log")
        back = timezone.now()
        recovered = time.monotonic()

        assert alive == {"worker": True, "beat": True}, (tmp_path / "worker.log").read_text()[-3000:]
        # A task sent after the recovery runs, and beat's schedule reaches the worker again.
        send_in_parallel(env=env, folder=done, total=2, senders=1, go=tmp_path / "go-after")
        wait_for(lambda: "1" in runs(done), timeout=60, interval=0.5, what="a task sent after the recovery")
        wait_for(lambda: _latest_heartbeat() > back, timeout=60, interval=0.5, what="a heartbeat after the recovery")
        print(
            f"outage {recovered - outage_started:.1f} s; task and heartbeat ran {time.monotonic() - recovered:.1f} s "
            "after Redis returned"
        )
        assert all(p.poll() is None for p in processes.values())
    finally:
        for process in processes.values():
            stop(process)
        stop(redis)

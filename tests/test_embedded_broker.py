"""The embedded broker (no REDIS_URL: a filesystem broker under var/broker) under load, and `make run`'s
supervisor. Real processes: the supervisor, a Celery worker and beat, on the test database."""

import re
import signal
import subprocess
import sys
import time

import pytest

from kcity.models import WorkerHeartbeat
from tests.processes import ROOT, portal_env, runs, send_in_parallel, start, stop, wait_for

RACE_SCRIPT = """
import os, sys, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")
import django
django.setup()
from queue import Empty
from kcity.celery import app

N, PAD = 20, "x" * 2_000_000  # big messages: slow to write, so a reader can catch one half-written

def produce():
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue("race")
        for i in range(N):
            queue.put({"i": i, "pad": PAD})

with app.connection_for_read() as connection:
    queue = connection.SimpleQueue("race")
    producer = threading.Thread(target=produce)
    producer.start()
    seen = []
    while len(seen) < N:
        try:
            message = queue.get_nowait()
        except Empty:
            continue
        assert message.payload["pad"] == PAD
        seen.append(message.payload["i"])
        message.ack()
    producer.join()
    assert sorted(seen) == list(range(N)), seen
print("received", len(seen), "whole messages")
"""


def test_the_embedded_broker_never_hands_out_a_half_written_message(tmp_path):
    # kombu's filesystem transport writes a message under its final name; a consumer polling the folder took it
    # before it was complete and died on JSONDecodeError.
    env = portal_env(broker_dir=tmp_path / "broker")

    result = subprocess.run(
        [sys.executable, "-c", RACE_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "received 20 whole messages" in result.stdout


def test_a_message_file_that_is_not_json_is_set_aside_not_fatal(tmp_path):
    env = portal_env(broker_dir=tmp_path / "broker")
    script = RACE_SCRIPT.replace("N, PAD = 20,", "N, PAD = 3,")
    queue_folder = tmp_path / "broker" / "queue"
    queue_folder.mkdir(parents=True)
    (queue_folder / "0_left-by-a-crash.race.msg").write_bytes(b'{"body": "trunc')  # sorts first: read first

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "received 3 whole messages" in result.stdout
    assert (tmp_path / "broker" / "processed" / "0_left-by-a-crash.race.msg.corrupt").exists()
    assert "is not valid JSON" in result.stderr


def _supervised(tmp_path, **env_extra):
    env = portal_env(broker_dir=tmp_path / "broker", WORKER_HEARTBEAT_SECONDS=2, **env_extra)
    log = tmp_path / "supervise.log"
    argv = [sys.executable, "-m", "kcity.supervise", "--only", "worker,beat"]
    argv.append("--worker-option=--include=tests.embedded_tasks")
    return env, log, start(argv, env=env, log=log)


def _worker_pids(log) -> list[int]:
    return [int(pid) for pid in re.findall(r"supervise: started worker \(pid (\d+)\)", log.read_text())]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_3000_tasks_from_4_processes_all_run_exactly_once_while_worker_and_beat_run(tmp_path):
    done = tmp_path / "runs"
    done.mkdir()
    env, log, supervisor = _supervised(tmp_path)
    try:
        # The worker is up once a first task has run, and beat once a heartbeat has.
        send_in_parallel(env=env, folder=done, total=4, senders=1, go=tmp_path / "go-warm")
        wait_for(lambda: len(runs(done)) == 4, timeout=60, what="the worker to start")
        wait_for(lambda: WorkerHeartbeat.objects.exists(), timeout=30, what="a heartbeat from beat via the worker")
        for name in runs(done):
            (done / name).unlink()
        started = time.monotonic()

        send_in_parallel(env=env, folder=done, total=3000, senders=4, go=tmp_path / "go")
        wait_for(lambda: len(runs(done)) >= 3000, timeout=150, interval=1, what="3000 task runs")
        elapsed = time.monotonic() - started
        time.sleep(2)  # would a task run twice?
        heartbeat_after_burst = WorkerHeartbeat.objects.get().seen_at

        assert sorted(runs(done), key=int) == [str(n) for n in range(3000)]  # each exactly once
        assert supervisor.poll() is None
        output = log.read_text()
        assert "exited" not in output, output[-5000:]  # neither worker nor beat died and was restarted
        assert "JSONDecodeError" not in output and "Traceback" not in output, output[-5000:]
        wait_for(
            lambda: WorkerHeartbeat.objects.get().seen_at > heartbeat_after_burst, timeout=20, what="beat still ticking"
        )
        print(f"3000 tasks from 4 processes ran in {elapsed:.1f} s")
    finally:
        stop(supervisor)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_supervisor_restarts_a_killed_worker_and_ctrl_c_stops_everything(tmp_path):
    import os

    done = tmp_path / "runs"
    done.mkdir()
    env, log, supervisor = _supervised(tmp_path)
    try:
        first = wait_for(lambda: _worker_pids(log), timeout=30, what="the worker to start")[0]
        send_in_parallel(env=env, folder=done, total=1, senders=1, go=tmp_path / "go1")
        wait_for(lambda: "0" in runs(done), timeout=60, what="a task before the kill")

        os.kill(first, signal.SIGKILL)  # the way the OOM killer or a crash ends it

        second = wait_for(lambda: _worker_pids(log)[1:], timeout=30, what="the worker to be restarted")[0]
        assert second != first
        assert "worker exited (code -9); restarting" in log.read_text()
        send_in_parallel(env=env, folder=done, total=2, senders=1, go=tmp_path / "go2")
        wait_for(lambda: "1" in runs(done), timeout=60, what="a task after the restart")

        # Ctrl-C: the supervisor stops worker and beat, then exits cleanly.
        beat_pid = int(re.search(r"started beat \(pid (\d+)\)", log.read_text()).group(1))
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=30) == 0
        for pid in (second, beat_pid):
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        assert "supervise: stopped" in log.read_text()
    finally:
        stop(supervisor)

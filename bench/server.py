"""gunicorn serving the portal for the bench, as production runs it (sync workers, DEBUG off), and its workers'
memory read from /proc."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench import loadgen

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, *, env: dict, workers: int = 2, log: Path):
        self.env, self.workers, self.log_path = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.log = self.log_path.open("w")
        # A long timeout: a page that takes 30 s under load is a figure to report, not a worker to kill.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kcity.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(self.workers), "--timeout", "900", "--graceful-timeout", "5", "--chdir", str(ROOT)],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.log_path}")
            try:
                status, _body = loadgen.request("127.0.0.1", self.port, "GET", "/bench/bare",
                                                headers=HEADERS, timeout=5)
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within 60 s: see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def worker_pids(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def worker_memory(self) -> list[dict]:
        """Resident memory now and at its peak (VmRSS, VmHWM), in MB, per worker."""
        found = []
        for pid in self.worker_pids():
            try:
                status = (Path("/proc") / str(pid) / "status").read_text()
            except OSError:
                continue
            values = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
                      if line.startswith(("VmRSS", "VmHWM"))}
            found.append({"pid": pid, "rss_mb": round(values.get("VmRSS", 0) / 1024, 1),
                          "peak_mb": round(values.get("VmHWM", 0) / 1024, 1)})
        return found


# TLS ends at the proxy in production, which says so: without it DEBUG-off settings redirect to https.
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "en"}

"""Kept from the first bench: sign-up with a new address and with a registered one, with the production password
hasher, in this process. The two must cost the same, or the time of the answer tells who has an account
(accounts/signup.py)."""

import itertools
import statistics
import time

from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from bench.loadgen import percentile


def _timed(action, runs: int) -> dict:
    action()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = action()
        timings.append((time.perf_counter() - start) * 1000)
    return {"runs": runs, "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1), "status": response.status_code}


def measure(*, runs: int) -> list[dict]:
    User.objects.create_user(email="registered@example.org", password=None, full_name="Registered Applicant")
    numbers = itertools.count()

    def signup(email: str):
        return Client().post("/accounts/signup/", {
            "email": email, "password1": "Bench-Signup-Passw0rd!", "password2": "Bench-Signup-Passw0rd!",
            "full_name": "Bench Person", "language": "en", "time_zone": "Asia/Jakarta",
        }, secure=True)

    with override_settings(ACCOUNT_RATE_LIMITS=False):
        return [
            {"name": "sign-up, new address", **_timed(lambda: signup(f"new{next(numbers)}@example.org"), runs)},
            {"name": "sign-up, registered address", **_timed(lambda: signup("registered@example.org"), runs)},
        ]

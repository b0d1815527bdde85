"""The beat sweeps over the bench dataset: every periodic task beat runs (the PeriodicTask rows the migrations
made, and CELERY_BEAT_SCHEDULE), called in this process as the worker would, timed, with its queries counted.

Each runs twice: the first run sends whatever it finds due (the dataset's reminder history should leave nothing),
the second is the figure the issue asks for, a sweep with nothing due.
"""

import importlib
import json
import time

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask


def _task(name: str):
    module, function = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), function)


def scheduled() -> list[tuple[str, str, list, dict]]:
    found = [(row.name, row.task, json.loads(row.args or "[]"), json.loads(row.kwargs or "{}"))
             for row in PeriodicTask.objects.filter(enabled=True).order_by("name")]
    found += [(name, entry["task"], list(entry.get("args", ())), dict(entry.get("kwargs", {})))
              for name, entry in settings.CELERY_BEAT_SCHEDULE.items()]
    return found


def _once(task, args, kwargs) -> dict:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = task.run(*args, **kwargs)
        elapsed = time.perf_counter() - start
    return {"ms": round(elapsed * 1000, 1), "queries": len(queries), "result": repr(result)[:120]}


def measure() -> list[dict]:
    rows = []
    for name, task_name, args, kwargs in scheduled():
        task = _task(task_name)
        first = _once(task, args, kwargs)
        second = _once(task, args, kwargs)
        rows.append({"name": name, "task": task_name, **second, "first_run": first})
    return rows

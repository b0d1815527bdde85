"""`/healthz`: is the database answering, is the broker reachable, and has a worker answered recently?

Anyone may call it (load balancers, compose health checks), so the answer carries states only; what went wrong
(host names, ports, driver messages) goes to the log for the operator.

- 503 "unavailable": the database or the broker cannot be reached; the portal cannot work.
- 200 "degraded": both answer, but no worker has run the heartbeat task lately (worker or beat stopped, or
  stuck): pages work, e-mails and reminders wait. Not a 503, so a proxy keeps sending visitors, and a first
  start (web migrates before the worker may start) does not deadlock on it.
- 200 "ok": all three.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from kcity import heartbeat
from kcity.celery import app as celery_app

logger = logging.getLogger(__name__)


def _database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down"; the details are for the log, not the caller
        logger.exception("healthz: database unreachable")
        return {"ok": False}
    return {"ok": True}


def _broker_state() -> dict:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("healthz: broker unreachable")
        return {"ok": False}
    return {"ok": True}


def _worker_state(database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "seconds_since_heartbeat": None}
    try:
        age = heartbeat.age_seconds()
    except Exception:
        logger.exception("healthz: worker heartbeat unreadable")
        return {"ok": False, "seconds_since_heartbeat": None}
    fresh = age is not None and age <= settings.WORKER_HEARTBEAT_STALE_SECONDS
    if not fresh:
        logger.warning("healthz: no worker heartbeat %s", "yet" if age is None else f"for {round(age)} s")
    return {"ok": fresh, "seconds_since_heartbeat": None if age is None else round(age)}


@never_cache
def healthz(request):
    database = _database_state()
    broker = _broker_state()
    worker = _worker_state(database["ok"])
    if not (database["ok"] and broker["ok"]):
        status, code = "unavailable", 503
    elif not worker["ok"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "broker": broker, "worker": worker}, status=code)

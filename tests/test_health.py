import logging

import pytest
from django.utils import timezone

from kcity.models import WorkerHeartbeat
from tests.notifications.broker import UNREACHABLE_BROKER, celery_broker


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_a_fresh_worker(client):
    WorkerHeartbeat.objects.create(hostname="celery@test", seen_at=timezone.now())

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}
    assert body["worker"]["ok"] is True
    assert 0 <= body["worker"]["seconds_since_heartbeat"] <= 10


@pytest.mark.django_db
def test_healthz_is_degraded_when_no_worker_answered_recently(client, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 90
    WorkerHeartbeat.objects.create(hostname="celery@test", seen_at=timezone.now() - timezone.timedelta(minutes=5))

    body = client.get("/healthz").json()

    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "seconds_since_heartbeat": 300}


@pytest.mark.django_db
def test_healthz_without_any_heartbeat_says_so(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == {"ok": False, "seconds_since_heartbeat": None}


@pytest.mark.django_db
def test_healthz_is_503_when_broker_unreachable_and_shows_no_details(client, caplog):
    WorkerHeartbeat.objects.create(hostname="celery@test", seen_at=timezone.now())

    with caplog.at_level(logging.ERROR, logger="kcity.health"), celery_broker(UNREACHABLE_BROKER):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"] == {"ok": False}
    raw = response.content.decode()
    assert "127.0.0.1" not in raw and "Connection refused" not in raw and "Error" not in raw
    # The operator still learns what failed: in the log.
    assert any("broker unreachable" in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.postgres  # an in-memory SQLite test database cannot be made unreachable
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_database_unreachable_and_shows_no_details(client, settings, caplog):
    from django.db import connection

    real = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        with caplog.at_level(logging.ERROR, logger="kcity.health"):
            response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(real)

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": False}
    assert body["worker"] == {"ok": False, "seconds_since_heartbeat": None}
    assert "127.0.0.1" not in response.content.decode() and "port" not in response.content.decode()
    assert any("database unreachable" in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_the_heartbeat_task_records_the_worker_and_forgets_nodes_silent_for_a_day(client):
    from kcity.tasks import worker_heartbeat

    WorkerHeartbeat.objects.create(hostname="celery@old-container", seen_at=timezone.now() - timezone.timedelta(days=2))

    worker_heartbeat.apply()  # run as a worker would, in this process

    assert WorkerHeartbeat.objects.get().hostname != "celery@old-container"
    assert client.get("/healthz").json()["worker"]["ok"] is True

"""Sessions with Redis set: "cached_db" (kcity/settings.py). Every web process reads a session from Redis, and the
database stays the truth: a Redis that restarts (or evicts) or is down signs nobody out."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from kcity.cache import DegradingRedisCache
from tests.factories import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def _production_sessions(settings):
    """The engine kcity.settings picks with REDIS_URL set (tests/settings.py pins "db" for the query counts)."""
    settings.SESSION_ENGINE = CACHED_DB


def test_sessions_are_cached_in_redis_and_kept_in_the_database(client):
    assert settings.SESSION_ENGINE == CACHED_DB
    client.force_login(applicant())
    key = client.session.session_key

    assert Session.objects.filter(session_key=key).exists()
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None


def test_a_session_survives_redis_losing_it(client):
    client.force_login(applicant())

    cache.clear()  # what a Redis restart without persistence does
    response = client.get(reverse("proposals:workspace"))

    assert response.status_code == 200


def test_a_signed_in_person_stays_signed_in_while_redis_is_down(client, settings):
    client.force_login(applicant())
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": UNREACHABLE_REDIS}}
    DegradingRedisCache._down_until.clear()
    response = client.get(reverse("proposals:workspace"))

    assert response.status_code == 200

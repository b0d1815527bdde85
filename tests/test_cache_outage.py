"""With the cache (Redis) unreachable, people can still sign in, reset a password and sign up: the cache degrades
to "nothing cached" with a log line (kcity.cache), so allauth's rate limits fail open instead of failing the page."""

import logging

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, applicant

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture(autouse=True)
def cache_down(settings):
    # The production cache configuration (REDIS_URL is set), pointed at a Redis that is not there.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": UNREACHABLE_REDIS}}
    # The warning is logged once per process and half-minute; start each test as a fresh process would.
    from kcity.cache import DegradingRedisCache

    DegradingRedisCache._last_warning.clear()
    DegradingRedisCache._down_until.clear()


@pytest.fixture
def verified_user():
    user = applicant(email="amina@nairobi.go.ke")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_sign_in_works_with_the_cache_down_and_says_so_in_the_log(client, verified_user, caplog):
    with caplog.at_level(logging.WARNING, logger="kcity.cache"):
        response = client.post(reverse("account_login"), {"login": verified_user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:workspace")
    assert client.session["_auth_user_id"] == str(verified_user.pk)
    assert any("Cache unreachable" in r.getMessage() for r in caplog.records)


def test_a_redis_that_does_not_answer_costs_a_sign_in_about_a_second_not_more(client, settings, verified_user):
    import socket
    import time

    silent = socket.socket()  # accepts connections (backlog) but never speaks: a hung Redis
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0"}}
    try:
        started = time.monotonic()
        response = client.post(reverse("account_login"), {"login": verified_user.email, "password": PASSWORD})
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert response.status_code == 302
    assert elapsed < 3, elapsed  # one socket timeout (1 s), then Redis is skipped for the rest of the request


def test_a_wrong_password_is_still_refused_with_the_cache_down(client, verified_user):
    response = client.post(reverse("account_login"), {"login": verified_user.email, "password": "not-it"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_works_with_the_cache_down(client, verified_user):
    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [verified_user.email]


def test_sign_up_works_with_the_cache_down(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "siti.rahma@surabaya.go.id",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Siti Rahma",
            "language": "en",
            "time_zone": "Asia/Jakarta",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="siti.rahma@surabaya.go.id").exists()
    assert len(mail.outbox) == 1


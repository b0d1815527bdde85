"""allauth's own e-mails name the portal from settings, never the Sites default "example.com", and cost the same
work whether or not the address is registered."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from accounts.sites import site_sync
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(PBKDF2PasswordHasher):
    """Django's hasher with few iterations, counting how often a password is hashed."""

    algorithm = "counting_pbkdf2"
    iterations = 10
    calls = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.calls += 1
        return super().encode(password, salt, iterations)


@pytest.fixture(autouse=True)
def _counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_allauth_mail.CountingHasher"]
    CountingHasher.calls = 0
    cache.clear()


def _signup(client, email):
    return client.post(reverse("account_signup"), {
        "email": email, "password1": PASSWORD, "password2": PASSWORD, "full_name": "Siti Rahma",
        "language": "en", "time_zone": "Asia/Jakarta",
    })


def test_signup_mail_names_the_site_from_settings(client, settings):
    settings.SITE_NAME = "K-City Network"
    settings.SITE_URL = "https://portal.kcity.example"
    Site.objects.filter(pk=settings.SITE_ID).update(name="example.com", domain="example.com")

    _signup(client, "new.person@surabaya.go.id")

    body = mail.outbox[0].body
    assert "Hello from K-City Network!" in body
    assert "portal.kcity.example" in body
    assert "example.com" not in body


def test_password_reset_mail_names_the_site_from_settings(client, settings):
    settings.SITE_URL = "https://portal.kcity.example"
    Site.objects.filter(pk=settings.SITE_ID).update(name="example.com", domain="example.com")
    user = UserFactory(email="reset.me@surabaya.go.id")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    client.post(reverse("account_reset_password"), {"email": user.email})

    assert len(mail.outbox) == 1
    assert "example.com" not in mail.outbox[0].body
    assert "Hello from K-City Network!" in mail.outbox[0].body


def test_site_row_follows_settings_after_migrate(settings):
    settings.SITE_NAME = "K-City Network"
    settings.SITE_URL = "https://portal.kcity.example"

    site_sync()

    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == ("K-City Network", "portal.kcity.example")


def test_signup_with_registered_address_does_the_same_work_and_answers_the_same(client):
    UserFactory(email="taken@surabaya.go.id")
    CountingHasher.calls = 0

    new = _signup(client, "fresh@surabaya.go.id")
    hashes_new = CountingHasher.calls
    client.logout()
    CountingHasher.calls = 0
    taken = _signup(client, "taken@surabaya.go.id")
    hashes_taken = CountingHasher.calls

    assert (hashes_new, hashes_taken) == (1, 1)
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert [m.to for m in mail.outbox] == [["fresh@surabaya.go.id"], ["taken@surabaya.go.id"]]
    assert User.objects.filter(email="taken@surabaya.go.id").count() == 1

"""The signed-in person read on every request (accounts.backends, accounts.sessions): the same answers as Django's
own session engine and backends, read by fixed statements. Runs on SQLite and, in CI, on PostgreSQL (there the
user is read by a prepared statement)."""

from datetime import timedelta

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.sessions import SessionStore
from tests.factories import PASSWORD, UserFactory, applicant

pytestmark = pytest.mark.django_db

WORKSPACE = "proposals:workspace"


def _signed_in_as(client):
    """Whom the next page is for: the workspace answers a signed-in applicant, and sends anyone else to sign in."""
    response = client.get(reverse(WORKSPACE))
    return response.wsgi_request.user


def test_a_password_sign_in_is_kept_by_the_portal_s_backend_and_read_back_on_the_next_request(client):
    cache.clear()  # django-axes's counts
    user = applicant(email="amina@nairobi.go.ke")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    # The portal's ModelBackend answers first: the e-mail address is the username (allauth's backend comes after)
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"
    assert _signed_in_as(client) == user


def test_the_user_is_read_whole_in_one_query(client):
    user = applicant()
    client.force_login(user)

    with CaptureQueriesContext(connection) as queries:
        read = ModelBackend().get_user(user.pk)

    assert read == user
    assert (read.email, read.full_name, read.role, read.is_staff) == (user.email, user.full_name, user.role, False)
    assert len(queries) == 1


def test_an_account_deactivated_or_deleted_since_signing_in_is_signed_out_on_its_next_request(client):
    user = applicant()
    client.force_login(user)
    assert _signed_in_as(client) == user

    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _signed_in_as(client).is_anonymous

    other = applicant()
    client.force_login(other)
    other.delete()
    assert _signed_in_as(client).is_anonymous


def test_a_changed_password_still_signs_out_the_other_sessions(client):
    user = applicant()
    client.force_login(user)

    user.set_password("a-new-long-passphrase-2026")
    user.save()

    assert _signed_in_as(client).is_anonymous  # django.contrib.auth.get_user's session hash, on what we read


def test_an_expired_session_reads_as_empty_and_its_key_is_not_taken_again(client):
    user = applicant()
    client.force_login(user)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    store = SessionStore(session_key=key)
    assert store.load() == {}
    assert store.session_key is None
    assert _signed_in_as(client).is_anonymous


def test_a_live_session_reads_what_was_saved_and_an_unknown_or_malformed_key_reads_nothing():
    saved = SessionStore()
    saved["answer"] = {"text": "Jakarta", "n": 42}
    saved.create()

    assert SessionStore(session_key=saved.session_key).load() == {"answer": {"text": "Jakarta", "n": 42}}
    assert SessionStore(session_key="z" * 32).load() == {}
    assert SessionStore(session_key="short").session_key is None  # Django's own check of a key's form
    assert SessionStore(session_key="short").load() == {}
    assert SessionStore(session_key="' OR '1'='1' --").load() == {}  # a parameter, never SQL


def test_a_session_row_whose_data_was_tampered_with_reads_as_empty(client):
    user = applicant()
    client.force_login(user)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(session_data="not-signed:" + "x" * 20)

    assert SessionStore(session_key=key).load() == {}
    assert _signed_in_as(client).is_anonymous


def test_a_session_id_that_is_not_a_number_falls_back_to_django_s_read():
    user = UserFactory()

    assert ModelBackend().get_user(str(user.pk)) == user
    assert AuthenticationBackend().get_user(user.pk) == user
    assert ModelBackend().get_user(user.pk + 10_000) is None


def test_the_session_carries_the_user_s_id_and_backend(client):
    user = applicant()
    client.force_login(user)

    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"


def test_allauth_s_own_sign_in_without_a_password_keeps_the_person_signed_in(client, rf, settings):
    """After an e-mail confirmation or a sign-up, allauth signs in without authenticate(): it names its backend by
    the class it finds in AUTHENTICATION_BACKENDS, which must be one get_user() accepts on the next request."""
    user = applicant()
    request = rf.get("/")
    SessionMiddleware(lambda request: None).process_request(request)
    MessageMiddleware(lambda request: None).process_request(request)

    get_adapter(request).login(request, user)
    request.session.save()

    assert request.session[BACKEND_SESSION_KEY] == "accounts.backends.AuthenticationBackend"
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    assert _signed_in_as(client) == user

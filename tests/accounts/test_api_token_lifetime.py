"""API tokens expire, can be revoked by their owner, and end when the password changes or the account closes."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEntry
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
PROTECTED = "/api/v1/proposals/"


def _token_for(user) -> str:
    response = APIClient().post(URL, {"username": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def _call(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(PROTECTED)


def test_token_answer_says_when_it_expires(settings):
    settings.API_TOKEN_TTL_DAYS = 7
    user = UserFactory()

    response = APIClient().post(URL, {"username": user.email, "password": PASSWORD}, format="json")

    token = Token.objects.get(user=user)
    expires = datetime.datetime.fromisoformat(response.json()["expires_at"])
    assert expires == token.created + datetime.timedelta(days=7)


def test_expired_token_is_refused_with_401_json_and_a_message(settings):
    settings.API_TOKEN_TTL_DAYS = 30
    user = UserFactory()
    key = _token_for(user)
    assert _call(key).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=30, seconds=1))

    response = _call(key)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "This API token has expired. Request a new one with your e-mail address and password at "
                  "/api/v1/auth/token/."
    }


def test_token_within_its_lifetime_still_works(settings):
    settings.API_TOKEN_TTL_DAYS = 30
    user = UserFactory()
    key = _token_for(user)
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=29, hours=23))

    assert _call(key).status_code == 200


def test_asking_again_after_expiry_gives_a_new_token():
    user = UserFactory()
    old = _token_for(user)
    Token.objects.filter(key=old).update(created=timezone.now() - datetime.timedelta(days=31))

    new = _token_for(user)

    assert new != old
    assert list(Token.objects.filter(user=user).values_list("key", flat=True)) == [new]
    assert _call(new).status_code == 200


def test_owner_revokes_their_token_with_delete():
    user = UserFactory()
    key = _token_for(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.delete(URL)

    assert response.status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert _call(key).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", target_id=str(user.pk)).count() == 1


def test_revoking_without_signing_in_is_401_json():
    response = APIClient().delete(URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in (or send your token) to revoke it."}


def test_set_password_and_save_ends_every_token_of_the_user():
    user = UserFactory()
    other = UserFactory()
    key, other_key = _token_for(user), _token_for(other)

    user.set_password("a-new-password-for-this-test-9")
    user.save()

    assert _call(key).status_code == 401
    assert not Token.objects.filter(user=user).exists()
    assert _call(other_key).status_code == 200


def test_saving_without_a_password_change_keeps_the_token():
    user = UserFactory()
    key = _token_for(user)

    user.full_name = "Renamed"
    user.save()

    assert _call(key).status_code == 200


def test_password_change_through_allauth_ends_the_token():
    user = UserFactory()
    key = _token_for(user)
    browser = Client()
    browser.force_login(user)

    response = browser.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "another-long-pass-phrase-7", "password2": "another-long-pass-phrase-7",
    })

    assert response.status_code == 302
    assert _call(key).status_code == 401


def test_password_reset_through_allauth_ends_the_token():
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    key = _token_for(user)
    browser = Client()
    browser.post("/accounts/password/reset/", {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = link[link.index("/accounts/"):].strip()
    opened = browser.get(path, follow=True)  # allauth moves the key into the session and redirects
    form_url = opened.redirect_chain[-1][0] if opened.redirect_chain else path
    new = "reset-long-pass-phrase-8"

    response = browser.post(form_url, {"password1": new, "password2": new})

    assert response.status_code == 302
    assert _call(key).status_code == 401


def test_password_set_by_a_superuser_in_the_admin_ends_the_token():
    user = UserFactory()
    key = _token_for(user)
    admin = StaffFactory(is_superuser=True)
    browser = Client()
    browser.force_login(admin)

    response = browser.post(f"/admin/accounts/user/{user.pk}/password/", {
        "password1": "admin-set-pass-phrase-11", "password2": "admin-set-pass-phrase-11", "usable_password": "true",
    })

    assert response.status_code == 302
    assert _call(key).status_code == 401


def test_deactivating_the_account_ends_the_token():
    user = UserFactory()
    key = _token_for(user)

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert not Token.objects.filter(user=user).exists()
    assert _call(key).status_code == 401


def test_owner_revokes_their_token_on_the_settings_page():
    user = UserFactory()
    key = _token_for(user)
    browser = Client()
    browser.force_login(user)
    page = browser.get("/accounts/settings/").content.decode()
    assert 'id="revoke-api-token"' in page

    response = browser.post("/accounts/settings/", {"revoke_api_token": "1"})

    assert response.status_code == 302
    assert _call(key).status_code == 401
    assert "You have no API token." in browser.get("/accounts/settings/").content.decode()

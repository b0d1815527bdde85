import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "amina@nairobi.go.ke"


@pytest.fixture(autouse=True)
def verified_user():
    cache.clear()
    user = UserFactory(email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def _sign_in(client, password, login=EMAIL):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_lockout_after_five_failures_refuses_the_right_password(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    refused = [_sign_in(client, "wrong-password").status_code for _ in range(5)]

    response = _sign_in(client, PASSWORD)

    assert refused == [200, 200, 200, 200, 429]  # the form with its error, then the lockout from the fifth
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "signing in to this account is paused for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert attempt.username == EMAIL
    assert attempt.failures_since_start == 6  # the refused right password counts: AxesStandaloneBackend stopped it


def test_lockout_counts_the_address_whatever_its_case(client):
    for _ in range(5):
        _sign_in(client, "wrong-password", login=EMAIL.upper())

    response = _sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == EMAIL


def test_lockout_page_uses_portal_layout_and_offers_password_reset(client):
    for _ in range(5):
        _sign_in(client, "wrong-password")

    html = _sign_in(client, PASSWORD).content.decode()

    assert 'class="navbar navbar-expand-lg navbar-dark bg-kcity"' in html
    assert f'href="{reverse("account_reset_password")}"' in html


def test_four_failures_then_right_password_signs_in_and_resets_the_count(client):
    for _ in range(4):
        _sign_in(client, "wrong-password")

    response = _sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    assert not AccessAttempt.objects.filter(username=EMAIL, failures_since_start__gt=0).exists()


def test_lockout_of_one_address_leaves_another_free(client):
    other = UserFactory(email="budi@jakarta.go.id")
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    for _ in range(5):
        _sign_in(client, "wrong-password")

    response = _sign_in(client, PASSWORD, login="budi@jakarta.go.id")

    assert response.status_code == 302

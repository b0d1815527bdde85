import pytest
from axes.models import AccessAttempt
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


@pytest.fixture
def client():
    return APIClient()


def test_token_obtain_with_email_and_password_returns_the_users_token(client):
    user = UserFactory(email="siti@example.org")

    response = client.post(URL, {"username": "siti@example.org", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key
    assert set(response.json()) == {"token", "expires_at"}


def test_token_obtain_is_case_insensitive_on_email_and_stable(client):
    UserFactory(email="siti@example.org")

    first = client.post(URL, {"username": "Siti@Example.org", "password": PASSWORD}, format="json")
    second = client.post(URL, {"username": "siti@example.org", "password": PASSWORD}, format="json")

    assert first.status_code == 200
    assert first.json()["token"] == second.json()["token"]


def test_token_obtain_wrong_password_is_400_with_message(client):
    UserFactory(email="siti@example.org")

    response = client.post(URL, {"username": "siti@example.org", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to sign in with these credentials."]}
    assert not Token.objects.exists()


def test_token_obtain_missing_fields_is_400_per_field(client):
    response = client.post(URL, {"username": "not-an-email"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_token_obtain_locks_account_after_failure_limit(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="siti@example.org")
    wrong = {"username": "siti@example.org", "password": "wrong"}

    statuses = [client.post(URL, wrong, format="json").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]
    assert AccessAttempt.objects.get(username="siti@example.org").failures_since_start == 3


def test_token_obtain_locked_account_refuses_even_the_right_password_with_json(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="siti@example.org")
    for _ in range(3):
        client.post(URL, {"username": "siti@example.org", "password": "wrong"}, format="json")

    response = client.post(URL, {"username": "siti@example.org", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "1800"
    assert response.json() == {
        "detail": "Too many failed sign-in attempts: signing in to this account is paused for 30 minutes. "
        "Try again later, or reset your password.",
        "code": "locked_out",
    }
    assert not Token.objects.exists()


def test_token_obtain_lockout_is_per_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="siti@example.org")
    UserFactory(email="budi@example.org")
    for _ in range(3):
        client.post(URL, {"username": "siti@example.org", "password": "wrong"}, format="json")

    response = client.post(URL, {"username": "budi@example.org", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_token_authenticates_api_requests(client):
    user = UserFactory(email="siti@example.org")
    token = client.post(URL, {"username": "siti@example.org", "password": PASSWORD}, format="json").json()["token"]

    anonymous = client.get("/api/v1/proposals/")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    signed_in = client.get("/api/v1/proposals/")

    assert anonymous.status_code == 401
    assert signed_in.status_code == 200
    assert Token.objects.get(key=token).user == user

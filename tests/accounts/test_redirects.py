"""Every `next` the portal follows goes through core.redirects: this site only, https when the request is."""

import pytest
from allauth.account.models import EmailAddress
from django.test import RequestFactory
from django.urls import reverse

from core.redirects import is_safe_redirect
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/phish",
    "http://evil.example/",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "https:evil.example",
    "\x00/evil",
    " https://evil.example/",
]
ORGANISATION = {"name": "Surabaya City Government", "country": "ID", "kind": "city", "region_city": "Surabaya"}


@pytest.mark.parametrize("target", OFF_SITE)
def test_organisation_create_ignores_off_site_next(client, target):
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:organisation-create") + "?" + _query(target), ORGANISATION)

    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:workspace")


def test_organisation_create_follows_next_on_this_site(client):
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:organisation-create") + "?next=/proposals/start/", ORGANISATION)

    assert response["Location"] == "/proposals/start/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_ignores_off_site_next(client, target):
    user = UserFactory(email="amina@nairobi.go.ke")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(reverse("account_login") + "?" + _query(target),
                           {"login": "amina@nairobi.go.ke", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation-create")


def test_the_check_requires_https_on_a_secure_request():
    secure = RequestFactory().get("/", secure=True)
    plain = RequestFactory().get("/")

    assert is_safe_redirect(secure, "/proposals/")
    assert is_safe_redirect(secure, "https://testserver/proposals/")
    assert not is_safe_redirect(secure, "http://testserver/proposals/")
    assert is_safe_redirect(plain, "http://testserver/proposals/")
    assert not is_safe_redirect(plain, "")
    assert not is_safe_redirect(plain, None)


def _query(target):
    from urllib.parse import urlencode

    return urlencode({"next": target})


@pytest.mark.parametrize(("target", "expected"), [
    ("https://evil.example/phish", "/"), ("//evil.example/", "/"), ("javascript:alert(1)", "/"),
    ("/stats/", "/stats/"),
])
def test_language_switch_follows_only_a_next_on_this_site(client, target, expected):
    response = client.post("/i18n/setlang/", {"language": "ko", "next": target})

    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies["django_language"].value == "ko"

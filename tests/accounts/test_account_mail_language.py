"""allauth's e-mails about an account go in that account's language (User.language), whatever the language of
the browser that asked for them: a reset asked from an English page reaches a Korean reader in Korean."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    mail.outbox.clear()


def _in(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def _subject(message) -> str:
    return message.subject.removeprefix(django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)


def test_password_reset_asked_from_an_english_page_reaches_a_korean_account_in_korean(client):
    user = UserFactory(email="minji@seoul.go.kr", language="ko")
    korean, english = _in("ko", "Password Reset Email"), _in("en", "Password Reset Email")
    assert korean != english

    client.post(reverse("account_reset_password"), {"email": "MINJI@seoul.go.kr"}, HTTP_ACCEPT_LANGUAGE="en")

    (message,) = mail.outbox
    assert (message.to, _subject(message)) == ([user.email], korean)


def test_password_reset_asked_from_a_french_page_reaches_an_english_account_in_english(client):
    UserFactory(email="siti@surabaya.go.id", language="en")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "fr"

    client.post(reverse("account_reset_password"), {"email": "siti@surabaya.go.id"})

    (message,) = mail.outbox
    assert _subject(message) == "Password Reset Email"
    assert _in("fr", "Password Reset Email") != "Password Reset Email"


def test_account_already_exists_mail_goes_in_the_accounts_language(client):
    UserFactory(email="ana@bogota.gov.co", language="es")

    client.post(
        reverse("account_signup"),
        {
            "email": "ana@bogota.gov.co",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Ana Ruiz",
            "language": "en",
            "time_zone": "America/Bogota",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    (message,) = mail.outbox
    assert _subject(message) == _in("es", "Account Already Exists") != "Account Already Exists"


def test_signup_confirmation_goes_in_the_language_chosen_on_the_form(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@dakar.gouv.sn",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Awa Diop",
            "language": "fr",
            "time_zone": "Africa/Dakar",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    (message,) = mail.outbox
    expected = _in("fr", "Please Confirm Your Email Address")
    assert expected != "Please Confirm Your Email Address"
    assert _subject(message) == expected


def test_password_changed_notice_goes_in_the_accounts_language(client, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    user = UserFactory(email="rania@amman.gov.jo", language="ar")
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # the page itself is read in English

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "A-new-passphrase-2026", "password2": "A-new-passphrase-2026"},
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert _subject(message) == _in("ar", "Password Changed") != "Password Changed"

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory, applicant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    # allauth sends one confirmation mail per address per 3 minutes, counted in the cache: start each test clean.
    cache.clear()

SIGNUP = {
    "email": "siti.rahma@surabaya.go.id",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "full_name": "Siti Rahma",
    "language": "en",
    "time_zone": "Asia/Jakarta",
}


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_creates_applicant_with_profile_and_sends_verification_mail(client):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="siti.rahma@surabaya.go.id")
    assert (user.full_name, user.language, str(user.time_zone), user.role) == (
        "Siti Rahma", "en", "Asia/Jakarta", Role.APPLICANT,
    )
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti.rahma@surabaya.go.id"]
    assert mail.outbox[0].subject.startswith("[K-City Network] ")
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_confirm_link_shows_button_then_signs_in_and_leads_to_organisation_form(client):
    client.post(reverse("account_signup"), SIGNUP)
    link = _confirmation_link(mail.outbox[0])

    page = client.get(link)
    response = client.post(link)

    assert page.status_code == 200
    assert "Confirm" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation-create")
    assert EmailAddress.objects.get(email="siti.rahma@surabaya.go.id").verified is True
    assert client.get(reverse("accounts:organisation-create")).status_code == 200


def test_signup_with_mismatched_passwords_keeps_what_was_typed(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something-else-99"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "You must type the same password each time." in html
    assert 'value="siti.rahma@surabaya.go.id"' in html
    assert 'value="Siti Rahma"' in html
    assert not User.objects.filter(email="siti.rahma@surabaya.go.id").exists()


def test_signup_page_uses_portal_layout_and_bootstrap_fields(client):
    response = client.get(reverse("account_signup"))

    html = response.content.decode()
    assert 'class="navbar navbar-expand-lg navbar-dark bg-kcity"' in html
    assert 'class="textinput form-control"' in html
    assert 'id="id_time_zone"' in html
    assert 'data-bound="false"' in html
    # The browser-zone script is a file (the Content-Security-Policy refuses inline scripts).
    assert '<script src="/static/js/signup-time-zone.js"></script>' in html
    script = (Path(settings.BASE_DIR) / "static/js/signup-time-zone.js").read_text()
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in script


def test_login_unverified_user_is_not_signed_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    mail.outbox.clear()

    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified is False


def test_login_verified_applicant_without_organisation_goes_to_organisation_form(client):
    user = UserFactory(email="amina@nairobi.go.ke")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": "amina@nairobi.go.ke", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation-create")


def test_login_applicant_with_organisation_goes_to_workspace(client):
    user = applicant(email="budi@jakarta.go.id")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": "budi@jakarta.go.id", "password": PASSWORD})

    assert response["Location"] == reverse("proposals:workspace")


def test_login_next_parameter_wins_over_organisation_form(client):
    user = UserFactory(email="amina@nairobi.go.ke")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login") + "?next=/stats/", {"login": "amina@nairobi.go.ke", "password": PASSWORD}
    )

    assert response["Location"] == "/stats/"


def test_logout_page_signs_out(client):
    user = applicant()
    client.force_login(user)

    page = client.get(reverse("account_logout"))
    response = client.post(reverse("account_logout"))

    assert page.status_code == 200
    assert "Are you sure you want to sign out?" in page.content.decode()
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="amina@nairobi.go.ke")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client.post(reverse("account_reset_password"), {"email": "amina@nairobi.go.ke"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0],
                           {"password1": "a-new-long-passphrase-7", "password2": "a-new-long-passphrase-7"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-7")


def test_staff_login_goes_to_the_inbox(client):
    from tests.factories import StaffFactory

    staff = StaffFactory(email="officer@molit.go.kr")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": "officer@molit.go.kr", "password": PASSWORD})

    assert response["Location"] == reverse("proposals_staff:inbox")


def test_signup_page_in_korean_offers_korean_as_preferred_language(client):
    client.post(reverse("set_language"), {"language": "ko", "next": "/"})

    response = client.get(reverse("account_signup"))

    assert '<option value="ko" selected>' in response.content.decode()


def test_account_management_pages_use_portal_layout(client):
    user = applicant()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)

    for name in ("account_email", "account_change_password"):
        response = client.get(reverse(name))

        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'class="navbar navbar-expand-lg navbar-dark bg-kcity"' in html
        assert "auth-manage" in html
        assert 'class="btn btn-primary' in html

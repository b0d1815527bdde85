"""Sign-in, the Korean pages, sign-out, password reset and the lockout, as a returning applicant sees them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import PASSWORD, ProgrammeFactory, TrackFactory, applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "james.mwangi@nakuru.go.ke"


@pytest.fixture
def browser_timezone():
    return "Africa/Nairobi"


@pytest.fixture
def returning_applicant():
    cache.clear()
    TrackFactory(programme=ProgrammeFactory(), name="Smart Urban planning")
    user = applicant(email=EMAIL, full_name="James Mwangi", time_zone="Africa/Nairobi")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def _sign_in(page, password):
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_account_pages_sign_in_korean_sign_out_and_password_reset(page, shoot, returning_applicant):
    page.goto("/accounts/login/")
    shoot(page, "sign-in")
    _sign_in(page, "not-my-password")
    expect(page.locator("#login-form .alert-danger")).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value(EMAIL)
    shoot(page, "sign-in-error")
    _sign_in(page, PASSWORD)
    expect(page).to_have_url(re.compile(r"/proposals/$"))
    expect(page.locator("footer")).to_contain_text("Africa/Nairobi")

    # allauth's own account pages sit in the portal's layout too.
    page.goto("/accounts/email/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "manage-email")
    page.goto("/accounts/password/change/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "manage-password")

    # The language switcher turns the portal Korean.
    page.goto("/")
    page.locator("#language-select").select_option("ko")
    page.locator("#language-go").click()  # nothing happens until Go (WCAG 3.2.2)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    shoot(page, "home-korean")
    page.locator("#language-select").select_option("en")
    page.locator("#language-go").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Sign out from the account menu.
    page.get_by_role("button", name="James").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#nav").get_by_role("link", name="Sign in")).to_be_visible()
    shoot(page, "signed-out")

    # Password reset by e-mail.
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(EMAIL)
    shoot(page, "password-reset")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Look in your mailbox")
    shoot(page, "password-reset-sent")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.locator("#id_password1").fill("Nakuru-new-passphrase-7")
    page.locator("#id_password2").fill("Nakuru-new-passphrase-7")
    shoot(page, "password-new")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    shoot(page, "password-changed")
    returning_applicant.refresh_from_db()
    assert returning_applicant.check_password("Nakuru-new-passphrase-7")


def test_account_pages_lockout_after_five_failed_sign_ins(page, shoot, returning_applicant):
    page.goto("/accounts/login/")
    for _ in range(5):
        _sign_in(page, "not-my-password")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Too many failed sign-in attempts")
    page.goto("/accounts/login/")
    _sign_in(page, PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Too many failed sign-in attempts")
    expect(page.get_by_role("link", name="Reset password")).to_be_visible()
    shoot(page, "lockout")

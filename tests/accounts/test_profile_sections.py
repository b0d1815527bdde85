"""The account settings page shows the sections other apps register (accounts.hooks.profile_sections)."""

import pytest
from django import forms
from django.urls import reverse

from accounts.hooks import profile_sections
from notifications.profile import email_preferences_section
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SETTINGS_URL = reverse("accounts:profile")


class ReadingForm(forms.Form):
    pages = forms.IntegerField(label="Pages a day", min_value=1)


class ReadingSection:
    """A section as another app would add it; it records what it was asked to save."""

    key = "reading"
    title = "Reading habits"
    template = "notifications/profile_section.html"  # any template taking `section` and `form`
    saved_message = "Reading habits saved."

    def __init__(self):
        self.saved = []

    def form(self, *, user, data=None):
        return ReadingForm(data, prefix=self.key)

    def save(self, *, user, form):
        self.saved.append((user.pk, form.cleaned_data["pages"]))


@pytest.fixture
def reading():
    section = ReadingSection()

    def receiver(*, user):
        return section if user.full_name != "No Reader" else None

    profile_sections.register(receiver)
    yield section
    profile_sections.unregister(receiver)


def test_notifications_section_is_registered():
    assert email_preferences_section in profile_sections.receivers


def test_settings_page_shows_sections_in_registration_order(client, reading):
    client.force_login(UserFactory())

    html = client.get(SETTINGS_URL).content.decode()

    assert html.index('id="notifications"') < html.index('<h2 class="h5 mt-5" id="reading">Reading habits</h2>')
    assert 'name="reading-pages"' in html


def test_settings_page_leaves_out_a_section_not_for_this_person(client, reading):
    client.force_login(UserFactory(full_name="No Reader"))

    html = client.get(SETTINGS_URL).content.decode()

    assert 'id="reading"' not in html
    assert 'id="notifications"' in html


def test_section_saved_through_its_own_save_when_its_button_is_posted(client, reading):
    person = UserFactory(full_name="Siti Rahma")
    client.force_login(person)

    response = client.post(SETTINGS_URL, {"reading-pages": "12", "save_reading": "1"}, follow=True)

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Reading habits saved." in response.content.decode()
    assert reading.saved == [(person.pk, 12)]
    person.refresh_from_db()
    assert person.full_name == "Siti Rahma"


def test_section_with_errors_shows_them_and_saves_nothing(client, reading):
    client.force_login(UserFactory())

    response = client.post(SETTINGS_URL, {"reading-pages": "0", "save_reading": "1"})

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert reading.saved == []

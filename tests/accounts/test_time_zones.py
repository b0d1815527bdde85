"""The time-zone choice: zones grouped by country (named in the reader's language), each its city with its UTC
offset, the IANA name stored; old aliases accepted and stored as the zone they stand for."""

import datetime
import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.forms import ProfileForm, SignupProfileForm
from accounts.models import User
from accounts.time_zones import city_name, time_zone_choices, utc_offset, zone_aliases, zone_countries
from tests.factories import PASSWORD, UserFactory

JANUARY = datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC)
JULY = datetime.datetime(2027, 7, 15, 12, tzinfo=datetime.UTC)


def _group(choices, name):
    return dict(dict(choices)[name])


def test_city_names_are_in_the_readers_language():
    with translation.override("en"):
        assert city_name("America/Argentina/Buenos_Aires") == "Buenos Aires"
        assert city_name("Asia/Ho_Chi_Minh") == "Ho Chi Minh City"
    with translation.override("ko"):
        assert city_name("Asia/Jakarta") == "자카르타"
    with translation.override("ar"):
        assert city_name("Asia/Jakarta") == "جاكرتا"
    with translation.override("es"):
        assert city_name("Asia/Jakarta") == "Yakarta"
    with translation.override("fr"):
        assert city_name("Asia/Seoul") == "Séoul"


def test_offsets_follow_daylight_saving_and_use_a_minus_sign():
    assert (utc_offset("America/New_York", at=JANUARY), utc_offset("America/New_York", at=JULY)) == (
        "UTC\u221205:00",
        "UTC\u221204:00",
    )
    assert utc_offset("Asia/Kolkata", at=JULY) == "UTC+05:30"


def test_zones_are_grouped_by_country_in_the_readers_language():
    with translation.override("es"):
        spanish = time_zone_choices(at=JULY)
        other, utc = gettext("Other"), gettext("Coordinated Universal Time (UTC)")
    with translation.override("ko"):
        korean = time_zone_choices(at=JULY)

    argentina = _group(spanish, "Argentina")
    assert argentina["America/Argentina/Buenos_Aires"] == "Buenos Aires (UTC\u221203:00)"
    assert _group(spanish, "Corea del Sur") == {"Asia/Seoul": "Seúl (UTC+09:00)"}
    assert _group(korean, "대한민국") == {"Asia/Seoul": "서울 (UTC+09:00)"}
    assert spanish[-1] == (other, [("UTC", utc)])  # UTC last, after the countries


def test_the_list_offers_each_country_zone_once_not_every_raw_name():
    choices = time_zone_choices(at=JULY)
    values = [zone for _country, zones in choices for zone, _label in zones]

    assert len(values) == len(set(values)) == len(zone_countries()) + 1  # and UTC
    assert len(values) < len(zoneinfo.available_timezones()) - 150
    assert not [zone for zone in values if zone.startswith(("Etc/", "US/", "SystemV"))]
    names = [name for name, _zones in choices[:-1]]
    assert names == sorted(names, key=str.casefold)


def test_aliases_point_at_listed_zones():
    assert zone_aliases()["Asia/Calcutta"] == "Asia/Kolkata"
    assert zone_aliases()["Europe/Kiev"] == "Europe/Kyiv"


@pytest.mark.django_db
def test_signup_stores_the_iana_name_of_the_chosen_zone(client):
    cache.clear()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "arjun@pune.gov.in",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Arjun Rao",
            "language": "en",
            "time_zone": "Asia/Calcutta",
        },
    )

    assert response.status_code == 302
    assert str(User.objects.get(email="arjun@pune.gov.in").time_zone) == "Asia/Kolkata"


def test_an_unknown_zone_is_refused_with_a_message():
    form = SignupProfileForm(data={"full_name": "A", "language": "en", "time_zone": "Mars/Olympus_Mons"})

    assert not form.is_valid()
    assert form.errors["time_zone"] == ["Select a valid choice. Mars/Olympus_Mons is not one of the available choices."]


@pytest.mark.django_db
def test_profile_keeps_a_stored_zone_the_list_does_not_show():
    user = UserFactory(time_zone="US/Eastern")

    form = ProfileForm(instance=user)
    html = str(form["time_zone"])

    assert re.search(r'<option value="US/Eastern" selected>US/Eastern \(UTC\u22120[45]:00\)</option>', html)


@pytest.mark.django_db
def test_signup_page_groups_zones_by_country_with_the_aliases_for_the_detected_zone(client):
    page = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<optgroup label="Argentine">' in page
    assert re.search(r'<option value="America/Argentina/Buenos_Aires">Buenos Aires \(UTC\u221203:00\)</option>', page)
    assert "data-aliases=" in page and "Asia/Calcutta" in page

import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_visitor_times_follow_browser_zone_cookie(client):
    client.cookies["kcity_tz"] = "Asia/Jakarta"

    response = client.get("/")

    assert "Times are shown in Asia/Jakarta." in response.content.decode()


@pytest.mark.django_db
def test_visitor_with_invalid_zone_cookie_gets_site_default(client):
    client.cookies["kcity_tz"] = "Mars/Olympus_Mons"

    response = client.get("/")

    assert response.status_code == 200
    assert "Times are shown in Asia/Seoul." in response.content.decode()


@pytest.mark.django_db
def test_signed_in_user_zone_wins_over_browser_cookie(client):
    user = UserFactory(time_zone="America/Bogota")
    client.force_login(user)
    client.cookies["kcity_tz"] = "Asia/Jakarta"

    response = client.get("/")

    assert "Times are shown in America/Bogota." in response.content.decode()

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


@pytest.mark.django_db
def test_visitor_zone_cookie_written_url_encoded_by_the_browser_is_recognised(client):
    client.cookies["kcity_tz"] = "America%2FBogota"  # static/js/portal.js writes encodeURIComponent(zone)

    response = client.get("/")

    assert "Times are shown in America/Bogota." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", ["..%2F..%2Fetc%2Fpasswd", "America%2FAtlantis", "%E0%A4%A", "A" * 200,
                                    "%2Fusr%2Fshare%2Fzoneinfo%2FUTC"])
def test_visitor_zone_cookie_that_is_no_known_zone_is_ignored(client, cookie):
    client.cookies["kcity_tz"] = cookie

    response = client.get("/")

    assert response.status_code == 200
    assert "Times are shown in Asia/Seoul." in response.content.decode()

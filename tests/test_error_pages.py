"""The error pages a reader of the portal meets (403, 404, 500): the portal's layout, the reader's language with
`<html lang>` to match, a way on (back, home, help, contacts), and no internals. The API keeps its JSON errors
(tests/test_api_errors.py). The URLs below add failing views to the portal's own URL configuration and its
handlers, so the real handlers run."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.urls import path
from django.utils import translation

from core import api
from kcity import urls as portal_urls
from tests.factories import applicant


def _forbidden_view(request):
    raise PermissionDenied("Only committee members can do this.")


def _broken_view(request):
    with connection.cursor() as cursor:  # a failure with internals in its message
        cursor.execute("SELECT secret_column FROM no_such_table_at_db_host_10_0_0_5")


urlpatterns = [
    path("_forbidden/", _forbidden_view),
    path("_broken/", _broken_view),
    path("api/v1/_forbidden/", _forbidden_view),
    *portal_urls.urlpatterns,
]
handler403 = portal_urls.handler403
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def _way_on(html: str) -> dict[str, bool]:
    return {name: f'id="way-{name}"' in html for name in ("home", "help", "contact")}


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_missing_page_is_the_portals_404_in_the_readers_language(client, language):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 404
    assert _html_lang(html) == language
    assert 'id="language-switcher"' in html and 'id="footer-links"' in html  # base.html's header and footer
    assert 'data-status="404"' in html
    assert _way_on(html) == {"home": True, "help": True, "contact": True}
    with translation.override(language):
        assert f"<title>{translation.gettext('Page not found')} – " in html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_refusal_is_the_portals_403_in_the_readers_language(client, language):
    client.force_login(applicant(language=language))

    response = client.get("/_forbidden/", HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 403
    assert _html_lang(html) == language
    assert 'data-status="403"' in html and 'id="footer-links"' in html
    assert '<p class="lead" id="error-reason">Only committee members can do this.</p>' in html
    assert _way_on(html) == {"home": True, "help": True, "contact": True}


def test_a_refusal_offers_a_visitor_the_sign_in_page(client):
    response = client.get("/_forbidden/")

    assert response.status_code == 403
    assert 'href="/accounts/login/?next=/_forbidden/" id="error-sign-in"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_server_error_is_the_portals_500_in_the_readers_language_without_internals(client, language):
    client.raise_request_exception = False

    response = client.get("/_broken/", HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert _html_lang(html) == language
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    assert 'class="navbar navbar-dark bg-kcity"' in html and 'data-status="500"' in html
    assert _way_on(html) == {"home": True, "help": True, "contact": True}
    assert "no_such_table" not in html and "10_0_0_5" not in html and "Traceback" not in html


def test_the_back_link_leads_only_to_a_page_of_this_site(client):
    here = client.get("/no-such-page/", HTTP_REFERER="http://testserver/stats/").content.decode()
    elsewhere = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/phish").content.decode()

    assert 'id="way-back" href="http://testserver/stats/"' in here
    assert 'id="way-back"' not in elsewhere


def test_the_500_page_renders_without_the_database_or_context_processors(django_assert_num_queries, settings):
    # A context processor that fails (as one reading a database that is down would) must not matter: the page
    # is rendered with a plain context.
    html_engine = settings.TEMPLATES[0]
    processors = [*html_engine["OPTIONS"]["context_processors"], "tests.test_error_pages.failing"]
    settings.TEMPLATES = [{**html_engine, "OPTIONS": {**html_engine["OPTIONS"], "context_processors": processors}},
                          *settings.TEMPLATES[1:]]
    request = RequestFactory().get("/proposals/", HTTP_REFERER="http://testserver/stats/")

    with django_assert_num_queries(0), translation.override("ko"):
        response = api.handler500(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert _html_lang(html) == "ko"
    assert 'id="way-back" href="http://testserver/stats/"' in html


def failing(request):
    raise RuntimeError("the database is down")


def test_the_api_keeps_its_json_403(client):
    response = client.get("/api/v1/_forbidden/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "permission_denied"

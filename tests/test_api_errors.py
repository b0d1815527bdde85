"""API errors are JSON, a 500 included, and carry no internals. The URLs below add two failing endpoints to the
portal's own URL configuration (with its handler404/handler500), so the real exception handler and handlers run."""

import logging

import pytest
from django.db import connection
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from kcity import urls as portal_urls


class _BrokenApiView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        with connection.cursor() as cursor:  # an unexpected failure deep inside, with internals in its message
            cursor.execute("SELECT secret_column FROM no_such_table_at_db_host_10_0_0_5")
        return None


def _broken_plain_view(request):
    raise RuntimeError("internal detail: /srv/kcity/secret/path")


urlpatterns = [
    path("api/v1/_broken/", _BrokenApiView.as_view()),
    path("api/v1/_broken_plain/", _broken_plain_view),
    *portal_urls.urlpatterns,
]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_an_unexpected_exception_in_an_api_view_is_a_json_500_without_internals(client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/_broken/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "error"
    assert "try again later" in body["detail"]
    assert "no_such_table" not in response.content.decode() and "10_0_0_5" not in response.content.decode()
    assert any(r.exc_info and "_broken" in r.getMessage() for r in caplog.records)  # the traceback is logged


def test_the_server_error_message_is_in_the_callers_language(client):
    response = client.get("/api/v1/_broken/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 500
    assert "try again later" not in response.json()["detail"]


def test_an_exception_outside_drf_under_api_is_json_too(client):
    client.raise_request_exception = False

    response = client.get("/api/v1/_broken_plain/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "error"
    assert "secret" not in response.content.decode()


def test_an_unknown_api_url_is_a_json_404_and_a_page_elsewhere(client):
    api = client.get("/api/v1/no-such-resource/")
    page = client.get("/no-such-page/")

    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")

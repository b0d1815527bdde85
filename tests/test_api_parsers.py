"""Request bodies the API cannot read answer 400 "malformed JSON", never 500 (core.parsers)."""

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import applicant

pytestmark = pytest.mark.django_db


def _nested(levels):
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [33, 1000, 100_000])
def test_deeply_nested_json_to_the_token_endpoint_is_400(levels):
    response = APIClient().post("/api/v1/auth/token/", _nested(levels), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Malformed JSON: lists and objects may nest at most 32 levels deep."
    }


def test_deeply_nested_json_in_an_object_to_another_endpoint_is_400():
    client = APIClient()
    client.force_authenticate(applicant())
    body = '{"title": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"

    response = client.post("/api/v1/proposals/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed JSON")


def test_json_within_the_limit_is_read():
    response = APIClient().post("/api/v1/auth/token/", json.dumps({"username": [[["x"]]], "password": "p"}),
                                content_type="application/json")

    assert response.status_code == 400
    assert "username" in response.json()

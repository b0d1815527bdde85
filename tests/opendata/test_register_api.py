"""/api/v1/open-data/projects/: public (no token), read-only, the same records, filters and privacy as the files;
paged; throttled; in the OpenAPI schema."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from opendata.api import OpenDataThrottle
from opendata.records import FIELDS
from tests.opendata.register_helpers import (
    document,
    draft_report_document,
    milestones,
    released_project,
    unreleased_project,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def test_anyone_lists_the_public_projects_as_the_json_file_has_them(api, client):
    project = released_project(year=2025, country="KE")
    unreleased_project()

    response = api.get(reverse("open-data-project-list"))

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [record] = data["results"]
    assert tuple(record) == FIELDS
    assert record["id"] == project.pk
    from_file = json.loads(client.get(reverse("opendata:projects-json")).content)["projects"]
    assert data["results"] == from_file


def test_one_project_with_its_participants_milestones_and_public_documents(api):
    project = released_project()
    milestones(project, done=1, pending=1)
    shown = document(project, title="Master plan", public=True)
    document(project, title="Internal sheet", public=False)
    draft_report_document(project, title="Draft photo")

    data = api.get(reverse("open-data-project-detail", args=[project.pk])).json()

    assert data["milestones_done"] == 1 and len(data["milestones"]) == 2
    assert data["milestones"][0] == {"title": "Milestone 1", "due_date": "2026-01-31", "done": True}
    assert [d["title"] for d in data["documents"]] == ["Master plan"]
    assert data["documents"][0]["url"] == f"http://testserver/projects/{project.pk}/documents/{shown.pk}/"
    assert [(p["role"], p["role_name"]) for p in data["participants"]] == [
        (1, "Funding"),
        (2, "Accountable"),
        (3, "Extending"),
    ]
    assert "conditions" not in data


@pytest.mark.parametrize("which", ["unreleased", "unknown", "text"])
def test_a_project_that_is_not_public_is_a_404(api, which):
    pk = {"unreleased": lambda: unreleased_project().pk, "unknown": lambda: 999_999, "text": lambda: "abc"}[which]()

    response = api.get(f"/api/v1/open-data/projects/{pk}/")

    assert response.status_code == 404


def test_the_api_takes_the_registers_filters(api):
    kenya = released_project(year=2025, country="KE")
    indonesia = released_project(year=2026, country="ID", activity_status=2)
    url = reverse("open-data-project-list")

    def ids(**params):
        return [r["id"] for r in api.get(url, params).json()["results"]]

    assert ids(country="KE") == [kenya.pk]
    assert ids(year=2026) == [indonesia.pk]
    assert ids(status=2) == [indonesia.pk]
    assert ids(track=kenya.proposal.track.slug) == [kenya.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "2025.5"}, "year"),
        ({"status": "9"}, "status"),
        ({"country": "ZZ"}, "country"),
        ({"year": ""}, "year"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, params, field):
    response = api.get(reverse("open-data-project-list"), params)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("count", [15, 30])
def test_the_api_list_costs_the_same_queries_for_n_and_2n_rows(api, django_assert_num_queries, count):
    for _ in range(count):
        milestones(released_project(), done=1, pending=1)

    with django_assert_num_queries(1):  # the page (not full: the whole list, no count, core.pagination)
        response = api.get(reverse("open-data-project-list"), {"page": "1"})

    assert len(response.json()["results"]) == min(count, 50)


def test_the_api_is_read_only(api):
    project = released_project()

    assert api.post(reverse("open-data-project-list"), {}).status_code == 405
    assert api.delete(reverse("open-data-project-detail", args=[project.pk])).status_code == 405


def test_the_api_is_throttled_per_client(api, monkeypatch):
    assert OpenDataThrottle.THROTTLE_RATES["open_data"] == "120/minute"  # settings' default (OPEN_DATA_API_RATE)
    monkeypatch.setitem(OpenDataThrottle.THROTTLE_RATES, "open_data", "3/minute")
    url = reverse("open-data-project-list")

    answers = [api.get(url).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_api_is_in_the_schema_without_a_token(api):
    response = api.get(reverse("api-schema"), {"format": "json"})

    paths = response.json()["paths"]
    listing = paths["/api/v1/open-data/projects/"]["get"]
    assert "/api/v1/open-data/projects/{id}/" in paths
    assert {"year", "country", "track", "status", "page"} <= {p["name"] for p in listing["parameters"]}
    assert listing.get("security", [{}]) == [{}]  # no credentials asked


def test_the_api_gives_labels_in_english_beside_their_codes_whatever_the_language(api):
    project = released_project(country="KR")

    data = api.get(reverse("open-data-project-detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="ko").json()

    assert (data["country"], data["activity_status"]) == ("South Korea", "Pipeline / identification")
    assert data["participants"][0]["role_name"] == "Funding"

"""`/api/v1/programmes/`, `/tracks/`, `/cycles/`, `/cooperation-centres/`: what an API client needs to build a
valid proposal without guessing ids; read only, paginated, the same count of queries for N and 2N rows."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import OrganisationKind
from proposals import services
from proposals.models import Cycle, Programme, Track
from tests.factories import CooperationCentreFactory, OrganisationFactory, ProgrammeFactory, TrackFactory, applicant

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def bogota():
    return applicant(organisation=OrganisationFactory(name="Alcaldía de Bogotá", country="CO",
                                                      kind=OrganisationKind.CITY))


@pytest.fixture
def sandbox():
    programme = Programme.objects.create(name="Regulatory sandbox", slug="sandbox", reference_prefix="RSB")
    return TrackFactory(programme=programme, name="Sandbox demonstration", slug="sandbox-demonstration",
                        eligible_organisation_kinds=["city", "regional", "korean_company"],
                        applicant_country_rule="korea_only", site_country_rule="korea_only",
                        consortium_required=True, consortium_description="A Korean local government with companies.",
                        required_attachment_kinds=["concept_note", "consortium_agreement"],
                        support_cap_krw=500_000_000, pre_consulting_required=False)


def test_tracks_list_eligibility_documents_cap_and_pre_consulting(bogota, sandbox):
    planning = TrackFactory(name="Smart Urban planning", pre_consulting_required=True)

    body = _api(bogota).get("/api/v1/tracks/").json()

    assert body["count"] == 2
    rows = {row["slug"]: row for row in body["results"]}
    assert rows["sandbox-demonstration"] == {
        "id": sandbox.pk, "programme": sandbox.programme_id, "programme_name": "Regulatory sandbox",
        "name": "Sandbox demonstration", "slug": "sandbox-demonstration", "description": "", "is_open": True,
        "eligibility": {
            "organisation_kinds": ["city", "regional", "korean_company"], "applicant_country_rule": "korea_only",
            "eligible_countries": [], "site_country_rule": "korea_only", "consortium_required": True,
            "consortium_description": "A Korean local government with companies.",
            "rules": ["Who may apply: City or local government, Regional government, Korean company.",
                      "The applicant organisation is registered in Korea.", "The project takes place in Korea.",
                      "A Korean local government with companies."],
        },
        "required_attachment_kinds": ["concept_note", "consortium_agreement"], "support_cap_krw": 500_000_000,
        "pre_consulting_required": False, "eligible_for_you": False,
        "refusals": ["The Sandbox demonstration track is for organisations registered in Korea; Alcaldía de Bogotá "
                     "is registered in Colombia."],
    }
    assert (rows[planning.slug]["eligible_for_you"], rows[planning.slug]["refusals"]) == (True, [])
    assert rows[planning.slug]["pre_consulting_required"] is True


def test_tracks_filtered_by_programme(bogota, sandbox):
    TrackFactory()

    body = _api(bogota).get("/api/v1/tracks/", {"programme": sandbox.programme_id}).json()

    assert [row["id"] for row in body["results"]] == [sandbox.pk]


def test_a_track_by_id_and_an_unknown_one(bogota, sandbox):
    client = _api(bogota)

    assert client.get(f"/api/v1/tracks/{sandbox.pk}/").json()["slug"] == "sandbox-demonstration"
    assert client.get("/api/v1/tracks/999999/").status_code == 404


def test_cycles_with_cut_off_decision_date_and_which_is_current(bogota):
    programme = ProgrammeFactory()
    today = timezone.localdate(timezone=SEOUL)
    current_year = services.cycle_year_for(programme=programme, day=today)
    current = Cycle.objects.create(programme=programme, year=current_year, cutoff=datetime.date(current_year, 4, 30),
                                   decision_date=datetime.date(current_year, 7, 15))
    later = Cycle.objects.create(programme=programme, year=current_year + 1,
                                 cutoff=datetime.date(current_year + 1, 4, 30))

    body = _api(bogota).get("/api/v1/cycles/", {"programme": programme.pk}).json()

    assert body["results"] == [
        {"id": later.pk, "programme": programme.pk, "programme_name": "K-City Network", "year": current_year + 1,
         "cutoff": f"{current_year + 1}-04-30", "decision_date": None, "is_current": False},
        {"id": current.pk, "programme": programme.pk, "programme_name": "K-City Network", "year": current_year,
         "cutoff": f"{current_year}-04-30", "decision_date": f"{current_year}-07-15", "is_current": True},
    ]


def test_programmes_and_cooperation_centres(bogota):
    ProgrammeFactory()
    CooperationCentreFactory(name="KOTRA Bogotá Trade Center", city="Bogotá", country="CO",
                             covered_countries=["CO", "EC"], email="kotra-bogota@example.org")
    client = _api(bogota)

    programmes = client.get("/api/v1/programmes/").json()["results"]
    centres = client.get("/api/v1/cooperation-centres/").json()["results"]

    assert [(p["slug"], p["reference_prefix"], p["cutoff_month"], p["cutoff_day"]) for p in programmes] == [
        ("kcity", "KCN", 4, 30)]
    assert [(c["name"], c["country"], c["covered_countries"], c["email"]) for c in centres] == [
        ("KOTRA Bogotá Trade Center", "CO", ["CO", "EC"], "kotra-bogota@example.org")]


@pytest.mark.parametrize("path", ["/api/v1/programmes/", "/api/v1/tracks/", "/api/v1/cycles/",
                                  "/api/v1/cooperation-centres/"])
def test_catalogue_needs_a_signed_in_caller_and_is_read_only(bogota, path):
    assert APIClient().get(path).status_code in (401, 403)
    assert _api(bogota).post(path, {}, format="json").status_code == 405


def _rows(n):
    for i in range(n):
        k = Programme.objects.count()
        programme = Programme.objects.create(name=f"Programme {k}", slug=f"p{k}", reference_prefix=f"P{k}")
        TrackFactory(programme=programme)
        Cycle.objects.create(programme=programme, year=2000 + i, cutoff=datetime.date(2000 + i, 4, 30))
        CooperationCentreFactory(name=f"Centre {Track.objects.count()}")


@pytest.mark.parametrize("path", ["/api/v1/programmes/", "/api/v1/tracks/", "/api/v1/cycles/",
                                  "/api/v1/cooperation-centres/"])
def test_catalogue_lists_cost_the_same_queries_for_n_and_2n_rows(bogota, path):
    client = _api(bogota)
    _rows(10)
    with CaptureQueriesContext(connection) as first:
        assert client.get(path).status_code == 200
    _rows(10)
    with CaptureQueriesContext(connection) as second:
        response = client.get(path)

    assert response.status_code == 200
    assert len(second) == len(first)


def test_catalogue_pages_of_fifty(bogota):
    programme = ProgrammeFactory()
    for _n in range(55):
        TrackFactory(programme=programme)
    client = _api(bogota)

    first = client.get("/api/v1/tracks/").json()
    second = client.get(first["next"]).json()

    assert (first["count"], len(first["results"]), len(second["results"]), second["next"]) == (55, 50, 5, None)
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_catalogue_is_in_the_openapi_schema(bogota):
    schema = _api(bogota).get("/api/schema/", {"format": "json"}).json()

    for path in ("/api/v1/programmes/", "/api/v1/tracks/", "/api/v1/tracks/{id}/", "/api/v1/cycles/",
                 "/api/v1/cooperation-centres/"):
        assert set(schema["paths"][path]) == {"get"}, path
    track = schema["components"]["schemas"]["Track"]["properties"]
    assert {"eligibility", "required_attachment_kinds", "support_cap_krw", "pre_consulting_required",
            "eligible_for_you", "refusals"} <= set(track)
    assert "count" in schema["components"]["schemas"]["PaginatedTrackList"]["properties"]

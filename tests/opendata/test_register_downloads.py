"""/open-data/projects.csv and projects.json: read back with the csv and json modules, the licence and generation
time carried, formulas neutralised, the register's filters applied, nothing private."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from opendata.records import FIELDS
from opendata.views_downloads import CSV_FIELDS
from tests.opendata.register_helpers import document, milestones, released_project, unreleased_project

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[dict]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _kenya():
    project = released_project(year=2025, country="KE", support_amount_krw=480_000_000)
    project.recipient_city = "Nakuru County"
    project.translations = {"ko": {"title": "나쿠루 카운티 스마트 수도계량"}}
    project.save(update_fields=["recipient_city", "translations"])
    milestones(project, done=1, pending=2)
    return project


def test_the_csv_reads_back_with_the_csv_module(client):
    project = _kenya()

    response = client.get(reverse("opendata:projects-csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kcity-projects.csv"'
    assert response["Link"] == '<https://www.kogl.or.kr/info/licenseTypeEn.do>; rel="license"'
    rows = _csv_rows(response)
    assert len(rows) == 1
    row = rows[0]
    assert tuple(row) == CSV_FIELDS
    assert {
        k: row[k]
        for k in (
            "id",
            "title",
            "title_ko",
            "country_code",
            "country",
            "city",
            "track",
            "year",
            "activity_status_code",
            "activity_status",
            "approved_krw",
            "milestones_done",
            "milestones_total",
            "actual_start",
        )
    } == {
        "id": str(project.pk),
        "title": project.title,
        "title_ko": "나쿠루 카운티 스마트 수도계량",
        "country_code": "KE",
        "country": "Kenya",
        "city": "Nakuru County",
        "track": project.proposal.track.slug,
        "year": "2025",
        "activity_status_code": "1",
        "activity_status": "Pipeline / identification",
        "approved_krw": "480000000",
        "milestones_done": "1",
        "milestones_total": "3",
        "actual_start": "",
    }
    assert row["url"] == f"http://testserver/projects/{project.pk}/"
    assert row["licence"].startswith("Korea Open Government Licence Type 1")
    assert row["licence_url"] == "https://www.kogl.or.kr/info/licenseTypeEn.do"
    stamp = datetime.datetime.fromisoformat(row["generated_at"])
    assert stamp.utcoffset() == datetime.timedelta(0)


def test_the_csv_neutralises_formulas(client):
    project = released_project()
    project.title = '=HYPERLINK("https://evil.example","Click")'
    project.description = "+1 more"
    project.recipient_city = "@city"
    project.save(update_fields=["title", "description", "recipient_city"])

    row = _csv_rows(client.get(reverse("opendata:projects-csv")))[0]

    assert row["title"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row["description"] == "'+1 more"
    assert row["city"] == "'@city"
    assert row["approved_krw"] == "300000000"  # numbers stay numbers


def test_the_json_reads_back_with_the_json_module(client):
    project = _kenya()

    response = client.get(reverse("opendata:projects-json"))

    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert set(data) == {"licence", "generated_at", "projects"}
    assert data["licence"] == {
        "code": "KOGL-Type1",
        "name": "Korea Open Government Licence Type 1: Source Indication (compatible with CC BY 4.0)",
        "url": "https://www.kogl.or.kr/info/licenseTypeEn.do",
        "attribution": "Ministry of Land, Infrastructure and Transport of the Republic of Korea, K-City Network",
    }
    assert datetime.datetime.fromisoformat(data["generated_at"]).utcoffset() == datetime.timedelta(0)
    [record] = data["projects"]
    assert tuple(record) == FIELDS
    assert record["approved_krw"] == 480_000_000 and isinstance(record["approved_krw"], int)
    assert (record["milestones_done"], record["milestones_total"], record["year"]) == (1, 3, 2025)
    assert record["title_ko"] == "나쿠루 카운티 스마트 수도계량"
    assert record["planned_start"] == project.planned_start.isoformat()
    assert record["actual_end"] is None


def test_the_csv_and_the_json_hold_the_same_projects(client):
    for _ in range(3):
        released_project()

    csv_ids = [int(r["id"]) for r in _csv_rows(client.get(reverse("opendata:projects-csv")))]
    json_ids = [r["id"] for r in json.loads(client.get(reverse("opendata:projects-json")).content)["projects"]]

    assert csv_ids == json_ids and len(csv_ids) == 3


def test_the_files_never_hold_unreleased_decisions_or_private_documents(client):
    public = released_project(conditions="Secret condition text")
    document(public, title="Private budget sheet", public=False)
    hidden = unreleased_project()

    for name in ("opendata:projects-csv", "opendata:projects-json"):
        body = client.get(reverse(name)).content.decode("utf-8-sig")
        assert public.title in body
        assert hidden.title not in body
        assert hidden.proposal.reference not in body
        for text in ("Secret condition text", "Private budget sheet", public.proposal.owner.email):
            assert text not in body


def test_the_files_take_the_registers_filters(client):
    kenya = released_project(year=2025, country="KE")
    released_project(year=2026, country="ID", activity_status=2)

    rows = _csv_rows(client.get(reverse("opendata:projects-csv"), {"country": "KE"}))
    data = json.loads(client.get(reverse("opendata:projects-json"), {"year": "2025", "status": "1"}).content)

    assert [int(r["id"]) for r in rows] == [kenya.pk]
    assert [r["id"] for r in data["projects"]] == [kenya.pk]


def test_a_bad_filter_on_a_file_is_a_400_with_the_reason(client):
    csv_answer = client.get(reverse("opendata:projects-csv"), {"year": "twenty"})
    json_answer = client.get(reverse("opendata:projects-json"), {"country": "XX", "status": "0"})

    assert csv_answer.status_code == 400
    assert csv_answer.content.decode() == "Year: Give a year as four digits, e.g. 2025.\n"
    assert json_answer.status_code == 400
    assert json.loads(json_answer.content) == {
        "errors": [
            "Country: Give a country by its two-letter ISO code, e.g. KE.",
            "Status: Give an IATI activity status code from 1 to 6.",
        ]
    }


@pytest.mark.parametrize("count", [3, 6])
def test_the_files_cost_the_same_queries_for_n_and_2n_rows(client, django_assert_num_queries, count):
    for _ in range(count):
        milestones(released_project(), done=1, pending=1)

    with django_assert_num_queries(1):
        client.get(reverse("opendata:projects-csv"))
    with django_assert_num_queries(1):
        client.get(reverse("opendata:projects-json"))

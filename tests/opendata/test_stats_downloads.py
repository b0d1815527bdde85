"""The figures as files: /open-data/stats.csv and stats.json, read back with csv and json."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from opendata.licence import LICENCE
from opendata.statistics_files import CSV_COLUMNS
from tests.opendata.stats_data import indicator, stats_world

pytestmark = pytest.mark.django_db


def test_stats_download_urls():
    assert reverse("opendata:stats-csv") == "/open-data/stats.csv"
    assert reverse("opendata:stats-json") == "/open-data/stats.json"


def test_stats_json_round_trip(client):
    stats_world()

    response = client.get(reverse("opendata:stats-json"), HTTP_ACCEPT_LANGUAGE="ko")

    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["licence_code"] == LICENCE.code
    with translation.override("en"):  # the files are in English, whatever the reader's language
        assert document["licence"] == str(LICENCE.name)
    assert document["generated_at"].endswith("+00:00")
    assert document["totals"] == {"projects": 45, "support_krw": 17_400_000_000}
    assert document["years"][-1] == {
        "year": 2026,
        "projects": 2,
        "support_krw": 600_000_000,
        "source": "portal",
        "support_includes_requested": False,
    }
    assert document["pipeline"][0] == {
        "year": 2025,
        "submitted": 4,
        "under_review": 1,
        "approved": 2,
        "declined": 1,
        "withdrawn": 0,
    }
    # English whatever the viewer's language, with the ISO code
    assert document["countries"][0] == {
        "country_code": "ID",
        "country": "Indonesia",
        "projects": 2,
        "support_krw": 500_000_000,
    }
    assert [t["track"] for t in document["tracks"]] == ["Smart city planning", "Pilot projects"]
    trained = [r for r in document["indicators_by_country"] if r["country_code"] == "ID"]
    assert [(r["projects"], r["projects_reporting"], r["target"], r["actual"]) for r in trained] == [(2, 2, 60, 30)]
    piped = [r for r in document["indicators_by_track"] if r["per_cent"]]
    assert {(r["track"], r["target"], r["actual"]) for r in piped} == {
        ("Smart city planning", None, None),
        ("Pilot projects", None, None),
    }
    assert "Brazil" not in response.content.decode()


def _csv(client):
    response = client.get(reverse("opendata:stats-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="stats.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_stats_csv_round_trip(client):
    stats_world()

    rows = _csv(client)

    assert list(rows[0]) == list(CSV_COLUMNS)
    about = {r["measure"]: r["value"] for r in rows if r["table"] == "about"}
    assert about["licence_code"] == LICENCE.code and about["licence_url"] == LICENCE.url
    assert about["generated_at"]
    values = {
        (r["table"], r["year"], r["country_code"], r["track"], r["status"], r["indicator"].lower(), r["measure"]): r[
            "value"
        ]
        for r in rows
    }
    assert values[("years", "2020", "", "", "", "", "support_krw")] == "4800000000"
    assert values[("pipeline", "2026", "", "", "under_review", "", "proposals")] == "3"
    assert values[("countries", "", "KE", "", "", "", "projects")] == "1"
    assert values[("tracks", "", "", "Pilot projects", "", "", "support_krw")] == "300000000"
    assert values[("indicators_by_track", "", "", "Smart city planning", "", "officials trained", "target")] == "90"
    assert values[("totals", "", "", "", "", "", "support_krw")] == "17400000000"
    assert not any(r["country_code"] == "BR" for r in rows)


def test_stats_csv_writes_formula_like_text_as_text(client):
    world = stats_world()
    indicator(world.projects["ke"], '=HYPERLINK("https://evil.example","x")', "people", [(1, 1)])

    rows = _csv(client)

    titles = {r["indicator"] for r in rows if r["table"] == "indicators_by_track"}
    assert '\'=HYPERLINK("https://evil.example","x")' in titles
    assert not any(t.startswith("=") for t in titles)


def test_stats_downloads_refuse_a_post(client):
    assert client.post(reverse("opendata:stats-csv")).status_code == 405

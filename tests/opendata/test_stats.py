"""The public statistics page (/stats/): figures per year, status, country and track from built data, never an
unreleased decision, the indicator rollups, and a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from opendata.statistics import PipelineYear, statistics
from proposals.models import Proposal
from tests.opendata.stats_data import RELEASED, indicator, public_project, stats_world

pytestmark = pytest.mark.django_db


def _html(client, **headers) -> str:
    response = client.get(reverse("stats"), **headers)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_stats_url_is_kept():
    assert reverse("stats") == "/stats/"


def test_stats_years_add_the_portal_years_to_the_official_figures():
    stats_world()

    stats = statistics()

    assert [(y.year, y.projects, y.support_krw, y.official) for y in stats.years] == [
        (2020, 12, 4_800_000_000, True),
        (2021, 11, 4_000_000_000, True),
        (2022, 10, 4_100_000_000, True),
        (2023, 8, 3_500_000_000, True),
        (2025, 2, 500_000_000, False),
        (2026, 2, 600_000_000, False),
    ]
    assert stats.total_projects == 45
    assert stats.total_support_krw == 16_300_000_000 + 1_100_000_000


def test_stats_pipeline_counts_an_unreleased_decision_as_under_review():
    stats_world()

    assert statistics().pipeline == [
        PipelineYear(2025, submitted=4, under_review=1, approved=2, declined=1, withdrawn=0),
        PipelineYear(2026, submitted=6, under_review=3, approved=2, declined=0, withdrawn=1),
    ]


def test_stats_countries_and_tracks_count_only_released_projects():
    world = stats_world()

    stats = statistics()

    assert [(c.code, c.projects, c.support_krw) for c in stats.countries] == [
        ("ID", 2, 500_000_000),
        ("KE", 1, 500_000_000),
        ("SG", 1, 100_000_000),
    ]
    assert [(t.track_id, t.projects, t.support_krw) for t in stats.tracks] == [
        (world.planning.pk, 2, 800_000_000),
        (world.pilots.pk, 2, 300_000_000),
    ]


def _rows(groups):
    return {
        (g.label, r.title.lower(), r.unit.lower(), r.is_percentage): (r.projects, r.reporting, r.target, r.actual)
        for g in groups
        for r in g.rows
    }


def test_stats_indicators_roll_up_by_track_adding_counts_but_not_per_cent():
    stats_world()

    rollups = statistics().indicators

    assert [g.label for g in rollups.by_track] == ["Smart city planning", "Pilot projects"]
    assert _rows(rollups.by_track) == {
        ("Smart city planning", "officials trained", "people", False): (2, 2, Decimal(90), Decimal(53)),
        ("Smart city planning", "households with piped water", "%", True): (1, 1, None, None),
        ("Pilot projects", "officials trained", "people", False): (1, 1, Decimal(10), Decimal(12)),
        ("Pilot projects", "households with piped water", "%", True): (1, 0, None, None),
    }


def test_stats_indicators_roll_up_by_country():
    stats_world()

    with translation.override("en"):
        rollups = statistics().indicators

    assert [g.key for g in rollups.by_country] == ["ID", "KE", "SG"]
    assert _rows(rollups.by_country) == {
        ("Indonesia", "officials trained", "people", False): (2, 2, Decimal(60), Decimal(30)),
        ("Kenya", "officials trained", "people", False): (1, 1, Decimal(40), Decimal(35)),
        ("Kenya", "households with piped water", "%", True): (1, 1, None, None),
        ("Singapore", "households with piped water", "%", True): (1, 0, None, None),
    }


def test_stats_indicators_with_another_unit_stay_apart():
    world = stats_world()
    indicator(world.projects["ke"], "Officials trained", "sessions", [(4, 4)])

    rows = _rows(statistics().indicators.by_track)

    assert rows[("Smart city planning", "officials trained", "sessions", False)] == (1, 1, Decimal(4), Decimal(4))
    assert rows[("Smart city planning", "officials trained", "people", False)] == (2, 2, Decimal(90), Decimal(53))


def test_stats_page_shows_every_table_with_its_numbers(client):
    stats_world()

    html = _html(client)

    assert (
        '<th scope="row">2025</th> <td class="text-end">2</td> '
        '<td class="text-end text-nowrap">KRW 500 million</td> '
        '<td class="text-end text-nowrap">500,000,000</td>'
    ) in _table(html, "track-record")
    assert (
        '<th scope="row">2026</th><td class="text-end">6</td><td class="text-end">3</td>'
        '<td class="text-end">2</td><td class="text-end">0</td><td class="text-end">1</td>'
    ) in _table(html, "pipeline").replace("> <", "><")
    countries = _table(html, "countries")
    assert (
        '<th scope="row">Indonesia</th><td class="text-end">2</td>'
        '<td class="text-end text-nowrap">KRW 500 million</td>'
        '<td class="text-end text-nowrap">500,000,000</td>'
    ) in countries.replace("> <", "><")
    assert "Brazil" not in html
    tracks = _table(html, "tracks").replace("> <", "><")
    assert (
        '<th scope="row">Smart city planning</th><td class="text-end">2</td>'
        '<td class="text-end text-nowrap">KRW 800 million</td>'
    ) in tracks
    for table in ("track-record", "pipeline", "countries", "tracks", "indicators-by-track", "indicators-by-country"):
        assert "<caption" in _table(html, table)
        assert 'scope="col"' in _table(html, table)


def test_stats_page_says_in_words_what_each_chart_shows(client):
    stats_world()

    html = _html(client)

    assert (
        "Projects approved through this portal from 2025 to 2026: 4, with KRW 1.1 billion in total. "
        "The year with the most support: 2026 (KRW 600 million)."
    ) in html
    assert (
        "Proposals submitted through this portal: 10. Approved: 4; declined: 1; withdrawn: 1; under review: 4."
    ) in html
    assert (
        "Countries with projects approved through this portal: 3. The most projects are in Indonesia "
        "(2, with KRW 500 million)."
    ) in html
    assert (
        "Of KRW 1.1 billion approved through this portal, the most went to Smart city planning: "
        "KRW 800 million (projects: 2)."
    ) in html
    assert "Since 2020, including the projects approved through this portal: 45 projects, KRW 17.4 billion." in html
    for chart in ("pipeline-title pipeline-summary", "tracks-title tracks-summary", "map-title countries-summary"):
        assert f'role="img" aria-labelledby="{chart}"' in html


def test_stats_page_rollup_tables(client):
    stats_world()

    html = _html(client).replace("> <", "><")

    by_track = _table(html, "indicators-by-track")
    assert '<th scope="rowgroup" rowspan="2">Smart city planning</th>' in by_track
    assert (
        '<td class="text-end">2</td><td class="text-end">2</td><td class="text-end text-nowrap">90</td>'
        '<td class="text-end text-nowrap">53</td>' in by_track
    )
    assert "Not added up (per cent)" in by_track
    by_country = _table(html, "indicators-by-country")
    assert '<th scope="rowgroup" rowspan="1">Indonesia</th>' in by_country
    assert '<td class="text-end text-nowrap">60</td><td class="text-end text-nowrap">30</td>' in by_country


def test_stats_page_in_korean_words_amounts_in_eok(client):
    stats_world()

    html = _html(client, HTTP_ACCEPT_LANGUAGE="ko")

    assert '<html lang="ko" dir="ltr">' in html
    assert '<th scope="row">인도네시아</th>' in _table(html, "countries").replace("> <", "><")
    assert "5억 원" in _table(html, "countries")


def test_stats_never_show_an_unreleased_decision_until_its_letter_goes_out(client):
    world = stats_world()
    hidden = world.hidden

    before = _html(client)
    Proposal.objects.filter(pk=hidden.proposal_id).update(decision_released_at=RELEASED)
    after = _html(client)

    assert "Brazil" not in before
    assert "Brazil" in _table(after, "countries")
    assert "Brazil: 1 project" in after  # on the map too
    assert "999" not in _table(before, "indicators-by-track")
    assert (
        '<th scope="row">2026</th><td class="text-end">6</td><td class="text-end">2</td><td class="text-end">3</td>'
    ) in _table(after, "pipeline").replace("> <", "><")


def test_stats_page_without_portal_data_explains_each_empty_section(client):
    html = _html(client)

    for empty in ("pipeline-empty", "countries-empty", "tracks-empty", "indicators-empty"):
        assert f'id="{empty}"' in html
    assert "world-map" not in html


def test_stats_page_carries_the_licence_and_the_downloads(client):
    html = _html(client)

    assert reverse("opendata:stats-csv") in html and reverse("opendata:stats-json") in html
    assert "Korea Open Government Licence Type 1" in html
    assert "Figures as of" in html


def _grow(world, n):
    for i in range(n):
        project = public_project(
            track=world.pilots if i % 2 else world.planning,
            country=["CO", "VN", "GH"][i % 3],
            amount=100_000_000 + i,
            year=2025 + i % 3,
        )
        indicator(project, f"Indicator {i % 4}", "km", [(5, 4), (6, None)])


def test_stats_page_makes_a_fixed_number_of_queries(client, django_assert_num_queries):
    world = stats_world()
    client.get(reverse("stats"))  # the map's shapes are read once per process
    with django_assert_num_queries(5) as small:
        client.get(reverse("stats"))
    _grow(world, 12)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("stats"))

    assert "Vietnam" in response.content.decode()

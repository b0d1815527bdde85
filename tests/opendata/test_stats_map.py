"""The world map: the TopoJSON decoder on small topologies, and the map of the supported countries."""

import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from opendata import worldmap
from tests.opendata.stats_data import stats_world

# Two squares sharing the edge x=1 (arc 1), quantised with scale 1 and translate (10, 20):
#   arc 0: (0,0) -> (1,0) -> ... the left square's outer part, arc 1: the shared edge, arc 2: the right square's.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [10, 20]},
    "arcs": [
        [[1, 0], [-1, 0], [0, 1], [1, 0]],  # (11,20) (10,20) (10,21) (11,21)
        [[1, 1], [0, -1]],  # (11,21) (11,20): the shared edge, walked down
        [[1, 1], [1, 0], [0, -1], [-1, 0]],  # (11,21) (12,21) (12,20) (11,20)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "001", "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": "002", "arcs": [[[2, ~1]]]},
            ],
        }
    },
}


def test_decode_arcs_undoes_the_delta_encoding_and_the_transform():
    arcs = worldmap.decode_arcs(TOPOLOGY)

    assert arcs[0] == [(11, 20), (10, 20), (10, 21), (11, 21)]
    assert arcs[1] == [(11, 21), (11, 20)]
    assert arcs[2] == [(11, 21), (12, 21), (12, 20), (11, 20)]


def test_decode_arcs_without_a_transform_reads_plain_coordinates():
    assert worldmap.decode_arcs({"arcs": [[[1.5, 2.5], [3, 4]]]}) == [[(1.5, 2.5), (3.0, 4.0)]]


def test_decode_arcs_refuses_what_is_not_a_topology():
    with pytest.raises(worldmap.TopologyError):
        worldmap.decode_arcs({"type": "FeatureCollection"})


def test_rings_join_arcs_once_at_each_shared_point_and_walk_negative_arcs_backwards():
    arcs = worldmap.decode_arcs(TOPOLOGY)
    left, right = TOPOLOGY["objects"]["countries"]["geometries"]

    assert worldmap.rings_of(left, arcs) == [[(11, 20), (10, 20), (10, 21), (11, 21), (11, 20)]]
    assert worldmap.rings_of(right, arcs) == [[(11, 21), (12, 21), (12, 20), (11, 20), (11, 21)]]
    assert worldmap.rings_of({"type": "Point", "coordinates": [0, 0]}, arcs) == []


def test_projection_is_equirectangular_from_180_west_and_the_north_edge():
    assert worldmap.project(-180, worldmap.NORTH) == (0, 0)
    assert worldmap.project(180, worldmap.NORTH) == (worldmap.WIDTH, 0)
    assert worldmap.project(0, 0) == (480, round(worldmap.NORTH * worldmap.SCALE, 6))


def test_svg_path_closes_each_ring_and_drops_rings_too_small_to_see():
    path = worldmap.svg_path([[(0, 0), (1, 0), (1, 1), (0, 0)], [(5, 5), (5.001, 5.001), (5, 5)]])

    x, y = worldmap.project(0, 0)
    assert path.startswith(f"M{x:g},{y:g}L") and path.endswith("Z")
    assert path.count("M") == 1


def test_the_atlas_has_the_countries_the_programme_works_in():
    shapes = {s.numeric: s for s in worldmap.country_paths()}

    for numeric in ("360", "404", "076", "170", "704"):  # Indonesia, Kenya, Brazil, Colombia, Viet Nam
        assert shapes[numeric].path.startswith("M")
    assert worldmap.ANTARCTICA not in shapes
    assert len(shapes) > 150


def test_shades_contrast_at_least_3_to_1_with_the_sea_and_the_other_countries():
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a, b):
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for _least, colour in worldmap.SHADES:
        assert contrast(colour, worldmap.SEA) >= 3
        assert contrast(colour, worldmap.LAND) >= 3


def test_world_map_fills_and_titles_the_supported_countries_and_names_those_too_small():
    with translation.override("en"):
        drawn = worldmap.world_map({"ID": 2, "KE": 1, "SG": 1, "VN": 5})

    assert {c.title: c.fill for c in drawn["countries"]} == {
        "Indonesia: 2 projects": "#1d4f9a",
        "Kenya: 1 project": "#3a74c0",
        "Vietnam: 5 projects": "#062a66",
    }
    assert [str(name) for name in drawn["missing"]] == ["Singapore"]


@pytest.mark.django_db
def test_stats_page_map_has_a_name_titles_and_the_country_table(client):
    stats_world()

    html = " ".join(client.get(reverse("stats")).content.decode().split())

    svg = html[html.index('<svg class="world-map"') : html.index("</svg>", html.index('<svg class="world-map"'))]
    assert 'role="img" aria-labelledby="map-title countries-summary"' in svg
    assert svg.count('class="supported"') == 2
    assert "<title>Indonesia: 2 projects</title>" in svg and "<title>Kenya: 1 project</title>" in svg
    assert "Too small to be drawn at this scale: Singapore." in html
    assert 'id="countries"' in html


@pytest.mark.django_db
def test_stats_page_map_titles_in_korean(client):
    stats_world()

    html = client.get(reverse("stats"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "<title>인도네시아: 사업 2건</title>" in html


def test_unwrap_keeps_a_ring_across_the_antimeridian_continuous():
    ring = [(179.0, 65.0), (-179.0, 65.0), (-179.0, 66.0), (179.0, 66.0), (179.0, 65.0)]

    assert worldmap.unwrap(ring) == [(179.0, 65.0), (181.0, 65.0), (181.0, 66.0), (179.0, 66.0), (179.0, 65.0)]


def test_a_ring_across_the_antimeridian_is_drawn_on_both_edges_without_a_line_across_the_map():
    path = worldmap.svg_path([[(179.0, 65.0), (-179.0, 65.0), (-179.0, 66.0), (179.0, 66.0), (179.0, 65.0)]])

    subpaths = [p for p in path.split("Z") if p]
    assert len(subpaths) == 2
    for subpath in subpaths:
        xs = [float(point.split(",")[0]) for point in subpath.lstrip("M").split("L")]
        assert max(xs) - min(xs) < 10  # a few map units wide, never the width of the world


def test_no_country_of_the_atlas_draws_a_line_across_the_world():
    for shape in worldmap.country_paths():
        for subpath in filter(None, shape.path.split("Z")):
            xs = [float(point.split(",")[0]) for point in subpath.lstrip("M").split("L")]
            steps = [abs(b - a) for a, b in itertools.pairwise(xs)]
            assert max(steps, default=0) < worldmap.WIDTH / 2, shape.name

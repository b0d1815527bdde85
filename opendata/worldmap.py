"""A world map of the countries the programme supports, drawn on the server as inline SVG: no tile server, no CDN,
no script in the browser.

The country shapes are Natural Earth's 1:110m countries (public domain) as the npm package `world-atlas` 2.0.2
ships them in TopoJSON (opendata/data/world-atlas/, with its ISC licence). TopoJSON stores each shared border
once, as an "arc" of quantised, delta-encoded points; a country is a list of rings, each a list of arc indices (a
negative index ~i is arc i walked backwards). `decode_arcs` and `rings_of` below undo that, `project` maps
longitude and latitude onto the map (equirectangular: straight parallels and meridians, which a reader of a
choropleth needs no explanation for), and `country_paths` turns every country into one SVG path, built once per
process (the file does not change while it runs). Colours and titles depend on the figures and the viewer's
language, so they are added per request, by `world_map`.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

ATLAS = Path(__file__).parent / "data" / "world-atlas" / "countries-110m.json"

# The drawing: 360 degrees of longitude across, from 84°N down to 58°S (Antarctica, which no project is in, is
# left out so that the inhabited world fills the width).
WIDTH = 960
NORTH, SOUTH = 84.0, -58.0
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)
ANTARCTICA = "010"

# Fills for 1, 2-3 and 4 or more projects: each has a contrast of at least 3:1 with the sea (SEA) and with the
# countries without a project (LAND), WCAG 1.4.11; darker is more.
SEA, LAND = "#eaf2fa", "#d5d9de"
SHADES = ((1, "#3a74c0"), (2, "#1d4f9a"), (4, "#062a66"))


class TopologyError(ValueError):
    """The file is not the TopoJSON this module reads."""


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a topology as absolute (longitude, latitude) points.

    A quantised topology ("transform" present) stores each arc's first point as integers and every later point as
    the difference from the one before; the transform's scale and translate turn the integers into degrees. A
    topology without a transform stores plain coordinates.
    """
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise TopologyError("a TopoJSON topology needs a list of arcs")
    transform = topology.get("transform")
    decoded = []
    if transform is None:
        for arc in arcs:
            decoded.append([(float(p[0]), float(p[1])) for p in arc])
        return decoded
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    for arc in arcs:
        x = y = 0
        points = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def ring(arc_indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One closed ring from its arcs. Consecutive arcs share their end point, which is kept once."""
    points: list[tuple[float, float]] = []
    for index in arc_indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def rings_of(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Every ring of a Polygon or MultiPolygon (outer rings and holes alike: SVG's even-odd fill cuts the holes)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []  # a country is never a point or a line; anything else has nothing to fill
    return [ring(r, arcs) for polygon in polygons for r in polygon]


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equirectangular: x grows east from 180°W, y grows south from NORTH, in map units."""
    return (longitude + 180) * SCALE, (NORTH - latitude) * SCALE


def svg_path(rings: list[list[tuple[float, float]]]) -> str:
    """An SVG path with one closed subpath per ring, in whole map units (under a pixel of the drawn map; points
    that round together are dropped, which keeps the page some 40 KiB lighter than tenths would)."""
    parts = []
    for points in rings:
        unwrapped = unwrap(points)
        parts.extend(_subpath(unwrapped))
        # A ring across the antimeridian (Russia's Chukotka, Fiji) is drawn again a world away; the viewBox clips
        # what falls outside, so each half shows on its own side of the map.
        if any(longitude > 180 for longitude, _ in unwrapped):
            parts.extend(_subpath([(longitude - 360, latitude) for longitude, latitude in unwrapped]))
        if any(longitude < -180 for longitude, _ in unwrapped):
            parts.extend(_subpath([(longitude + 360, latitude) for longitude, latitude in unwrapped]))
    return "".join(parts)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with longitudes made continuous: a step of more than 180° is the antimeridian crossed, not a
    line across the world, so the rest of the ring moves by 360° (past 180 or below -180)."""
    shift, previous, out = 0.0, None, []
    for longitude, latitude in points:
        if previous is not None:
            step = longitude + shift - previous
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        previous = longitude + shift
        out.append((previous, latitude))
    return out


def _subpath(points: list[tuple[float, float]]) -> list[str]:
    drawn: list[tuple[float, float]] = []
    for longitude, latitude in points:
        x, y = project(longitude, latitude)
        point = (round(x), round(y))
        if not drawn or point != drawn[-1]:
            drawn.append(point)
    if len(drawn) < 3:
        return []  # too small to see at this scale
    return ["M" + "L".join(f"{x:g},{y:g}" for x, y in drawn) + "Z"]


@dataclass(frozen=True)
class Shape:
    numeric: str  # ISO 3166-1 numeric, three digits ("360"); "" for the few Natural Earth units without one
    name: str  # Natural Earth's English name, for the unnamed ones
    path: str


@cache
def country_paths() -> tuple[Shape, ...]:
    """Every country of the atlas as an SVG path, decoded once per process."""
    topology = json.loads(ATLAS.read_text())
    arcs = decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = str(geometry.get("id", ""))
        if numeric == ANTARCTICA:
            continue
        path = svg_path(rings_of(geometry, arcs))
        if path:
            shapes.append(Shape(numeric, geometry.get("properties", {}).get("name", ""), path))
    return tuple(shapes)


def shade(projects: int) -> str:
    fill = SHADES[0][1]
    for least, colour in SHADES:
        if projects >= least:
            fill = colour
    return fill


@dataclass(frozen=True)
class MapCountry:
    path: str
    fill: str
    title: str  # "Indonesia: 3 projects", in the viewer's language


def world_map(counts: dict[str, int]) -> dict:
    """The map for {alpha-2 code: projects}: every country's shape, the supported ones filled and titled.

    `missing` names the supported countries the 1:110m atlas has no shape for (small island states, Singapore):
    the table beside the map lists them like every other.
    """
    by_numeric = {}
    for code, projects in counts.items():
        numeric = countries.numeric(code, padded=True)
        if numeric:
            by_numeric[numeric] = (code, projects)
    others, supported, drawn = [], [], set()
    for shape in country_paths():
        if shape.numeric in by_numeric:
            code, projects = by_numeric[shape.numeric]
            drawn.add(code)
            title = ngettext("%(country)s: %(count)s project", "%(country)s: %(count)s projects", projects) % {
                "country": countries.name(code),
                "count": projects,
            }
            supported.append(MapCountry(shape.path, shade(projects), title))
        else:
            others.append(shape.path)
    missing = sorted((countries.name(code) for code in counts if code not in drawn), key=str)
    legend = [
        {"fill": colour, "label": label}
        for (least, colour), label in zip(
            SHADES, (_("1 project"), _("2 or 3 projects"), _("4 or more projects")), strict=True
        )
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "sea": SEA,
        "land": LAND,
        # One path for all the others: a few hundred elements fewer, and nothing to say about each of them.
        "others": "".join(others),
        "countries": supported,
        "missing": missing,
        "legend": legend,
    }

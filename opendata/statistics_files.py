"""The statistics as files: /open-data/stats.csv and /open-data/stats.json, with the licence and the moment
they were generated.

Both are written in English whatever the viewer's language (names of countries too, with their ISO codes), so
that two people downloading them get the same file. The CSV is long ("tidy"): one value per row, its table,
the keys that apply to it and its measure, so a spreadsheet or a script can filter it without knowing the page's
layout; its first rows (table "about") carry the licence and the generation time. Amounts are whole won.
"""

import csv
import io
from decimal import Decimal

from django.utils import translation

from core.exports import spreadsheet_safe
from opendata.licence import LICENCE, generated_at
from opendata.statistics import RollupGroup, Statistics

CSV_COLUMNS = (
    "table",
    "year",
    "country_code",
    "country",
    "track",
    "status",
    "indicator",
    "unit",
    "source",
    "measure",
    "value",
)
STATUSES = ("submitted", "under_review", "approved", "declined", "withdrawn")


def _number(value):
    """Whole numbers as int, others as the decimal's exact text: a JSON reader gets no float rounding."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    return value


def _about(now) -> dict:
    return {
        "licence": str(LICENCE.name),
        "licence_code": LICENCE.code,
        "licence_url": LICENCE.url,
        "attribution": str(LICENCE.attribution),
        "generated_at": now.isoformat(),
    }


def _rollups(groups: list[RollupGroup], key: str) -> list[dict]:
    return [
        {
            key: group.label,
            **({"country_code": group.key} if key == "country" else {}),
            "indicator": row.title,
            "unit": row.unit,
            "per_cent": row.is_percentage,
            "projects": row.projects,
            "projects_reporting": row.reporting,
            "target": _number(row.target),
            "actual": _number(row.actual),
        }
        for group in groups
        for row in group.rows
    ]


def as_document(stats: Statistics) -> dict:
    """Everything the page shows, as one JSON-ready dictionary."""
    with translation.override("en"):
        return {
            **_about(generated_at()),
            "currency": "KRW",
            "totals": {"projects": stats.total_projects, "support_krw": stats.total_support_krw},
            "years": [
                {
                    "year": y.year,
                    "projects": y.projects,
                    "support_krw": y.support_krw,
                    "source": "official" if y.official else "portal",
                    "support_includes_requested": y.estimated,
                }
                for y in stats.years
            ],
            "pipeline": [
                {"year": p.year, **{status: getattr(p, status) for status in STATUSES}} for p in stats.pipeline
            ],
            "countries": [
                {"country_code": c.code, "country": c.name, "projects": c.projects, "support_krw": c.support_krw}
                for c in stats.countries
            ],
            "tracks": [{"track": t.name, "projects": t.projects, "support_krw": t.support_krw} for t in stats.tracks],
            "indicators_by_track": _rollups(stats.indicators.by_track, "track"),
            "indicators_by_country": _rollups(stats.indicators.by_country, "country"),
        }


def csv_rows(document: dict):
    """The document's values, one CSV row each (dicts keyed by CSV_COLUMNS; missing keys are empty)."""
    for measure in ("licence", "licence_code", "licence_url", "attribution", "generated_at"):
        yield {"table": "about", "measure": measure, "value": document[measure]}
    for measure, value in document["totals"].items():
        yield {"table": "totals", "measure": measure, "value": value}
    for year in document["years"]:
        for measure in ("projects", "support_krw"):
            yield {
                "table": "years",
                "year": year["year"],
                "source": year["source"],
                "measure": measure,
                "value": year[measure],
            }
    for year in document["pipeline"]:
        for status in STATUSES:
            yield {
                "table": "pipeline",
                "year": year["year"],
                "status": status,
                "measure": "proposals",
                "value": year[status],
            }
    for country in document["countries"]:
        for measure in ("projects", "support_krw"):
            yield {
                "table": "countries",
                "country_code": country["country_code"],
                "country": country["country"],
                "measure": measure,
                "value": country[measure],
            }
    for track in document["tracks"]:
        for measure in ("projects", "support_krw"):
            yield {"table": "tracks", "track": track["track"], "measure": measure, "value": track[measure]}
    for table in ("indicators_by_track", "indicators_by_country"):
        for row in document[table]:
            keys = {k: row[k] for k in ("track", "country", "country_code") if k in row}
            for measure in ("projects", "projects_reporting", "target", "actual"):
                if row[measure] is not None:
                    yield {
                        "table": table,
                        **keys,
                        "indicator": row["indicator"],
                        "unit": row["unit"],
                        "measure": measure,
                        "value": row[measure],
                    }


def as_csv(document: dict) -> str:
    """UTF-8 with a byte-order mark (Excel then reads Korean names right), every text cell formula-safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(document):
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return out.getvalue()

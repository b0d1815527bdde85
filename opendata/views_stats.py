"""The public statistics page (/stats/) and its downloads (/open-data/stats.csv, /open-data/stats.json)."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata import charts, statistics_files, worldmap
from opendata.licence import LICENCE, generated_at
from opendata.statistics import Statistics, statistics
from proposals import track_record
from proposals.track_record import krw_words

PIPELINE_SEGMENTS = ("under_review", "approved", "declined", "withdrawn")


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def _summaries(stats: Statistics) -> dict:
    """The sentence that says what each chart shows, in words a reader can take in without the chart."""
    summaries = {}
    later = stats.portal_years
    if later:
        best = max(later, key=lambda y: (y.support_krw, y.year))
        summaries["years"] = _(
            "Projects approved through this portal from %(first)s to %(last)s: %(projects)s, with %(support)s in "
            "total. The year with the most support: %(best)s (%(best_support)s)."
        ) % {
            "projects": sum(y.projects for y in later),
            "first": later[0].year,
            "last": later[-1].year,
            "support": krw_words(sum(y.support_krw for y in later)),
            "best": best.year,
            "best_support": krw_words(best.support_krw),
        }
    if stats.pipeline:
        summaries["pipeline"] = _(
            "Proposals submitted through this portal: %(submitted)s. Approved: %(approved)s; declined: "
            "%(declined)s; withdrawn: %(withdrawn)s; under review: %(under_review)s."
        ) % {
            name: sum(getattr(p, name) for p in stats.pipeline)
            for name in ("submitted", "approved", "declined", "withdrawn", "under_review")
        }
    if stats.countries:
        top = stats.countries[0]
        summaries["countries"] = _(
            "Countries with projects approved through this portal: %(count)s. The most projects are in "
            "%(country)s (%(projects)s, with %(support)s)."
        ) % {
            "count": len(stats.countries),
            "country": top.name,
            "projects": top.projects,
            "support": krw_words(top.support_krw),
        }
    if stats.tracks:
        top = max(stats.tracks, key=lambda t: t.support_krw)
        summaries["tracks"] = _(
            "Of %(total)s approved through this portal, the most went to %(track)s: %(support)s "
            "(projects: %(projects)s)."
        ) % {
            "total": krw_words(sum(t.support_krw for t in stats.tracks)),
            "track": top.name,
            "support": krw_words(top.support_krw),
            "projects": top.projects,
        }
    return summaries


def stats(request):
    stats = statistics()
    official = track_record.OFFICIAL_YEARS
    later = stats.portal_years
    pipeline_rows = [(str(p.year), [(name, getattr(p, name)) for name in PIPELINE_SEGMENTS]) for p in stats.pipeline]
    return render(
        request,
        "opendata/stats.html",
        {
            "stats": stats,
            "summaries": _summaries(stats),
            "rows": [
                {"figures": y, "support": krw_words(y.support_krw), "support_number": _number(y.support_krw)}
                for y in stats.years
            ],
            "official_projects": sum(y.projects for y in official),
            "official_support": krw_words(track_record.OFFICIAL_TOTAL_KRW),
            "official_support_number": _number(track_record.OFFICIAL_TOTAL_KRW),
            "official_countries": track_record.OFFICIAL_COUNTRIES,
            "first_year": official[0].year,
            "last_official_year": official[-1].year,
            "has_portal_years": bool(later),
            "uses_requested_amounts": any(y.estimated for y in later),
            "total_support": krw_words(stats.total_support_krw),
            "chart": charts.year_chart(stats.years),
            "pipeline_chart": charts.stacked_chart(pipeline_rows),
            "country_rows": [
                {"country": c, "support": krw_words(c.support_krw), "support_number": _number(c.support_krw)}
                for c in stats.countries
            ],
            "track_chart": charts.bar_chart([(t.name, t.support_krw, krw_words(t.support_krw)) for t in stats.tracks]),
            "track_rows": [
                {"track": t, "support": krw_words(t.support_krw), "support_number": _number(t.support_krw)}
                for t in stats.tracks
            ],
            "map": worldmap.world_map({c.code: c.projects for c in stats.countries}),
            "licence": LICENCE,
            "generated_at": generated_at(),
        },
    )


@require_safe
def stats_json(request):
    document = statistics_files.as_document(statistics())
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="stats.json"'
    return response


@require_safe
def stats_csv(request):
    document = statistics_files.as_document(statistics())
    response = HttpResponse(statistics_files.as_csv(document), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stats.csv"'
    return response

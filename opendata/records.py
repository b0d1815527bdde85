"""One public project as the open-data files and the API give it: the same field names and values everywhere.

Labels (country, track, status) are in English in the files, beside their codes, so a file reads the same
whoever downloads it; the register's pages show them in the viewer's language. Amounts are integer KRW, dates
ISO 8601. `title_ko` is the Korean title where there is one (empty otherwise)."""

from django.urls import reverse
from django.utils import translation

from cooperation.models import ActivityStatus, Project

FIELDS = (
    "id",
    "iati_identifier",
    "reference",
    "title",
    "title_ko",
    "description",
    "country_code",
    "country",
    "city",
    "track",
    "track_name",
    "year",
    "activity_status_code",
    "activity_status",
    "approved_krw",
    "milestones_done",
    "milestones_total",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "url",
)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def project_record(project: Project, *, base_url: str = "") -> dict:
    """`project` from opendata.selectors.public_projects() (annotated) as a flat dict of FIELDS."""
    with translation.override("en"):
        country = str(project.recipient_country.name) if project.recipient_country else ""
        status = str(ActivityStatus(project.activity_status).label)
        url = base_url + reverse("opendata:project", args=[project.pk])
    return {
        "id": project.pk,
        "iati_identifier": project.iati_identifier or "",
        "reference": project.reference or "",
        "title": project.title,
        "title_ko": (project.translations.get("ko") or {}).get("title", ""),
        "description": project.description,
        "country_code": str(project.recipient_country or ""),
        "country": country,
        "city": project.recipient_city,
        "track": project.track_slug,
        "track_name": project.track_name,
        "year": project.year,
        "activity_status_code": project.activity_status,
        "activity_status": status,
        "approved_krw": int(project.support_amount_krw),
        "milestones_done": project.milestones_done,
        "milestones_total": project.milestones_total,
        "planned_start": _date(project.planned_start),
        "planned_end": _date(project.planned_end),
        "actual_start": _date(project.actual_start),
        "actual_end": _date(project.actual_end),
        "url": url,
    }

"""/open-data/projects.csv and /open-data/projects.json: every public project (the register's filters apply),
with the licence and the moment the file was generated.

CSV: UTF-8 with a byte-order mark (Excel then reads the Korean and accented names right), a header row, one row
per project; the licence and generation time are columns of every row (`licence`, `licence_url`,
`generated_at`), so `csv.DictReader` reads the file back as plain records, with no preamble or footer line to
skip. Text a spreadsheet would run as a formula is neutralised (core.exports.spreadsheet_safe). The licence is
also sent as a `Link: <...>; rel="license"` header. JSON: {"licence": {...}, "generated_at": ISO 8601,
"projects": [...]}, the same field names."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.utils import translation

from core.exports import spreadsheet_safe
from opendata import selectors
from opendata.forms import register_filters
from opendata.licence import LICENCE, generated_at
from opendata.records import FIELDS, project_record

NO_CHOICES = {"years": [], "countries": [], "tracks": []}  # a file has no select to fill
CSV_FIELDS = (*FIELDS, "licence", "licence_url", "generated_at")


def _records(request):
    """The filtered records, or the refusal messages."""
    _form, filters, errors = register_filters(request.GET, choices=NO_CHOICES)
    if errors:
        return None, errors
    base = request.build_absolute_uri("/").rstrip("/")
    rows = selectors.filtered(selectors.public_projects(), filters)
    return [project_record(project, base_url=base) for project in rows.iterator(chunk_size=500)], []


def _licence() -> dict:
    with translation.override("en"):
        return {
            "code": LICENCE.code,
            "name": str(LICENCE.name),
            "url": LICENCE.url,
            "attribution": str(LICENCE.attribution),
        }


def _headers(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE.url}>; rel="license"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def projects_csv(request):
    records, errors = _records(request)
    if errors:
        return HttpResponse("\n".join(errors) + "\n", status=400, content_type="text/plain; charset=utf-8")
    licence = _licence()
    stamp = generated_at().isoformat()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = {name: spreadsheet_safe("" if value is None else value) for name, value in record.items()}
        writer.writerow({**row, "licence": licence["name"], "licence_url": licence["url"], "generated_at": stamp})
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    return _headers(response, "kcity-projects.csv")


def projects_json(request):
    records, errors = _records(request)
    if errors:
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    body = {"licence": _licence(), "generated_at": generated_at().isoformat(), "projects": records}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _headers(response, "kcity-projects.json")

"""Staff exports write text that a spreadsheet would run as a formula as plain text (CSV and XLSX)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Organisation
from core.exports import spreadsheet_safe
from proposals.models import Proposal
from tests.factories import StaffFactory, service_levels
from tests.proposals.staff_helpers import submitted_proposal

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("https://evil.example/phish","Click for details")'
ORGANISATION = "@SUM(1+1)*cmd|' /C calc'!A0"
FIELDS = [
    "reference", "title", "country", "track", "organisation", "status", "cycle", "submitted_at", "status_changed_at",
    "due_at", "overdue", "cooperation_centre", "assigned_to", "requested_support_krw",
]


@pytest.fixture
def hostile(client):
    service_levels()
    client.force_login(StaffFactory(language="en"))
    proposal = submitted_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(title=TITLE)
    Organisation.objects.filter(pk=proposal.organisation_id).update(name=ORGANISATION)
    return proposal


def _export(client, fmt):
    return client.post(reverse("admin:proposals_proposal_export"), {
        "format": fmt, "resource": "0", **{f"proposalresource_{f}": "on" for f in FIELDS}
    })


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_spreadsheet_safe_prefixes_formula_starts(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Smart mobility", "", "1 = 1", 700_000_000, -5, None])
def test_spreadsheet_safe_leaves_other_values(value):
    assert spreadsheet_safe(value) == value


def test_csv_export_writes_formulas_as_text(client, hostile):
    response = _export(client, "0")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + TITLE
    assert rows[1][4] == "'" + ORGANISATION
    assert rows[1][13] == str(hostile.requested_support_krw)


def test_xlsx_export_writes_formulas_as_text(client, hostile):
    response = _export(client, "1")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    title, organisation = sheet.cell(row=2, column=2), sheet.cell(row=2, column=5)
    assert (title.data_type, title.value) == ("s", "'" + TITLE)
    assert (organisation.data_type, organisation.value) == ("s", "'" + ORGANISATION)

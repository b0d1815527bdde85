"""The Reports tab, a report's page, its draft form and staff's schedule page: who sees what (404 for non-parties
everywhere, a draft only for the implementing side), the review cycle through the pages, and constant query
counts on the list."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import IndicatorPeriod, ProgressReport, ReportingPeriod, ReportStatus
from cooperation.services import reports as services
from tests.cooperation.reports_helpers import periods, ready_draft, report_in
from tests.factories import PNG_BYTES
from tests.factories.cooperation_reports import project_for_reports

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    return project_for_reports()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(parties, report):
    project, period = parties.project.pk, report.period_id
    attachment = report.attachments.first()
    gets = [
        reverse("cooperation:reports", args=[project]),
        reverse("cooperation:report-schedule", args=[project]),
        reverse("cooperation:report", args=[project, report.pk]),
        reverse("cooperation:report-edit", args=[project, report.pk]),
        reverse("cooperation:report-attachment", args=[project, report.pk, attachment.pk]),
    ]
    posts = [
        reverse("cooperation:report-start", args=[project, period]),
        reverse("cooperation:report-edit", args=[project, report.pk]),
        reverse("cooperation:report-attachment-add", args=[project, report.pk]),
        reverse("cooperation:report-attachment-remove", args=[project, report.pk, attachment.pk]),
        *[reverse("cooperation:report-action", args=[project, report.pk, action])
          for action in ("submit", "acknowledge", "accept", "request-changes", "revise")],
    ]
    return gets, posts


def _with_photo(parties, state):
    report = ready_draft(parties)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.report_attachment_add(report=report, upload=SimpleUploadedFile("site.png", PNG_BYTES), caption="Site",
                                   by=parties.contractor)
    if state != ReportStatus.DRAFT:
        services.report_submit(report=report, by=parties.contractor)
    return ProgressReport.objects.get(pk=report.pk)


@pytest.mark.parametrize("outsider", ["other organisation", "contractor elsewhere", "centre of another region"])
@pytest.mark.parametrize("state", [ReportStatus.DRAFT, ReportStatus.SUBMITTED])
def test_non_parties_get_404_on_every_report_page(parties, outsider, state):
    report = _with_photo(parties, state)
    client = _client(parties.outsiders[outsider])
    gets, posts = _urls(parties, report)

    answers = {url: client.get(url).status_code for url in gets}  # 404s: no file is opened
    answers.update({f"POST {url}": client.post(url).status_code for url in posts})

    assert set(answers.values()) == {404}, answers
    assert ProgressReport.objects.get(pk=report.pk).status == state


@pytest.mark.parametrize("who", ["partner", "centre"])
def test_a_draft_is_404_for_the_partner_and_the_centre(parties, who):
    report = _with_photo(parties, ReportStatus.DRAFT)
    client = _client(getattr(parties, who))
    gets, _posts = _urls(parties, report)

    assert [client.get(url).status_code for url in gets[2:]] == [404, 404, 404]
    listing = client.get(gets[0])
    assert listing.status_code == 200
    assert "Being prepared" in listing.content.decode()


@pytest.mark.parametrize("who", ["partner", "centre", "contractor", "staff"])
def test_parties_see_a_submitted_report(parties, who):
    report = _with_photo(parties, ReportStatus.SUBMITTED)
    client = _client(getattr(parties, who))
    gets, _posts = _urls(parties, report)

    assert client.get(gets[2]).status_code == 200
    download = client.get(gets[4])
    photo = client.get(gets[4] + "?inline=1")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PNG_BYTES)
    assert (photo["Content-Type"], photo["Content-Disposition"].split(";")[0]) == ("image/png", "inline")
    photo.close()
    download.close()


def test_only_staff_open_the_schedule_page(parties):
    url = reverse("cooperation:report-schedule", args=[parties.project.pk])
    assert _client(parties.contractor).get(url).status_code == 403

    response = _client(parties.staff).post(url, {"frequency": "half_yearly"})

    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(project=parties.project).count() == 2


def test_the_schedule_page_says_what_is_missing(parties):
    parties.project.planned_start = None
    parties.project.save(update_fields=["planned_start"])

    response = _client(parties.staff).post(reverse("cooperation:report-schedule", args=[parties.project.pk]),
                                           {"frequency": "quarterly"})

    assert response.status_code == 200
    assert "Set the project&#x27;s planned start and end" in response.content.decode()


def test_the_review_cycle_through_the_pages(parties):
    services.reporting_periods_rebuild(project=parties.project, by=parties.staff)
    period = periods(parties)[0]
    contractor, partner, staff = (_client(parties.contractor), _client(parties.partner), _client(parties.staff))
    start = contractor.post(reverse("cooperation:report-start", args=[parties.project.pk, period.pk]))
    report = ProgressReport.objects.get(period=period)
    assert start.url == reverse("cooperation:report-edit", args=[parties.project.pk, report.pk])
    milestone = parties.project.milestones.first()
    (indicator_period,) = services.indicator_periods_for(period)
    form = {
        "summary": "Household survey done\r\nin two districts.", "issues_and_needs": "", "rating_objectives": "5",
        "rating_implementation": "4", "rating_risk": "2", f"ms-{milestone.pk}-percent": "30",
        f"ms-{milestone.pk}-note": "Survey", f"ip-{indicator_period.pk}-actual": "12",
        f"ip-{indicator_period.pk}-comment": "Two workshops",
        "risk-TOTAL_FORMS": "1", "risk-INITIAL_FORMS": "0", "risk-0-description": "Data late",
        "risk-0-state": "open", "risk-0-mitigation": "", "action": "submit",
    }
    answer = contractor.post(start.url, {**form, f"ms-{milestone.pk}-percent": "130"})
    assert answer.status_code == 200  # refused, with the typed text kept
    assert "Household survey done" in answer.content.decode()

    submitted = contractor.post(start.url, form)

    report.refresh_from_db()
    assert submitted.status_code == 302
    assert (report.status, report.summary) == (ReportStatus.SUBMITTED, "Household survey done\nin two districts.")
    page_url = reverse("cooperation:report", args=[parties.project.pk, report.pk])
    assert contractor.get(start.url).status_code == 302  # the draft form is gone: the report does not change

    partner.post(reverse("cooperation:report-action", args=[parties.project.pk, report.pk, "acknowledge"]),
                 {"comment": "The city agrees."})
    staff_page = staff.get(page_url).content.decode()
    assert "The city agrees." in staff_page
    assert "When staff accept this report, these actuals are written" in staff_page
    staff.post(reverse("cooperation:report-action", args=[parties.project.pk, report.pk, "accept"]), {"note": ""})

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert IndicatorPeriod.objects.get(pk=indicator_period.pk).actual_value == Decimal("12.00")
    assert "these actuals are recorded in the project" in partner.get(page_url).content.decode()


def test_a_refused_move_is_a_message_not_an_error(parties):
    report = report_in(ReportStatus.DRAFT, parties)
    url = reverse("cooperation:report-action", args=[parties.project.pk, report.pk, "accept"])

    response = _client(parties.staff).post(url, {"note": ""}, follow=True)

    assert response.status_code == 200
    assert "Only a report awaiting review can be accepted" in response.content.decode()


def test_the_report_page_shows_previous_and_current_ratings(parties):
    q1, q2 = periods(parties)[:2]
    report_in(ReportStatus.ACCEPTED, parties, period=q1, ratings=(3, 3, 5))
    second = report_in(ReportStatus.SUBMITTED, parties, period=q2, ratings=(5, 3, 4))

    page = _client(parties.partner).get(reverse("cooperation:report", args=[parties.project.pk, second.pk]))

    html = page.content.decode()
    row = html[html.index('id="rating-rating_objectives"'):html.index('id="rating-rating_implementation"')]
    assert "3 · Moderately unsatisfactory" in row and "5 · Satisfactory" in row and "Better" in row
    risk = html[html.index('id="rating-rating_risk"'):]
    assert "5 · Substantial to high" in risk and "4 · Substantial" in risk


def test_the_versions_are_listed_on_the_page(parties):
    old = report_in(ReportStatus.CHANGES_REQUESTED, parties)
    response = _client(parties.contractor).post(
        reverse("cooperation:report-action", args=[parties.project.pk, old.pk, "revise"]))
    new = ProgressReport.objects.get(previous_version=old)
    assert response.url == reverse("cooperation:report-edit", args=[parties.project.pk, new.pk])

    page = _client(parties.contractor).get(reverse("cooperation:report", args=[parties.project.pk, new.pk]))

    html = page.content.decode()
    assert "Version 2 (this page)" in html
    assert reverse("cooperation:report", args=[parties.project.pk, old.pk]) in html


def _many_periods(project, n):
    import datetime

    ReportingPeriod.objects.filter(project=project).delete()
    start = datetime.date(2026, 1, 1)
    for k in range(n):
        ReportingPeriod.objects.create(project=project, period_start=start + datetime.timedelta(days=10 * k),
                                       period_end=start + datetime.timedelta(days=10 * k + 9),
                                       due_date=start + datetime.timedelta(days=10 * k + 20))


@pytest.mark.parametrize("n", [4, 8])
def test_the_reports_tab_costs_the_same_for_n_and_2n_periods(parties, n, django_assert_num_queries):
    _many_periods(parties.project, n)
    for period in ReportingPeriod.objects.filter(project=parties.project)[: n // 2]:
        report_in(ReportStatus.SUBMITTED, parties, period=period)
    client = _client(parties.contractor)
    url = reverse("cooperation:reports", args=[parties.project.pk])
    client.get(url)  # the session is read once

    with django_assert_num_queries(8):  # the same for n and 2n: one page of periods, their reports in one query
        response = client.get(url)

    assert response.content.decode().count("Open the report for the period") == n // 2


@pytest.mark.parametrize("who", ["partner", "centre"])
def test_a_draft_reports_files_stay_out_of_the_documents_tab_until_it_is_submitted(parties, who):
    report = _with_photo(parties, ReportStatus.DRAFT)
    document = report.attachments.get().document
    project = parties.project.pk
    tab = reverse("cooperation:documents", args=[project])
    download = reverse("cooperation:document-download", args=[project, document.pk])
    client = _client(getattr(parties, who))
    contractor_sees = document.title in _client(parties.contractor).get(tab).content.decode()

    hidden = (document.title in client.get(tab).content.decode(), client.get(download).status_code)
    services.report_submit(report=report, by=parties.contractor)
    listed = document.title in client.get(tab).content.decode()
    response = client.get(download)
    status = response.status_code
    response.close()  # last: closing a file response ends the request (and its database connection)

    assert (contractor_sees, hidden, (listed, status)) == (True, (False, 404), (True, 200))

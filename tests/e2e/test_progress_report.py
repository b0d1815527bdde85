"""A quarterly progress report in the browser: the Korean contractor drafts and files it, the partner government's
official comments and acknowledges, staff accept it (and its actuals reach the results framework). The report
pages are checked with axe-core in English and Korean, at 1280 and 320 px, and photographed."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from cooperation.models import IndicatorPeriod, ProgressReport, ReportStatus
from cooperation.services import reports as services
from tests.cooperation.reports_helpers import periods, ready_draft, report_in
from tests.factories.cooperation_reports import project_for_reports

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _signed_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _serious_findings(page) -> list[str]:
    page.evaluate(AXE + "\n;0")
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")


def test_contractor_files_partner_acknowledges_staff_accept(page, live_server, shoot):
    parties = project_for_reports()
    services.reporting_periods_rebuild(project=parties.project, by=parties.staff)
    first = periods(parties)[0]
    milestone = parties.project.milestones.order_by("due_date").first()
    (indicator_period,) = services.indicator_periods_for(first)

    # The contractor starts the first quarter's report from the Reports tab and drafts it.
    _signed_in(page, live_server, parties.contractor)
    page.goto(f"/cooperation/projects/{parties.project.pk}/reports/")
    shoot(page, "reports-tab-contractor")
    page.get_by_role("button", name="Start the report").first.click()
    page.get_by_label("Progress in the period").fill("Baseline survey of 1,200 households; two workshops.")
    page.get_by_label("Progress towards objectives").select_option("5")
    page.get_by_label("Implementation progress").select_option("4")
    page.get_by_label("Overall risk").select_option("3")
    page.locator(f"#id_ms-{milestone.pk}-percent").fill("40")
    page.locator(f"#id_ip-{indicator_period.pk}-actual").fill("12")
    page.locator(f"#id_ip-{indicator_period.pk}-comment").fill("Two training sessions")
    page.locator("#id_risk-0-description").fill("Traffic data from the city arrives late")
    page.locator("#id_risk-0-state").select_option("mitigated")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Draft saved.").wait_for()
    shoot(page, "draft-saved")
    page.get_by_role("link", name="View the report").click()
    shoot(page, "draft-page")
    page.get_by_role("button", name="Submit the report").click()
    page.get_by_text("Report submitted.").wait_for()
    assert page.locator("#report-status").inner_text() == "Submitted"
    shoot(page, "submitted")
    report = ProgressReport.objects.get(period=first)
    assert (report.status, report.rating_risk) == (ReportStatus.SUBMITTED, 3)

    # The partner government's official reads it, comments and acknowledges.
    _signed_in(page, live_server, parties.partner)
    page.goto(f"/cooperation/projects/{parties.project.pk}/reports/{report.pk}/")
    page.get_by_label("Comments of the partner government").fill("The city confirms the survey findings.")
    shoot(page, "partner-before-acknowledging")
    page.get_by_role("button", name="Acknowledge the report").click()
    page.get_by_text("Acknowledged.").wait_for()
    assert "The city confirms the survey findings." in page.locator("#partner-comment").inner_text()
    shoot(page, "acknowledged")

    # Staff accept; the page says the actuals are now in the results framework.
    _signed_in(page, live_server, parties.staff)
    page.goto(f"/cooperation/projects/{parties.project.pk}/reports/{report.pk}/")
    page.get_by_role("button", name="Accept the report").click()
    page.get_by_text("Report accepted").wait_for()
    assert page.locator("#report-status").inner_text() == "Accepted"
    assert "recorded in the project's results framework" in page.locator("#actuals-note").inner_text()
    shoot(page, "accepted")
    assert IndicatorPeriod.objects.get(pk=indicator_period.pk).actual_value == Decimal("12.00")


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_report_pages_have_no_serious_axe_findings(page, live_server, shoot, language, width):
    parties = project_for_reports(consortium=True)
    q1, q2, q3 = periods(parties)[:3]
    lead, second_member = services.implementing_participants(parties.project)
    shares = [{"participant": lead.pk, "narrative": "Surveys and workshops", "spent_krw": 40_000_000},
              {"participant": second_member.pk, "narrative": "Sensor pilots", "spent_krw": 25_000_000}]
    accepted = ready_draft(parties, period=q1, ratings=(4, 3, 4))
    services.report_save(report=accepted, by=parties.staff, contributions=shares)
    services.report_submit(report=accepted, by=parties.contractor)
    services.report_accept(report=accepted, by=parties.staff)
    waiting = ready_draft(parties, period=q2, ratings=(5, 4, 3))
    services.report_save(report=waiting, by=parties.staff, contributions=shares)
    services.report_submit(report=waiting, by=parties.contractor)
    draft = report_in(ReportStatus.DRAFT, parties, period=q3)
    staff = parties.staff
    staff.language = language
    staff.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    _signed_in(page, live_server, staff)
    base = f"/cooperation/projects/{parties.project.pk}/reports/"
    findings, overflow = {}, {}

    for name, url in (("reports tab", base), ("report awaiting review", f"{base}{waiting.pk}/"),
                      ("draft form", f"{base}{draft.pk}/edit/"), ("schedule", f"{base}schedule/")):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        findings[name] = _serious_findings(page)
        overflow[name] = page.evaluate("() => document.documentElement.scrollWidth") > width
        shoot(page, f"{name.replace(' ', '-')}-{language}-{width}")

    assert findings == {name: [] for name in findings}
    assert overflow == {name: False for name in overflow}  # legible without scrolling sideways

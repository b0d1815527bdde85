"""The work plan, results and budget tabs in a browser: staff add a milestone with a deliverable and an indicator,
the contractor uploads the deliverable, staff accept it; then axe-core (no serious finding) on the tabs in English
and Korean at 1280 and 320 px, with screenshots."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cooperation.demo_plan import seed_plan
from cooperation.models import Deliverable, WorkStatus
from tests.factories import PDF_BYTES
from tests.factories.cooperation_plan import plan_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _serious_findings(page) -> list[str]:
    page.evaluate(AXE + "\n;0")
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")


def _context(browser, live_server, user, *, width=1280, language="en"):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US", base_url=live_server.url,
                                  extra_http_headers={"Accept-Language": language})
    context.set_default_timeout(15_000)
    _signed_in(context, live_server, user)
    return context


def test_staff_plan_the_contractor_delivers_staff_accept(browser, live_server, shoot, tmp_path):
    parties = plan_project()
    pk = parties.project.pk
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    staff_context = _context(browser, live_server, parties.staff)
    staff = staff_context.new_page()
    staff.goto(f"/cooperation/projects/{pk}/workplan/")
    staff.get_by_label("Title").fill("Inception")
    staff.get_by_label("Due date").fill(due)
    staff.get_by_label("Responsible side").select_option("contractor")
    staff.get_by_role("button", name="Add the milestone").click()
    staff.get_by_text("Milestone added.").wait_for()
    staff.get_by_role("link", name="Inception").click()
    form = staff.locator("form:has(input[value=deliverable])")
    form.get_by_label("Title").fill("Inception report")
    form.get_by_label("Due date").fill(due)
    form.get_by_label("Responsible side").select_option("contractor")
    form.get_by_role("button", name="Add the deliverable").click()
    staff.get_by_text("Deliverable added.").wait_for()
    shoot(staff, "staff-milestone")

    staff.goto(f"/cooperation/projects/{pk}/results/")
    staff.locator("form:has(input[value=objective])").get_by_label("Objective").fill("Better buses")
    staff.get_by_role("button", name="Add the objective").click()
    indicator_form = staff.locator("form:has(input[value=indicator])")
    indicator_form.get_by_label("Indicator").fill("Officials trained")
    indicator_form.get_by_label("Unit").fill("people")
    indicator_form.get_by_label("Baseline value").fill("0")
    indicator_form.get_by_label("Baseline date").fill(timezone.localdate().isoformat())
    indicator_form.get_by_role("button", name="Add the indicator").click()
    staff.get_by_role("link", name="Officials trained").wait_for()
    shoot(staff, "staff-results")

    deliverable = Deliverable.objects.get()
    contractor_context = _context(browser, live_server, parties.contractor)
    contractor = contractor_context.new_page()
    contractor.goto(f"/cooperation/projects/{pk}/workplan/")
    contractor.get_by_role("link", name="Inception report").click()
    upload = tmp_path / "inception-report.pdf"
    upload.write_bytes(PDF_BYTES)
    contractor.get_by_label("The deliverable's file").set_input_files(str(upload))
    contractor.get_by_label("What changed in this version").fill("First version")
    contractor.get_by_role("button", name="Submit for acceptance").click()
    contractor.get_by_text("Submitted for acceptance.").first.wait_for()
    assert contractor.locator("#versions").get_by_text("inception-report.pdf").is_visible()
    shoot(contractor, "contractor-submitted")

    staff.goto(f"/cooperation/projects/{pk}/workplan/deliverable/{deliverable.pk}/")
    staff.get_by_label("Accept", exact=True).check()
    staff.get_by_role("button", name="Record the decision").click()
    staff.get_by_text("Decision recorded.").wait_for()
    assert staff.locator("#item-status").inner_text().strip() == "Accepted"
    shoot(staff, "staff-accepted")
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.versions.count()) == (WorkStatus.ACCEPTED, 1)
    staff_context.close()
    contractor_context.close()


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_plan_tabs_have_no_serious_axe_findings(browser, live_server, shoot, language, width):
    parties = plan_project()
    seed_plan({"midway": parties.project}, parties.staff)
    other = plan_project(staff=parties.staff)
    seed_plan({"closed": other.project, "midway": parties.project}, parties.staff)
    parties.staff.language = language
    parties.staff.save(update_fields=["language"])
    pk = parties.project.pk
    milestone = parties.project.milestones.order_by("order").first()
    indicator = parties.project.objectives.first().indicators.first()
    assert indicator.periods.exclude(actual_value=None).first().actual_value == Decimal(12)
    pages = {
        "workplan": f"/cooperation/projects/{pk}/workplan/",
        "milestone": f"/cooperation/projects/{pk}/workplan/milestone/{milestone.pk}/",
        "deliverable": f"/cooperation/projects/{pk}/workplan/deliverable/{milestone.deliverables.first().pk}/",
        "results": f"/cooperation/projects/{pk}/results/",
        "indicator": f"/cooperation/projects/{pk}/results/indicators/{indicator.pk}/",
        "finance": f"/cooperation/projects/{pk}/finance/",
        "finance-oda": f"/cooperation/projects/{other.project.pk}/finance/",
    }
    findings = {}
    for person, who in ((parties.staff, "staff"), (parties.partner, "partner")):
        person.language = language
        person.save(update_fields=["language"])
        context = _context(browser, live_server, person, width=width, language=language)
        page = context.new_page()
        for name, url in pages.items():
            if who == "partner" and name == "finance-oda":
                continue
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            findings[f"{who} {name}"] = _serious_findings(page)
            shoot(page, f"{who}-{name}-{language}-{width}")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{who} {name}"
        context.close()
    assert {name: found for name, found in findings.items() if found} == {}

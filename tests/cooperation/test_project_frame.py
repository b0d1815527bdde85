"""One frame for the whole project: every tab and sub-page of the plan, reports and meetings shows the same
project header and tabs (project_base.html) exactly once; the overview's health counts link to the tabs where the
overdue items are; the plan's files download through the documents tab's one download path; a due-date revision,
an indicator period's target and a budget revision show the meeting decision that approved them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cooperation import services
from cooperation.models import Indicator, Objective, OutcomeKind, ReportingPeriod, Side
from cooperation.services import finance as finance_services
from cooperation.services import results as results_services
from cooperation.services import workplan as workplan_services
from tests.factories import PDF_BYTES
from tests.factories.cooperation_meetings import action_for, meeting_held, meeting_scheduled, minutes_for, project_cast

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    """A project with something on every tab: a milestone with a deliverable (and its file), an overdue
    milestone, an indicator with a period, a budget revision, a held joint committee with an action item and
    minutes, a reporting period with a draft report."""
    cast = project_cast()
    project, staff = cast.project, cast.staff
    project.planned_start, project.planned_end = TODAY() - datetime.timedelta(days=200), TODAY() + datetime.timedelta(
        days=200)
    project.save(update_fields=["planned_start", "planned_end"])
    milestone = workplan_services.milestone_create(project=project, title="Inception", owner_side=Side.CONTRACTOR,
                                                   due_date=TODAY() + datetime.timedelta(days=30), by=staff)
    late = workplan_services.milestone_create(project=project, title="Baseline survey", owner_side=Side.CONTRACTOR,
                                              due_date=TODAY() + datetime.timedelta(days=5), by=staff)
    type(late).objects.filter(pk=late.pk).update(due_date=TODAY() - datetime.timedelta(days=3))  # now overdue
    deliverable = workplan_services.deliverable_create(
        milestone=milestone, title="Inception report", owner_side=Side.CONTRACTOR,
        due_date=TODAY() + datetime.timedelta(days=30), by=staff)
    workplan_services.deliverable_submit(
        deliverable=deliverable, upload=SimpleUploadedFile("inception.pdf", PDF_BYTES, content_type="application/pdf"),
        note="First version", late_justification="", by=cast.contractor)
    revision = workplan_services.due_date_request(item=milestone, new_date=TODAY() + datetime.timedelta(days=60),
                                                  reason="The rainy season", by=cast.contractor)
    objective = results_services.objective_create(project=project, title="Safer commuting", by=staff)
    indicator = results_services.indicator_create(objective=objective, title="Officials trained", unit="people",
                                                  baseline_value=Decimal(0), baseline_date=TODAY(), by=staff)
    period = results_services.period_add(indicator=indicator, period_start=TODAY() - datetime.timedelta(days=30),
                                         period_end=TODAY() + datetime.timedelta(days=60),
                                         target_value=Decimal(20), by=staff)
    budget = finance_services.budget_revise(project=project, amount_krw=320_000_000, reason="A second city",
                                            by=staff)
    meeting = meeting_held(cast, facilitating_centre=cast.centre)
    action = action_for(cast, meeting, side=Side.PARTNER, due_in=10, title="Share the traffic counts")
    minutes_for(cast, meeting, state="draft")
    planned = meeting_scheduled(cast, days=20)
    services.reports.reporting_periods_rebuild(project=project, by=staff)
    first = ReportingPeriod.objects.filter(project=project).order_by("period_start").first()
    report = services.reports.report_start(period=first, by=cast.contractor)
    return {"cast": cast, "milestone": milestone, "deliverable": deliverable, "revision": revision,
            "indicator": indicator, "period": period, "budget": budget, "meeting": meeting, "action": action,
            "report": report, "first": first, "planned": planned}


def _pages(world) -> dict[str, str]:
    p = world["cast"].project.pk
    return {
        "overview": reverse("cooperation:project", args=[p]),
        "workplan": reverse("cooperation:workplan", args=[p]),
        "milestone": reverse("cooperation:workplan-item", args=[p, "milestone", world["milestone"].pk]),
        "deliverable": reverse("cooperation:workplan-item", args=[p, "deliverable", world["deliverable"].pk]),
        "results": reverse("cooperation:results", args=[p]),
        "indicator": reverse("cooperation:results-indicator", args=[p, world["indicator"].pk]),
        "finance": reverse("cooperation:finance", args=[p]),
        "reports": reverse("cooperation:reports", args=[p]),
        "report": reverse("cooperation:report", args=[p, world["report"].pk]),
        "report form": reverse("cooperation:report-edit", args=[p, world["report"].pk]),
        "schedule": reverse("cooperation:report-schedule", args=[p]),
        "meetings": reverse("cooperation:meetings", args=[p]),
        "meeting": reverse("cooperation:meeting", args=[p, world["meeting"].pk]),
        "meeting form": reverse("cooperation:meeting-new", args=[p]),
        "reschedule": reverse("cooperation:meeting-edit", args=[p, world["planned"].pk]),
        "minutes": reverse("cooperation:meeting-minutes", args=[p, world["meeting"].pk]),
        "action items": reverse("cooperation:action-items", args=[p]),
        "action item": reverse("cooperation:action-item", args=[p, world["action"].pk]),
        "documents": reverse("cooperation:documents", args=[p]),
        "messages": reverse("cooperation:messages", args=[p]),
        "timeline": reverse("cooperation:timeline", args=[p]),
    }


TAB_OF = {"overview": "Overview", "workplan": "Work plan", "milestone": "Work plan", "deliverable": "Work plan",
          "results": "Results", "indicator": "Results", "finance": "Budget and ODA", "reports": "Reports",
          "report": "Reports", "report form": "Reports", "schedule": "Reports", "meetings": "Meetings",
          "meeting": "Meetings", "meeting form": "Meetings", "reschedule": "Meetings", "minutes": "Meetings",
          "action items": "Meetings", "action item": "Meetings", "documents": "Documents", "messages": "Messages",
          "timeline": "Timeline"}


def test_every_tab_and_sub_page_has_the_one_project_header_and_tabs(world):
    staff = world["cast"].staff
    client = _client(staff)
    seen = {}
    for name, url in _pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        current = re.findall(r'class="nav-link active" href="[^"]+" aria-current="page">([^<]+)</a>', html)
        seen[name] = (html.count('id="project-header"'), html.count("<h1"), html.count('aria-label="Project sections"'),
                      current)
    assert seen == {name: (1, 1, 1, [TAB_OF[name]]) for name in seen}


def test_the_project_title_in_the_frame_is_in_the_viewers_language(world):
    project = world["cast"].project
    project.translations = {"ko": {"title": "자카르타 스마트 교통"}}
    project.save(update_fields=["translations"])
    staff = world["cast"].staff
    staff.language = "ko"
    staff.save(update_fields=["language"])
    client = _client(staff)
    for url in (_pages(world)["workplan"], _pages(world)["report"], _pages(world)["meeting"]):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        assert re.search(r"<h1[^>]*>자카르타 스마트 교통</h1>", html), url


def test_the_health_counts_link_to_where_the_overdue_items_are(world):
    cast = world["cast"]
    p = cast.project.pk
    type(world["action"]).objects.filter(pk=world["action"].pk).update(due_date=TODAY() - datetime.timedelta(days=3))
    ReportingPeriod.objects.filter(pk=world["first"].pk).update(due_date=TODAY() - datetime.timedelta(days=3))
    html = _client(cast.partner).get(reverse("cooperation:project", args=[p])).content.decode()
    links = dict(re.findall(r'href="([^"]+)" data-health-link="(\w+)"', html))
    assert {key: url for url, key in links.items()} == {
        "milestones": reverse("cooperation:workplan", args=[p]),
        "reports": reverse("cooperation:reports", args=[p]),
        "actions": reverse("cooperation:action-items", args=[p]) + "?status=open",
    }
    assert 'data-health="deliverables">0<' in html  # nothing overdue there: a count, not a link
    reports = _client(cast.partner).get(reverse("cooperation:reports", args=[p])).content.decode()
    due = {str(pk) for pk in ReportingPeriod.objects.filter(project=cast.project, due_date__lt=TODAY())
           .values_list("pk", flat=True)}  # none has a submitted report (the first has a draft)
    assert str(world["first"].pk) in due
    assert set(re.findall(r'data-overdue="(\d+)"', reports)) == due  # the overdue ones are marked
    assert f'data-health="reports">{len(due)}<' in html


def test_plan_files_download_through_the_documents_path_with_its_rule(world):
    cast = world["cast"]
    version = world["deliverable"].versions.get()
    with pytest.raises(NoReverseMatch):
        reverse("cooperation:plan-document", args=[cast.project.pk, version.document_id])
    url = reverse("cooperation:document-download", args=[cast.project.pk, version.document_id])
    page = _client(cast.partner).get(_pages(world)["deliverable"]).content.decode()
    assert f'href="{url}"' in page
    response = _client(cast.partner).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for outsider in (cast.outsider, cast.other_contractor, cast.other_centre_staff):
        assert _client(outsider).get(url).status_code == 404
    other = reverse("cooperation:document-download", args=[cast.other_project.pk, version.document_id])
    assert _client(cast.staff).get(other).status_code == 404  # the document is not the other project's


def test_plan_pages_show_the_decision_that_approved_the_change(world):
    cast, meeting = world["cast"], world["meeting"]
    approvals = {}
    for change, title in ((world["revision"], "Move the inception"), (world["period"], "The training target"),
                          (world["budget"], "The second city")):
        item = services.agenda_item_add(meeting=meeting, title=title, by=cast.staff)
        services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.DECISION, outcome="Agreed",
                                       approved_change=change, by=cast.staff)
        approvals[title] = item
    client = _client(cast.partner)
    meeting_url = reverse("cooperation:meeting", args=[cast.project.pk, meeting.pk])
    for page, title in (("milestone", "Move the inception"), ("indicator", "The training target"),
                        ("finance", "The second city")):
        html = client.get(_pages(world)[page]).content.decode()
        found = re.findall(r'<p class="small mb-1 approved-by">.*?</p>', html, re.S)
        assert len(found) == 1, page
        assert f'href="{meeting_url}"' in found[0] and title in found[0], page
    # The other pages of the same kinds, with nothing approved, show no such line.
    other = Indicator.objects.create(objective=Objective.objects.get(project=cast.project), title="Buses",
                                     unit="buses", baseline_value=0, baseline_date=TODAY())
    html = client.get(reverse("cooperation:results-indicator", args=[cast.project.pk, other.pk])).content.decode()
    assert "approved-by" not in html


def test_approvals_on_the_budget_page_are_read_in_one_query_however_many(world, django_assert_num_queries):
    cast, meeting = world["cast"], world["meeting"]
    client = _client(cast.staff)
    url = _pages(world)["finance"]

    def revise(n):
        for i in range(n):
            budget = finance_services.budget_revise(project=cast.project, amount_krw=330_000_000 + i,
                                                    reason=f"Revision {i}", by=cast.staff)
            item = services.agenda_item_add(meeting=meeting, title=f"Budget {i}", by=cast.staff)
            services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.DECISION, outcome="Agreed",
                                           approved_change=budget, by=cast.staff)

    revise(2)
    client.get(url)
    with CaptureQueriesContext(connection) as at_n:
        assert client.get(url).status_code == 200
    revise(2)
    with django_assert_num_queries(len(at_n.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('class="small mb-1 approved-by"') == 4

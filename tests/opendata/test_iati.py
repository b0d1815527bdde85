"""The IATI 2.03 activity file: what it says of a public project, in the schema's order, valid against the
official XSD; and what it never says (unreleased decisions, private and draft-report documents)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from cooperation.demo import DEMO_PROJECTS, demo_project
from cooperation.models import Indicator, IndicatorPeriod, Objective, RelatedProject, RelationKind
from opendata.iati import document_url, iati_document
from opendata.iati_schema import errors, validate
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories.cooperation import ProjectFactory
from tests.opendata.iati_helpers import (
    BASE_URL,
    activity_of,
    built,
    document,
    draft_report_document,
    full_project,
    released_project,
)

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DCTERMS = "{http://purl.org/dc/terms/}"


def _narratives(element) -> list[tuple[str | None, str]]:
    return [(n.get(XML_LANG), n.text) for n in element.findall("narrative")]


def test_iati_demo_data_is_valid_with_the_three_projects(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    projects = {key: demo_project(key) for key in DEMO_PROJECTS}

    root = built()

    assert root.get("version") == "2.03"
    assert sorted(root.xpath("iati-activity/iati-identifier/text()")) == sorted(
        p.iati_identifier for p in projects.values()
    )
    closed, midway = activity_of(root, projects["closed"]), activity_of(root, projects["midway"])
    assert closed.find("activity-status").get("code") == "4"
    assert [d.get("type") for d in closed.findall("activity-date")] == ["1", "2", "3", "4"]
    assert closed.find("recipient-country").get("code") == "CO"
    assert [t.find("transaction-type").get("code") for t in midway.findall("transaction")] == ["2", "3"]
    assert [t.find("value").text for t in midway.findall("transaction")] == ["300000000", "90000000"]
    assert midway.find("title/narrative").text == DEMO_PROJECTS["midway"]
    assert ("ko", "나쿠루 카운티 스마트 수도계량 및 누수탐지 계획") in _narratives(midway.find("title"))
    assert midway.xpath("result/indicator/period/actual")
    assert {p.get("role") for p in midway.findall("participating-org")} == {"1", "2", "3", "4"}
    assert {a.get("default-currency") for a in root.findall("iati-activity")} == {"KRW"}
    assert set(root.xpath("//value/@currency")) == {"KRW"}


def test_iati_activity_of_a_full_project_says_everything_in_the_schema_order():
    project = full_project()
    contractor = project.participants.get(name="Korean Engineering Co.")
    evidence = project.documents.get(title="Training attendance")
    report = project.documents.get(title="Inception report")

    activity = activity_of(built(), project)

    assert [child.tag for child in activity] == [
        "iati-identifier",
        "reporting-org",
        "title",
        "description",
        "participating-org",
        "participating-org",
        "participating-org",
        "participating-org",
        "activity-status",
        "activity-date",
        "activity-date",
        "activity-date",
        "recipient-country",
        "location",
        "sector",
        "budget",
        "budget",
        "planned-disbursement",
        "transaction",
        "transaction",
        "document-link",
        "document-link",
        "related-activity",
        "result",
    ]
    assert activity.get("default-currency") == "KRW" and activity.get(XML_LANG) == "en"
    assert activity.findtext("iati-identifier") == project.iati_identifier
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("KR-GOV-1613000", "10")
    assert _narratives(activity.find("title")) == [
        (None, "Surabaya operations centre & <flood> plan"),
        ("es", "Centro"),
        ("ko", "수라바야 운영센터"),
    ]
    assert _narratives(activity.find("description")) == [
        (None, "One centre for the city's data."),
        ("ko", "도시 데이터 센터"),
    ]
    assert [
        (o.get("role"), o.get("ref"), o.get("type"), o.findtext("narrative"))
        for o in activity.findall("participating-org")
    ] == [
        ("1", "KR-GOV-1613000", "10", "Ministry of Land, Infrastructure and Transport (MOLIT), Republic of Korea"),
        ("2", None, "11", project.partner_organisation.name),
        ("3", "KR-GOV-1613000", "10", "K-City Network secretariat"),
        ("4", "KR-CRN-1108100000", "71", "Korean Engineering Co."),
    ]
    assert activity.find("activity-status").get("code") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == [
        ("1", "2026-01-01"),
        ("2", "2026-02-01"),
        ("3", "2026-12-31"),
    ]
    assert (activity.find("recipient-country").get("code"), activity.findtext("recipient-country/narrative")) == (
        "ID",
        "Indonesia",
    )
    assert activity.findtext("location/name/narrative") == "Surabaya"
    sector = activity.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", "43030")
    revised_on = project.budget_revisions.get().approved_at.astimezone(datetime.UTC).date().isoformat()
    assert [
        (
            b.get("type"),
            b.get("status"),
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            b.findtext("value"),
            b.find("value").get("value-date"),
        )
        for b in activity.findall("budget")
    ] == [
        ("1", "2", "2026-01-01", "2026-12-31", "550000000", "2026-01-01"),
        ("2", "2", "2026-01-01", "2026-12-31", "600000000", revised_on),
    ]
    planned = activity.find("planned-disbursement")
    assert (planned.findtext("value"), planned.find("receiver-org").get("ref")) == ("300000000", contractor.iati_ref)
    assert [
        (
            t.find("transaction-type").get("code"),
            t.find("transaction-date").get("iso-date"),
            t.findtext("value"),
            t.find("value").get("value-date"),
            t.findtext("description/narrative"),
            t.find("provider-org").get("ref"),
            t.findtext("receiver-org/narrative"),
        )
        for t in activity.findall("transaction")
    ] == [
        ("2", "2026-01-15", "600000000", "2026-01-15", "Contract signed", "KR-GOV-1613000", "Korean Engineering Co."),
        ("3", "2026-03-01", "250000000", "2026-03-01", None, "KR-GOV-1613000", "Korean Engineering Co."),
    ]
    assert [
        (d.get("url"), d.get("format"), d.findtext("title/narrative"), d.find("category").get("code"))
        for d in activity.findall("document-link")
    ] == [
        (document_url(evidence, BASE_URL), "application/pdf", "Training attendance", "A08"),
        (document_url(report, BASE_URL), "application/pdf", "Inception report", "A07"),
    ]
    related = activity.find("related-activity")
    assert (related.get("ref"), related.get("type")) == ("XM-EDCF-2027-001", "2")
    [result] = activity.findall("result")
    assert (result.get("type"), result.findtext("title/narrative")) == ("2", "Officials run the centre")
    [indicator] = result.findall("indicator")
    assert (indicator.get("measure"), indicator.get("ascending"), indicator.findtext("title/narrative")) == (
        "1",
        "1",
        "Officials trained",
    )
    baseline = indicator.find("baseline")
    assert (baseline.get("year"), baseline.get("iso-date"), baseline.get("value")) == ("2026", "2026-01-01", "0.00")
    assert [
        (
            p.find("period-start").get("iso-date"),
            p.find("period-end").get("iso-date"),
            p.find("target").get("value"),
            p.find("actual").get("value") if p.find("actual") is not None else None,
        )
        for p in indicator.findall("period")
    ] == [("2026-01-01", "2026-06-30", "20.00", "24.00"), ("2026-07-01", "2026-12-31", "40.50", None)]
    assert indicator.find("period/actual/document-link").get("url") == document_url(evidence, BASE_URL)


def test_iati_never_shows_unreleased_decisions_private_or_draft_report_documents():
    public = full_project()
    unreleased = ProjectFactory(title="Approved but not released")  # approved, project open, letter not sent
    document(unreleased, title="Unreleased project's public document", public=True)
    RelatedProject.objects.create(
        project=public, kind=RelationKind.SIBLING, to_project=unreleased, iati_identifier=unreleased.iati_identifier
    )
    private_elsewhere = released_project()
    document(private_elsewhere, title="Only for the parties", public=False)
    draft_report_document(private_elsewhere, title="Photo of a report in draft")
    private_evidence = document(private_elsewhere, title="Private evidence", public=False, category="evidence")
    objective = Objective.objects.create(project=private_elsewhere, title="Objective")
    indicator = Indicator.objects.create(
        objective=objective,
        title="Meters installed",
        unit="meters",
        baseline_value=Decimal("0"),
        baseline_date=datetime.date(2026, 1, 1),
    )
    IndicatorPeriod.objects.create(
        indicator=indicator,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        target_value=Decimal("100"),
        actual_value=Decimal("80"),
        evidence=private_evidence,
    )
    rejected = released_project(title="Released, then not approved")  # whatever moved it, it is not approved
    Proposal.objects.filter(pk=rejected.proposal_id).update(status=Status.REJECTED)

    data = iati_document(base_url=BASE_URL)
    root = etree.fromstring(data)

    validate(root)
    assert sorted(root.xpath("iati-activity/iati-identifier/text()")) == sorted(
        [public.iati_identifier, private_elsewhere.iati_identifier]
    )
    for secret in (
        b"Approved but not released",
        b"Unreleased project's public document",
        b"Only for the parties",
        b"Photo of a report in draft",
        b"Draft report photo",
        b"Internal budget sheet",
        b"Private evidence",
        b"Released, then not approved",
        unreleased.iati_identifier.encode(),
    ):
        assert secret not in data
    assert activity_of(root, private_elsewhere).find("document-link") is None
    assert activity_of(root, private_elsewhere).find("result/indicator/period/actual").get("value") == "80.00"
    assert activity_of(root, private_elsewhere).find(".//document-link") is None


def test_iati_strips_characters_xml_cannot_carry_and_escapes_markup():
    # (PostgreSQL keeps no NUL in text, so the database never hands one over; the other controls it keeps)
    project = released_project(
        title="Bus\x01 rapid\x1b transit & <b>lanes</b>\ufffe",
        description="Line one\nline\x0c two\ttabbed",
        translations={"ko": {"title": "버스\x07 전용차로"}, "not a language!": {"title": "x"}},
    )

    data = iati_document(base_url=BASE_URL)
    activity = activity_of(etree.fromstring(data), project)

    validate(etree.fromstring(data))
    assert b"&amp; &lt;b&gt;lanes&lt;/b&gt;" in data
    assert _narratives(activity.find("title")) == [(None, "Bus rapid transit & <b>lanes</b>"), ("ko", "버스 전용차로")]
    assert activity.findtext("description/narrative") == "Line one\nline two\ttabbed"


def test_iati_project_without_dates_description_or_country_is_still_valid():
    project = released_project(planned_start=None, planned_end=None, description="", recipient_city="")
    project.recipient_country = ""
    project.save(update_fields=["recipient_country"])

    activity = activity_of(built(), project)

    released_on = project.proposal.decision_released_at.astimezone(datetime.UTC).date().isoformat()
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == [("1", released_on)]
    assert activity.find("budget") is None  # a budget needs a period
    assert activity.find("recipient-country") is None and activity.find("location") is None
    assert activity.findtext("description/narrative") == project.title


def test_iati_related_portal_project_is_named_once_it_is_public():
    parent = released_project()
    child = released_project()
    RelatedProject.objects.create(
        project=parent, kind=RelationKind.CHILD, to_project=child, iati_identifier=child.iati_identifier
    )

    activity = activity_of(built(), parent)

    assert [(r.get("ref"), r.get("type")) for r in activity.findall("related-activity")] == [
        (child.iati_identifier, "2")
    ]


def _queries_for_the_file() -> int:
    with CaptureQueriesContext(connection) as queries:
        iati_document(base_url=BASE_URL)
    return len(queries)


def test_iati_query_count_is_the_same_for_one_and_twenty_projects():
    full_project()
    one = _queries_for_the_file()
    for _n in range(19):
        full_project()

    twenty = _queries_for_the_file()

    # the projects, then one query each: participants, budget revisions, planned disbursements, transactions,
    # public documents, relations, objectives, indicators, periods
    assert one == twenty == 10
    assert len(etree.fromstring(iati_document(base_url=BASE_URL)).findall("iati-activity")) == 20


def test_iati_without_public_projects_has_no_activity_and_says_why_it_is_not_valid_yet():
    ProjectFactory()  # not released

    data = iati_document(base_url=BASE_URL)

    root = etree.fromstring(data)
    assert root.tag == "iati-activities" and root.findall("iati-activity") == []
    assert any("iati-activity" in problem for problem in errors(data))


def test_iati_file_carries_the_licence_and_when_it_was_generated():
    released_project()
    at = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)

    data = iati_document(base_url=BASE_URL, at=at)
    root = etree.fromstring(data)

    assert root.get("generated-datetime") == "2026-12-01T09:30:00+00:00"
    assert root.get(f"{DCTERMS}license") == "https://www.kogl.or.kr/info/licenseTypeEn.do"
    assert root.get(f"{DCTERMS}rights") == (
        "Korea Open Government Licence Type 1: Source Indication (compatible with CC BY 4.0) (KOGL-Type1)"
    )
    comment = root.getprevious()
    assert isinstance(comment, etree._Comment)
    assert "generated 2026-12-01T09:30:00+00:00" in comment.text and "KOGL-Type1" in comment.text

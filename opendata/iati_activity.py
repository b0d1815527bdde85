"""One project as an IATI 2.03 <iati-activity>: its children in the order of the schema's sequence (the XSD in
opendata/iati_schema), the codes of the IATI codelists it uses, and the cleaning every text goes through. Every
amount is KRW: the activity's default-currency, repeated on each value."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import etree

from accounts.models import OrganisationKind
from cooperation.models import DocumentCategory, Indicator, OrganisationRole, Participant, Project

CURRENCY = "KRW"


# IATI OrganisationType codes for the portal's kinds of organisation.
ORGANISATION_TYPE = {
    OrganisationKind.NATIONAL: "10",  # Government
    OrganisationKind.REGIONAL: "11",  # Local Government
    OrganisationKind.CITY: "11",
    OrganisationKind.INTERNATIONAL: "40",  # Multilateral
    OrganisationKind.KOREAN_COMPANY: "71",  # Private Sector in Provider Country
    OrganisationKind.FOREIGN_COMPANY: "70",  # Private Sector
}
GOVERNMENT = "10"

# IATI DocumentCategory codes (activity documents, A01-A12) for the project's categories.
DOCUMENT_CATEGORY = {
    DocumentCategory.GENERAL: "A02",  # Objectives / Purpose of activity
    DocumentCategory.DELIVERABLE: "A08",  # Results, outcomes and outputs
    DocumentCategory.REPORT: "A07",  # Review of project performance and evaluation
    DocumentCategory.PHOTO: "A08",
    DocumentCategory.EVIDENCE: "A08",
    DocumentCategory.MINUTES: "A07",
}

# IATI codes used as they are: ActivityDateType, BudgetType, BudgetStatus, ResultType, IndicatorMeasure,
# SectorVocabulary (1: OECD DAC CRS purpose codes, 5 digits).
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
BUDGET_ORIGINAL, BUDGET_REVISED, BUDGET_COMMITTED = "1", "2", "2"
RESULT_OUTCOME = "2"
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"
SECTOR_DAC5 = "1"

# XML 1.0 refuses these characters (C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF): a title
# pasted from a spreadsheet may carry them, and they are dropped rather than making the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")  # xsd:language


def clean(text) -> str:
    return _NOT_XML.sub("", str(text or "")).strip()


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    name: str

    @classmethod
    def from_settings(cls) -> "ReportingOrg":
        return cls(ref=settings.IATI_REPORTING_ORG_REF, name=settings.IATI_REPORTING_ORG_NAME)


def iso_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def number(value) -> str:
    """An xsd:decimal: no exponent, no grouping (Decimal("1E+3") would be refused)."""
    return format(Decimal(value), "f") if not isinstance(value, int) else str(value)


def _sub(parent, tag: str, attrib: dict | None = None, **more):
    attrib = {**(attrib or {}), **{key.replace("_", "-"): value for key, value in more.items()}}
    return etree.SubElement(parent, tag, {key: str(value) for key, value in attrib.items() if value is not None})


def _narrative(parent, text, language: str | None = None):
    element = etree.SubElement(parent, "narrative")
    if language:
        element.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    element.text = clean(text)
    return element


def _text(parent, tag: str, text, attrib: dict | None = None, translations: Iterable[tuple[str, str]] = ()):
    element = _sub(parent, tag, attrib)
    _narrative(element, text)
    for language, other in translations:
        _narrative(element, other, language)
    return element


def _translations(project: Project, field: str) -> list[tuple[str, str]]:
    """(language, text) of each translation of `field` that has text, by language code; English is the main text."""
    rows = []
    for language, values in sorted((project.translations or {}).items()):
        text = clean((values or {}).get(field) if isinstance(values, dict) else "")
        if text and language != "en" and _LANGUAGE.match(str(language)):
            rows.append((str(language), text))
    return rows


def _organisation_type(participant: Participant, reporting: ReportingOrg) -> str | None:
    if participant.organisation is not None:
        return ORGANISATION_TYPE.get(participant.organisation.kind)
    return GOVERNMENT if participant.iati_ref and participant.iati_ref == reporting.ref else None


def _org(parent, tag: str, participant: Participant | None, reporting: ReportingOrg, **attrib):
    """provider-org / receiver-org: a participant (its reference and type where known), or MOLIT."""
    if participant is None:
        return _text(parent, tag, reporting.name, {"ref": reporting.ref, "type": GOVERNMENT, **attrib})
    ref = clean(participant.iati_ref) or None
    return _text(
        parent, tag, participant.name, {"ref": ref, "type": _organisation_type(participant, reporting), **attrib}
    )


def _value(parent, tag: str, amount: int, value_date: date):
    element = _sub(parent, tag, currency=CURRENCY, value_date=value_date.isoformat())
    element.text = number(amount)
    return element


def last_updated(project: Project) -> datetime:
    """The latest change the activity shows: the project, a revision, a transaction, an actual, a document."""
    moments = [project.updated_at, project.released_at]
    moments += [r.approved_at for r in project.budget_revisions.all()]
    moments += [t.recorded_at for t in project.transactions.all()]
    moments += [d.uploaded_at for d in project.public_documents]
    moments += [p.actual_at for o in project.objectives.all() for i in o.indicators.all() for p in i.periods.all()]
    return max(moment for moment in moments if moment is not None)


def activity(project: Project, *, reporting: ReportingOrg, base_url: str) -> etree._Element:
    """One <iati-activity>; the children in the schema's sequence (see the XSD's iati-activity)."""
    element = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": iso_datetime(last_updated(project)),
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "default-currency": CURRENCY,
        },
    )
    _sub(element, "iati-identifier").text = clean(project.iati_identifier)
    _text(element, "reporting-org", reporting.name, {"ref": reporting.ref, "type": GOVERNMENT})
    title = clean(project.title) or clean(project.proposal_title)
    _text(element, "title", title, translations=_translations(project, "title"))
    # description is required: a project without one says its title again rather than publish an empty text
    _text(
        element,
        "description",
        clean(project.description) or title,
        {"type": "1"},
        translations=_translations(project, "description"),
    )
    participants = list(project.participants.all())
    for participant in participants:
        _text(
            element,
            "participating-org",
            participant.name,
            {
                "ref": clean(participant.iati_ref) or None,
                "type": _organisation_type(participant, reporting),
                "role": participant.role,
            },
        )
    if not participants:  # at least one is required: the reporting organisation funds every project
        _text(
            element,
            "participating-org",
            reporting.name,
            {"ref": reporting.ref, "type": GOVERNMENT, "role": OrganisationRole.FUNDING},
        )
    _sub(element, "activity-status", code=project.activity_status)
    _activity_dates(element, project)
    if project.recipient_country:
        with translation.override("en"):
            _text(
                element,
                "recipient-country",
                project.recipient_country.name,
                {"code": project.recipient_country.code, "percentage": "100"},
            )
    if clean(project.recipient_city):
        location = _sub(element, "location")
        _text(location, "name", project.recipient_city)
    if clean(project.sector_code):
        _sub(element, "sector", vocabulary=SECTOR_DAC5, code=clean(project.sector_code), percentage="100")
    _budgets(element, project)
    funding = next((p for p in participants if p.role == OrganisationRole.FUNDING), None)
    for planned in project.planned_disbursements.all():
        disbursement = _sub(element, "planned-disbursement", type=BUDGET_ORIGINAL)
        _sub(disbursement, "period-start", iso_date=planned.period_start.isoformat())
        _sub(disbursement, "period-end", iso_date=planned.period_end.isoformat())
        _value(disbursement, "value", planned.amount_krw, planned.period_start)
        _org(disbursement, "provider-org", funding, reporting)
        _org(disbursement, "receiver-org", planned.receiver, reporting)
    for row in project.transactions.all():
        transaction = _sub(element, "transaction")
        _sub(transaction, "transaction-type", code=row.kind)
        _sub(transaction, "transaction-date", iso_date=row.date.isoformat())
        _value(transaction, "value", row.amount_krw, row.date)
        if clean(row.description):
            _text(transaction, "description", row.description)
        _org(transaction, "provider-org", funding, reporting)
        _org(transaction, "receiver-org", row.receiver, reporting)
    public = {document.pk: document for document in project.public_documents}
    for document in public.values():
        _document_link(element, "document-link", document, base_url)
    for relation in project.public_relations:
        if clean(relation.iati_identifier):
            _sub(element, "related-activity", ref=clean(relation.iati_identifier), type=relation.kind)
    _results(element, project, public, base_url)
    return element


def _activity_dates(element, project: Project) -> None:
    dates = [
        (PLANNED_START, project.planned_start),
        (ACTUAL_START, project.actual_start),
        (PLANNED_END, project.planned_end),
        (ACTUAL_END, project.actual_end),
    ]
    known = [(kind, day) for kind, day in dates if day is not None]
    for kind, day in known:
        _sub(element, "activity-date", type=kind, iso_date=day.isoformat())
    if not known and project.released_at:
        # one date is required: without a plan yet, the day the decision was released, said as such
        day = project.released_at.astimezone(UTC).date()
        _text(
            element,
            "activity-date",
            "The committee's decision was released on this day; no start date is planned yet.",
            {"type": PLANNED_START, "iso-date": day.isoformat()},
        )


def _budget_period(project: Project) -> tuple[date, date] | None:
    start = project.planned_start or project.actual_start
    end = project.planned_end or project.actual_end
    if start is None and project.released_at is not None:
        start = project.released_at.astimezone(UTC).date()
    if start is None or end is None or end < start:
        return None
    return start, end


def _budgets(element, project: Project) -> None:
    """The approved budget (original) over the project's period and, once revised, the budget as last revised
    (valued on the day of the revision). No period, no budget: IATI's budget needs both ends."""
    period = _budget_period(project)
    if period is None:
        return
    start, end = period
    rows = [(BUDGET_ORIGINAL, project.support_amount_krw, start)]
    revisions = list(project.budget_revisions.all())
    if revisions:
        latest = revisions[-1]
        rows.append((BUDGET_REVISED, latest.amount_krw, latest.approved_at.astimezone(UTC).date()))
    for kind, amount, value_date in rows:
        budget = _sub(element, "budget", type=kind, status=BUDGET_COMMITTED)
        _sub(budget, "period-start", iso_date=start.isoformat())
        _sub(budget, "period-end", iso_date=end.isoformat())
        _value(budget, "value", amount, value_date)


# Where a public document is downloaded: the register's download (public documents of public projects only).
PUBLIC_DOCUMENT_URL = "opendata:document"


def document_url(document, base_url: str) -> str:
    return base_url.rstrip("/") + reverse(PUBLIC_DOCUMENT_URL, args=[document.project_id, document.pk])


def _document_link(parent, tag: str, document, base_url: str):
    link = _sub(
        parent,
        tag,
        url=document_url(document, base_url),
        format=clean(document.content_type) or "application/octet-stream",
    )
    _text(link, "title", document.title)
    _sub(link, "category", code=DOCUMENT_CATEGORY.get(document.category, "A02"))
    _sub(link, "document-date", iso_date=document.uploaded_at.astimezone(UTC).date().isoformat())
    return link


def _results(element, project: Project, public: dict, base_url: str) -> None:
    """Each objective with indicators is an outcome; each indicator its baseline and, per period, the target and
    the actual once measured (with its evidence when that document is public)."""
    for objective in project.objectives.all():
        indicators = list(objective.indicators.all())
        if not indicators:  # a result needs an indicator
            continue
        result = _sub(element, "result", type=RESULT_OUTCOME)
        _text(result, "title", objective.title)
        if clean(objective.description):
            _text(result, "description", objective.description)
        for indicator in indicators:
            _indicator(result, indicator, public, base_url)


def _indicator(result, indicator: Indicator, public: dict, base_url: str) -> None:
    node = _sub(
        result,
        "indicator",
        measure=MEASURE_PERCENTAGE if indicator.is_percentage else MEASURE_UNIT,
        ascending="1" if indicator.ascending else "0",
    )
    _text(node, "title", indicator.title)
    if clean(indicator.unit):
        _text(node, "description", f"Unit: {clean(indicator.unit)}")
    baseline = _sub(
        node,
        "baseline",
        iso_date=indicator.baseline_date.isoformat(),
        year=indicator.baseline_date.year,
        value=number(indicator.baseline_value),
    )
    if clean(indicator.baseline_comment):
        _text(baseline, "comment", indicator.baseline_comment)
    for period in indicator.periods.all():
        row = _sub(node, "period")
        _sub(row, "period-start", iso_date=period.period_start.isoformat())
        _sub(row, "period-end", iso_date=period.period_end.isoformat())
        _sub(row, "target", value=number(period.target_value))
        if period.actual_value is not None:
            actual = _sub(row, "actual", value=number(period.actual_value))
            if clean(period.actual_comment):
                _text(actual, "comment", period.actual_comment)
            if period.evidence_id in public:
                _document_link(actual, "document-link", public[period.evidence_id], base_url)

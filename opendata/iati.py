"""The IATI 2.03 activity file of every public project (/open-data/iati-activities.xml, `manage.py export_iati`).

One <iati-activity> per public project (opendata.iati_activity), valid against the official XSD vendored in
opendata/iati_schema (the tests validate every generated file against it). The file is written as it is read: the
projects come in chunks, each chunk with a fixed number of prefetch queries, and each activity is serialised and
handed on before the next is built, so thousands of projects need neither thousands of queries nor the whole tree
in memory.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import F, Prefetch, Q
from django.utils import translation
from lxml import etree

from cooperation.models import (
    BudgetRevision,
    Indicator,
    IndicatorPeriod,
    Objective,
    Participant,
    PlannedDisbursement,
    Project,
    RelatedProject,
    Transaction,
)
from opendata.iati_activity import ReportingOrg, activity, clean, document_url, iso_datetime
from opendata.licence import LICENCE, generated_at
from opendata.selectors import public_documents, released

__all__ = ["document_url", "iati_chunks", "iati_document", "iati_projects"]

IATI_VERSION = "2.03"
DCTERMS = "http://purl.org/dc/terms/"  # the licence as attributes the schema allows (any other namespace, lax)
CHUNK_SIZE = 500


def public_projects():
    """The public projects (opendata.selectors.released), without the register's annotations."""
    return Project.objects.filter(released())


def iati_projects():
    """The public projects with everything the file reads, prefetched (one query per related table per chunk).
    The proposal is not loaded: only its release date, as `released_at`."""
    documents = (
        public_documents()
        .only("id", "project_id", "category", "title", "content_type", "uploaded_at")
        .order_by("uploaded_at", "id")
    )
    # A related portal project is named only once it is public itself (its identifier would announce it).
    relations = RelatedProject.objects.filter(
        Q(to_project__isnull=True) | Q(to_project__in=public_projects().values("pk"))
    ).order_by("kind", "id")
    periods = IndicatorPeriod.objects.only(
        "id",
        "indicator_id",
        "period_start",
        "period_end",
        "target_value",
        "actual_value",
        "actual_comment",
        "evidence_id",
        "actual_at",
    ).order_by("period_start", "id")
    indicators = Indicator.objects.order_by("order", "id").prefetch_related(Prefetch("periods", queryset=periods))
    objectives = Objective.objects.order_by("order", "id").prefetch_related(Prefetch("indicators", queryset=indicators))
    return (
        public_projects()
        .exclude(iati_identifier__isnull=True)
        .exclude(iati_identifier="")
        .annotate(released_at=F("proposal__decision_released_at"), proposal_title=F("proposal__title"))
        .defer("conditions")
        .order_by("iati_identifier", "id")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("organisation").order_by("role", "order", "id"),
            ),
            Prefetch("budget_revisions", queryset=BudgetRevision.objects.order_by("approved_at", "id")),
            Prefetch(
                "planned_disbursements",
                queryset=PlannedDisbursement.objects.select_related("receiver__organisation").order_by(
                    "period_start", "id"
                ),
            ),
            Prefetch(
                "transactions",
                queryset=Transaction.objects.select_related("receiver__organisation").order_by("date", "id"),
            ),
            Prefetch("documents", queryset=documents, to_attr="public_documents"),
            Prefetch("relations", queryset=relations, to_attr="public_relations"),
            Prefetch("objectives", queryset=objectives),
        )
    )


# --- the document ----------------------------------------------------------------------------------------------


def licence_note(at: datetime) -> str:
    with translation.override("en"):
        return (
            f" IATI {IATI_VERSION} activity file of the K-City Network, generated {iso_datetime(at)}. "
            f"Licence: {LICENCE.name} ({LICENCE.code}), {LICENCE.url}. Attribution: {LICENCE.attribution}. "
            "Every amount is in Korean won (KRW). "
        )


def root_attributes(at: datetime) -> dict:
    with translation.override("en"):
        return {
            "version": IATI_VERSION,
            "generated-datetime": iso_datetime(at),
            f"{{{DCTERMS}}}license": LICENCE.url,
            f"{{{DCTERMS}}}rights": f"{LICENCE.name} ({LICENCE.code})",
            f"{{{DCTERMS}}}rightsHolder": str(LICENCE.attribution),
        }


class _Chunks:
    """The file object lxml's incremental writer writes into; `take()` hands on what was written since."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def iati_chunks(
    *, base_url: str, projects: Iterable[Project] | None = None, at: datetime | None = None
) -> Iterator[bytes]:
    """The file, in pieces (the head, then one piece per activity, then the end). `base_url` (scheme and host)
    makes the document links absolute; `projects` defaults to every public project, read in chunks."""
    at = at or generated_at()
    reporting = ReportingOrg.from_settings()
    if projects is None:
        projects = iati_projects().iterator(chunk_size=CHUNK_SIZE)
    out = _Chunks()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        note = clean(licence_note(at)).replace("--", "- -")  # a comment may not hold "--"
        xf.write(etree.Comment(f" {note} "), pretty_print=True)
        with xf.element("iati-activities", root_attributes(at), nsmap={"dcterms": DCTERMS}):
            xf.write("\n")
            yield out.take()
            for project in projects:
                xf.write(activity(project, reporting=reporting, base_url=base_url), pretty_print=True)
                xf.flush()
                yield out.take()
    yield out.take() + b"\n"


def iati_document(*, base_url: str, projects: Iterable[Project] | None = None, at: datetime | None = None) -> bytes:
    """The whole file at once (the tests, and whoever wants to validate it before writing it)."""
    return b"".join(iati_chunks(base_url=base_url, projects=projects, at=at))

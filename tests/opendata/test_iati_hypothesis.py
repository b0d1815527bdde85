"""Generated projects (Hypothesis): whatever the titles (any Unicode, markup, control characters), amounts (up to
10^13 KRW), dates (any of them missing) and however many transactions, indicators and documents, the file is
valid IATI 2.03, keeps every amount, and shows no private or draft-report document.

Each example builds its project inside the test's transaction, which hypothesis.extra.django's TestCase rolls
back after every example, so the examples never see each other's rows."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from lxml import etree

from cooperation.models import (
    BudgetRevision,
    Indicator,
    IndicatorPeriod,
    Objective,
    Transaction,
    TransactionKind,
)
from opendata.iati import iati_document
from opendata.iati_activity import clean
from opendata.iati_schema import validate
from tests.factories import StaffFactory
from tests.factories.cooperation import ParticipantFactory
from tests.opendata.iati_helpers import BASE_URL, activity_of, document, draft_report_document, released_project

# PostgreSQL keeps no NUL in text (the database refuses it before the file could see it); every other character,
# controls, surrogates aside, markup and right-to-left text included, is fair game.
TEXT = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
AMOUNT = st.integers(min_value=1, max_value=10**13)
DAY = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31))
VALUE = st.decimals(min_value=-(10**13), max_value=10**13, places=2, allow_nan=False, allow_infinity=False)

period = st.fixed_dictionaries(
    {
        "length": st.integers(min_value=0, max_value=400),
        "target": VALUE,
        "actual": st.none() | VALUE,
        "comment": st.text(TEXT, max_size=60),
    }
)
indicator = st.fixed_dictionaries(
    {
        "title": st.text(TEXT, max_size=80),
        "unit": st.text(TEXT, max_size=50),
        "is_percentage": st.booleans(),
        "ascending": st.booleans(),
        "baseline": VALUE,
        "baseline_date": DAY,
        "periods": st.lists(period, max_size=4),
    }
)
project_spec = st.fixed_dictionaries(
    {
        "title": st.text(TEXT, max_size=200),
        "description": st.text(TEXT, max_size=400),
        "translations": st.dictionaries(
            st.sampled_from(["ko", "es", "fr", "ar", "id"]),
            st.fixed_dictionaries({"title": st.text(TEXT, max_size=60), "description": st.text(TEXT, max_size=60)}),
            max_size=5,
        ),
        "amount": AMOUNT,
        "revisions": st.lists(AMOUNT, max_size=3),
        "planned_start": st.none() | DAY,
        "planned_end": st.none() | DAY,
        "actual_start": st.none() | DAY,
        "actual_end": st.none() | DAY,
        "country": st.sampled_from(["ID", "KE", "CO", "VN", ""]),
        "city": st.text(TEXT, max_size=40),
        "transactions": st.lists(
            st.tuples(st.sampled_from(TransactionKind.values), DAY, AMOUNT, st.text(TEXT, max_size=80)), max_size=12
        ),
        "indicators": st.lists(indicator, max_size=4),
        "documents": st.lists(
            st.tuples(st.text(TEXT, min_size=1, max_size=60), st.sampled_from(["public", "private", "draft report"])),
            max_size=3,
        ),
    }
)


def _build(spec: dict):
    staff = StaffFactory()
    project = released_project(
        title=spec["title"],
        description=spec["description"],
        translations=spec["translations"],
        support_amount_krw=spec["amount"],
        planned_start=spec["planned_start"],
        planned_end=spec["planned_end"],
        actual_start=spec["actual_start"],
        actual_end=spec["actual_end"],
        recipient_city=spec["city"],
        by=staff,
    )
    project.recipient_country = spec["country"]
    project.save(update_fields=["recipient_country"])
    contractor = ParticipantFactory(project=project)
    previous = spec["amount"]
    for amount in spec["revisions"]:
        BudgetRevision.objects.create(
            project=project, previous_krw=previous, amount_krw=amount, reason="Revised", approved_by=staff
        )
        previous = amount
    for kind, day, amount, text in spec["transactions"]:
        Transaction.objects.create(
            project=project,
            kind=kind,
            date=day,
            amount_krw=amount,
            receiver=contractor,
            description=text,
            recorded_by=staff,
        )
    objective = Objective.objects.create(project=project, title="Objective")
    for row in spec["indicators"]:
        made = Indicator.objects.create(
            objective=objective,
            title=row["title"],
            unit=row["unit"],
            is_percentage=row["is_percentage"],
            ascending=row["ascending"],
            baseline_value=row["baseline"],
            baseline_date=row["baseline_date"],
        )
        start = datetime.date(2026, 1, 1)
        for one in row["periods"]:
            end = start + datetime.timedelta(days=one["length"])
            IndicatorPeriod.objects.create(
                indicator=made,
                period_start=start,
                period_end=end,
                target_value=one["target"],
                actual_value=one["actual"],
                actual_comment=one["comment"],
            )
            start = end + datetime.timedelta(days=1)
    shown, hidden = [], []
    for title, kind in spec["documents"]:
        if kind == "draft report":
            hidden.append(draft_report_document(project, title=title).pk)
        else:
            doc = document(project, title=title, public=kind == "public", by=staff)
            (shown if doc.public else hidden).append(doc.pk)
    return project, shown, hidden


class GeneratedProjectsTests(TestCase):
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(spec=project_spec)
    def test_iati_file_of_a_generated_project_is_always_valid(self, spec):
        project, shown, hidden = _build(spec)

        data = iati_document(base_url=BASE_URL)
        root = etree.fromstring(data)

        validate(root)
        activity = activity_of(root, project)
        # a blank title is the proposal's (the project's title starts as the proposal's)
        assert activity.findtext("title/narrative") == (clean(spec["title"]) or project.proposal.title)
        assert [int(v) for v in activity.xpath("transaction/value/text()")] == [
            amount for _kind, _day, amount, _text in sorted(spec["transactions"], key=lambda t: t[1])
        ]
        assert set(activity.xpath(".//value/@currency")) <= {"KRW"}
        if activity.find("budget") is not None:
            assert int(activity.findtext("budget/value")) == spec["amount"]
        linked = {int(url.rstrip("/").rsplit("/", 1)[1]) for url in activity.xpath(".//document-link/@url")}
        assert linked == set(shown)
        assert not linked & set(hidden)
        periods = [p for row in spec["indicators"] for p in row["periods"]]
        assert len(activity.xpath("result/indicator/period")) == len(periods)
        assert [Decimal(v) for v in activity.xpath("result/indicator/period/target/@value")] == [
            p["target"] for p in periods
        ]


def test_iati_clean_drops_what_xml_cannot_carry():
    assert clean("a\x00b\x08c\x0bd\x0ce\x1ff\ud800g\ufffeh\uffffi\tj\nk\rl & <m>") == "abcdefghi\tj\nk\rl & <m>"

"""Progress reports: the schedule, every move of the review cycle allowed and refused, immutability once submitted,
versions, ratings previous vs current, the actuals an acceptance writes, and who is told."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.models import (
    IndicatorPeriod,
    Milestone,
    ProgressReport,
    ReportFrequency,
    ReportingPeriod,
    ReportStatus,
)
from cooperation.selectors_reports import previous_accepted, ratings_compared
from cooperation.services import reports as services
from core.errors import TransitionRefused
from notifications.models import Notice
from tests.cooperation.reports_helpers import periods, ready_draft, report_in
from tests.factories import PNG_BYTES, pdf_upload
from tests.factories.cooperation_reports import project_for_reports

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def parties():
    return project_for_reports()


# --- the schedule -------------------------------------------------------------------------------------------


def _spans(project):
    return [(p.period_start, p.period_end, p.due_date) for p in
            ReportingPeriod.objects.filter(project=project).order_by("period_start")]


def test_quarterly_schedule_covers_the_planned_dates(parties):
    counts = services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.QUARTERLY,
                                             by=parties.staff)

    assert counts == {"created": 4, "updated": 0, "removed": 0, "kept": 0}
    assert _spans(parties.project) == [
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 15)), (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 15)),
        (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 15)), (D(2026, 10, 1), D(2026, 12, 31), D(2027, 1, 15)),
    ]


def test_half_yearly_schedule_ends_with_the_project():
    parties = project_for_reports(months=9)

    services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.HALF_YEARLY, by=parties.staff)

    assert _spans(parties.project) == [(D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 15)),
                                       (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 15))]


def test_milestone_schedule_ends_each_period_on_a_milestone(parties):
    first, second = Milestone.objects.filter(project=parties.project).order_by("due_date")
    Milestone.objects.create(project=parties.project, title="Same day", owner_side="contractor", order=5,
                             due_date=second.due_date)

    services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.MILESTONES, by=parties.staff)

    stored = list(ReportingPeriod.objects.filter(project=parties.project).order_by("period_start"))
    assert [(p.period_start, p.period_end, p.milestone_id) for p in stored] == [
        (D(2026, 1, 1), first.due_date, first.pk),
        (first.due_date + datetime.timedelta(days=1), second.due_date, second.pk),
    ]
    assert parties.project.events.filter(kind="reports.schedule_set").count() == 1


def test_changing_the_schedule_keeps_periods_with_reports_and_fills_around_them(parties):
    services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.QUARTERLY, by=parties.staff)
    q1 = periods(parties)[0]
    report = ready_draft(parties, period=q1)

    counts = services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.HALF_YEARLY,
                                             by=parties.staff)

    assert counts == {"created": 0, "updated": 1, "removed": 1, "kept": 1}  # rows reused where the start agrees
    assert _spans(parties.project) == [
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 15)),  # kept: it has a report
        (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 15)),  # the rest of the first half-year
        (D(2026, 7, 1), D(2026, 12, 31), D(2027, 1, 15)),
    ]
    assert ProgressReport.objects.get(pk=report.pk).period_id == q1.pk


def test_rebuilding_twice_changes_nothing(parties):
    services.reporting_periods_rebuild(project=parties.project, by=parties.staff)
    before = list(ReportingPeriod.objects.filter(project=parties.project).values_list("pk", flat=True))

    counts = services.reporting_periods_rebuild(project=parties.project, by=parties.staff)

    assert counts == {"created": 0, "updated": 0, "removed": 0, "kept": 0}
    assert list(ReportingPeriod.objects.filter(project=parties.project).values_list("pk", flat=True)) == before


def test_a_schedule_by_quarter_needs_the_planned_dates(parties):
    parties.project.planned_end = None
    parties.project.save(update_fields=["planned_end"])

    with pytest.raises(ValidationError, match="planned start and end"):
        services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.QUARTERLY,
                                        by=parties.staff)
    assert not ReportingPeriod.objects.exists()


@pytest.mark.parametrize("who", ["partner", "contractor", "centre"])
def test_only_staff_set_the_schedule(parties, who):
    with pytest.raises(PermissionDenied):
        services.reporting_schedule_set(project=parties.project, frequency=ReportFrequency.HALF_YEARLY,
                                        by=getattr(parties, who))
    assert parties.project.report_frequency == ReportFrequency.QUARTERLY


# --- the review cycle: every move from every state ----------------------------------------------------------

STATES = [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED, ReportStatus.ACCEPTED,
          ReportStatus.CHANGES_REQUESTED, ReportStatus.SUPERSEDED]
# action -> (who makes it, the state it leads to)
ACTIONS = {
    "submit": ("contractor", ReportStatus.SUBMITTED),
    "acknowledge": ("partner", ReportStatus.ACKNOWLEDGED),
    "accept": ("staff", ReportStatus.ACCEPTED),
    "request_changes": ("staff", ReportStatus.CHANGES_REQUESTED),
    "revise": ("contractor", ReportStatus.SUPERSEDED),
}
ALLOWED = {
    ("submit", ReportStatus.DRAFT), ("acknowledge", ReportStatus.SUBMITTED), ("accept", ReportStatus.SUBMITTED),
    ("accept", ReportStatus.ACKNOWLEDGED), ("request_changes", ReportStatus.SUBMITTED),
    ("request_changes", ReportStatus.ACKNOWLEDGED), ("revise", ReportStatus.CHANGES_REQUESTED),
}


def _do(action, report, by):
    if action == "submit":
        return services.report_submit(report=report, by=by)
    if action == "acknowledge":
        return services.report_acknowledge(report=report, comment="Noted.", by=by)
    if action == "accept":
        return services.report_accept(report=report, by=by)
    if action == "request_changes":
        return services.report_request_changes(report=report, note="More detail.", by=by)
    return services.report_revise(report=report, by=by)


def test_the_table_is_the_services_table():
    table = {(ACTIONS_BY_TARGET[target], source) for source, target in services.REPORT_MOVES}
    assert table == ALLOWED


ACTIONS_BY_TARGET = {target: action for action, (_who, target) in ACTIONS.items()}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_move_from_each_state(parties, action, state):
    report = report_in(state, parties)
    who, target = ACTIONS[action]

    if (action, state) in ALLOWED:
        _do(action, report, getattr(parties, who))
        assert ProgressReport.objects.get(pk=report.pk).status == target
    else:
        with pytest.raises(TransitionRefused):
            _do(action, report, getattr(parties, who))
        assert ProgressReport.objects.get(pk=report.pk).status == state


WRONG_SIDES = {"submit": ["partner", "centre"], "acknowledge": ["contractor", "staff", "centre"],
               "accept": ["contractor", "partner", "centre"], "request_changes": ["contractor", "partner", "centre"],
               "revise": ["partner", "centre"]}


@pytest.mark.parametrize(("action", "who"), [(a, w) for a, ws in WRONG_SIDES.items() for w in ws])
def test_a_move_by_the_wrong_side_is_refused(parties, action, who):
    state = next(s for a, s in sorted(ALLOWED) if a == action)
    report = report_in(state, parties)

    with pytest.raises(PermissionDenied):
        _do(action, report, getattr(parties, who))
    assert ProgressReport.objects.get(pk=report.pk).status == state


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("outsider", ["other organisation", "contractor elsewhere", "centre of another region"])
def test_a_non_party_can_make_no_move(parties, action, outsider):
    state = next(s for a, s in sorted(ALLOWED) if a == action)
    report = report_in(state, parties)

    with pytest.raises(PermissionDenied):
        _do(action, report, parties.outsiders[outsider])


def test_staff_may_draft_and_submit_too(parties):
    report = services.report_start(period=periods(parties)[0], by=parties.staff)
    services.report_save(report=report, by=parties.staff, summary="Done", rating_objectives=5,
                         rating_implementation=5, rating_risk=2)

    services.report_submit(report=report, by=parties.staff)

    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_period_has_one_first_version(parties):
    period = periods(parties)[0]
    services.report_start(period=period, by=parties.contractor)

    with pytest.raises(TransitionRefused):
        services.report_start(period=period, by=parties.contractor)


@pytest.mark.parametrize("who", ["partner", "centre"])
def test_only_the_implementing_side_starts_a_report(parties, who):
    with pytest.raises(PermissionDenied):
        services.report_start(period=periods(parties)[0], by=getattr(parties, who))


def test_a_draft_missing_its_summary_or_ratings_is_not_submitted(parties):
    report = services.report_start(period=periods(parties)[0], by=parties.contractor)
    services.report_save(report=report, by=parties.contractor, rating_objectives=5)

    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=report, by=parties.contractor)

    assert refused.value.messages == ["Describe the progress in the period.", "Give all three ratings."]
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_a_change_request_needs_its_note(parties):
    report = report_in(ReportStatus.SUBMITTED, parties)

    with pytest.raises(ValidationError):
        services.report_request_changes(report=report, note="  ", by=parties.staff)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# --- immutable once submitted -------------------------------------------------------------------------------


def _writes(parties, report):
    return {
        "save": lambda: services.report_save(report=report, by=parties.contractor, summary="Rewritten"),
        "milestones": lambda: services.report_save(report=report, by=parties.contractor, milestones=[]),
        "risks": lambda: services.report_save(report=report, by=parties.contractor, risks=[]),
        "attach": lambda: services.report_attachment_add(report=report, upload=pdf_upload("late.pdf"),
                                                         by=parties.contractor),
    }


@pytest.mark.parametrize("state", STATES[1:])
@pytest.mark.parametrize("write", ["save", "milestones", "risks", "attach"])
def test_a_submitted_report_never_changes(parties, state, write):
    report = report_in(state, parties)
    before = (report.summary, list(report.milestone_progress.values_list("percent_complete", flat=True)),
              report.risks.count(), report.attachments.count())

    with pytest.raises(TransitionRefused, match="does not change"):
        _writes(parties, report)[write]()

    after = ProgressReport.objects.get(pk=report.pk)
    assert (after.summary, list(after.milestone_progress.values_list("percent_complete", flat=True)),
            after.risks.count(), after.attachments.count()) == before


def test_an_attachment_is_not_removed_from_a_submitted_report(parties):
    report = ready_draft(parties)
    attachment = services.report_attachment_add(report=report, upload=pdf_upload("survey.pdf"), caption="Survey",
                                                by=parties.contractor)
    services.report_submit(report=report, by=parties.contractor)

    with pytest.raises(TransitionRefused):
        services.report_attachment_remove(attachment=attachment, by=parties.contractor)
    assert report.attachments.count() == 1


def test_attachments_are_checked_like_proposal_uploads(parties):
    report = ready_draft(parties)
    with pytest.raises(ValidationError, match="not a"):
        services.report_attachment_add(report=report, upload=_named("photo.png", b"MZ\x90\x00 not an image"),
                                       by=parties.contractor)

    photo = services.report_attachment_add(report=report, upload=_named("site.png", PNG_BYTES), caption="Site",
                                           by=parties.contractor)
    assert (photo.document.category, photo.document.content_type) == ("photo", "image/png")


def _named(name, content):
    return SimpleUploadedFile(name, content)


# --- versions -----------------------------------------------------------------------------------------------


def test_a_revision_is_a_new_version_filled_from_the_old(parties):
    old = report_in(ReportStatus.CHANGES_REQUESTED, parties)

    new = services.report_revise(report=old, by=parties.contractor)

    old.refresh_from_db()
    assert (old.status, new.status, new.version, new.previous_version_id, new.period_id) == (
        ReportStatus.SUPERSEDED, ReportStatus.DRAFT, 2, old.pk, old.period_id)
    assert (new.summary, new.rating_objectives, new.rating_implementation, new.rating_risk) == (
        old.summary, old.rating_objectives, old.rating_implementation, old.rating_risk)
    assert (list(new.milestone_progress.values_list("milestone_id", "percent_complete", "note"))
            == list(old.milestone_progress.values_list("milestone_id", "percent_complete", "note")))
    assert (list(new.indicator_progress.values_list("period_id", "actual_value", "comment"))
            == list(old.indicator_progress.values_list("period_id", "actual_value", "comment")))
    assert (list(new.risks.values_list("description", "state", "mitigation"))
            == list(old.risks.values_list("description", "state", "mitigation")))

    services.report_save(report=new, by=parties.contractor, summary="With the survey numbers: 1,200 households.")
    services.report_submit(report=new, by=parties.contractor)
    services.report_accept(report=new, by=parties.staff)
    old.refresh_from_db()
    assert old.summary == "Surveys done; two workshops held."  # the old version stays as it was


def test_a_superseded_version_cannot_be_revised_twice(parties):
    old = report_in(ReportStatus.CHANGES_REQUESTED, parties)
    services.report_revise(report=old, by=parties.contractor)

    with pytest.raises(TransitionRefused):
        services.report_revise(report=old, by=parties.contractor)
    assert ProgressReport.objects.filter(period=old.period).count() == 2


# --- ratings, actuals, contributions ------------------------------------------------------------------------


def test_ratings_compare_with_the_last_accepted_report(parties):
    q1, q2 = periods(parties)[:2]
    first = report_in(ReportStatus.ACCEPTED, parties, period=q1, ratings=(4, 3, 5))
    second = report_in(ReportStatus.SUBMITTED, parties, period=q2, ratings=(5, 3, 3))

    rows = ratings_compared(second, previous_accepted(second))

    assert previous_accepted(second) == first
    assert [(r.key, r.previous, r.current, r.change) for r in rows] == [
        ("rating_objectives", 4, 5, "better"), ("rating_implementation", 3, 3, "same"),
        ("rating_risk", 5, 3, "better"),  # lower risk is better
    ]
    assert previous_accepted(first) is None


def test_accepting_a_report_writes_its_actuals_into_the_results(parties):
    report = report_in(ReportStatus.ACKNOWLEDGED, parties, actual=Decimal("7.5"))
    (period,) = services.indicator_periods_for(report.period)
    assert period.actual_value is None

    services.report_accept(report=report, by=parties.staff)

    period = IndicatorPeriod.objects.get(pk=period.pk)
    assert (period.actual_value, period.actual_comment, period.actual_by) == (Decimal("7.50"), "Two sessions",
                                                                                 parties.contractor)


def test_a_request_for_changes_writes_no_actuals(parties):
    report = report_in(ReportStatus.CHANGES_REQUESTED, parties)
    (period,) = services.indicator_periods_for(report.period)
    assert period.actual_value is None


def test_a_consortium_report_needs_each_members_share():
    parties = project_for_reports(consortium=True)
    report = ready_draft(parties)
    lead, partner_firm = services.implementing_participants(parties.project)

    with pytest.raises(ValidationError, match="missing: Daon Mobility"):
        services.report_save(report=report, by=parties.contractor, contributions=[
            {"participant": lead.pk, "narrative": "Surveys", "spent_krw": 40_000_000}])
        services.report_submit(report=report, by=parties.contractor)
    with pytest.raises(PermissionDenied):  # the lead's people write the lead's share only
        services.report_save(report=report, by=parties.contractor, contributions=[
            {"participant": partner_firm.pk, "narrative": "Sensors", "spent_krw": 10}])

    services.report_save(report=report, by=parties.staff, contributions=[
        {"participant": lead.pk, "narrative": "Surveys", "spent_krw": 40_000_000},
        {"participant": partner_firm.pk, "narrative": "Sensors", "spent_krw": 25_000_000}])
    services.report_submit(report=report, by=parties.contractor)
    assert list(report.contributions.values_list("participant__name", "spent_krw")) == [
        ("Hanul Engineering", 40_000_000), ("Daon Mobility", 25_000_000)]


@pytest.mark.parametrize(("field", "rows"), [
    ("milestones", [{"milestone": 0, "percent_complete": 10}]),
    ("milestones", "own:101"),
    ("indicators", [{"period": 0, "actual_value": 1}]),
])
def test_bad_progress_rows_are_refused_with_a_reason(parties, field, rows):
    report = ready_draft(parties)
    if rows == "own:101":
        rows = [{"milestone": parties.project.milestones.first().pk, "percent_complete": 101}]

    with pytest.raises(ValidationError) as refused:
        services.report_save(report=report, by=parties.contractor, **{field: rows})
    assert field in refused.value.message_dict


# --- who is told ------------------------------------------------------------------------------------------------


def _told(event):
    return set(Notice.objects.filter(event=event).values_list("user__email", flat=True))


def test_each_step_tells_the_other_parties(parties):
    report = report_in(ReportStatus.SUBMITTED, parties)
    assert _told("report_submitted") == {parties.partner.email, parties.staff.email}

    services.report_acknowledge(report=report, comment="Fine.", by=parties.partner)
    assert _told("report_acknowledged") == {parties.contractor.email, parties.staff.email}

    services.report_request_changes(report=report, note="Add numbers.", by=parties.staff)
    assert _told("report_changes_requested") == {parties.contractor.email, parties.partner.email}

    new = services.report_revise(report=report, by=parties.contractor)
    assert _told("report_revision_started") == {parties.staff.email}

    services.report_submit(report=new, by=parties.contractor)
    services.report_accept(report=new, by=parties.staff)
    assert _told("report_accepted") == {parties.contractor.email, parties.partner.email}
    assert parties.centre.email not in {*_told("report_submitted"), *_told("report_accepted")}

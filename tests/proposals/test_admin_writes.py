"""The programme set-up pages and the proposal page write through proposals.services: one audit row each (with
the changed values), and a refusal shown on the page instead of a server error (core.admin)."""

import datetime
import json
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals import services
from proposals.models import CooperationCentre, Cycle, HelpPage, Holiday, Programme, ServiceLevel, Track
from tests.admin_writes import (
    audited,
    hidden_inputs,
    messages_of,
    refusing,
    show_messages,
    signed_in,
    staff_superuser,
)
from tests.factories import CooperationCentreFactory, ProgrammeFactory, StaffFactory, TrackFactory, submitted_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return staff_superuser()


@pytest.fixture
def desk(root):
    return signed_in(root)


@dataclass
class Case:
    """One set-up page: the row it starts from, what the add form posts, one change and what the audit row says."""

    model: type
    thing: str  # the services' and the audit actions' prefix
    arg: str  # the services' keyword for the row
    existing: callable
    add: callable  # -> form data of a new row
    change: callable  # row -> (form data, {field: stored value})
    created: dict = field(default_factory=dict)  # some of the create row's values


def _programme_form(**values):
    return {"name_en": "Regulatory sandbox", "slug": "sandbox", "reference_prefix": "RSB", "description_en": "",
            "cutoff_month": "4", "cutoff_day": "30", "is_active": "on", **values}


def _track_form(programme, **values):
    data = {"programme": programme.pk, "name_en": "Clean water", "slug": "water", "description_en": "",
            "eligible_organisation_kinds": '["city"]', "support_cap_krw": "500000000",
            "required_attachment_kinds": "[]", "pre_consulting_required": "on", "default_reviewer_count": "3",
            "is_active": "on", "order": "0", "applicant_country_rule": "any", "eligible_countries": "[]",
            "site_country_rule": "any", "consortium_description_en": "", **values}
    return {name: value for name, value in data.items() if value is not None}  # None: a box left unticked


def _centre_form(**values):
    return {"name_en": "KOTRA Hanoi", "city": "Hanoi", "country": "VN", "covered_countries": '["VN", "LA"]',
            "email": "", "phone": "", **values}


def _cycle(programme=None):
    return Cycle.objects.create(programme=programme or ProgrammeFactory(), year=2030,
                                cutoff=datetime.date(2030, 4, 30))


CASES = {
    "programme": Case(
        Programme, "programme", "programme", existing=ProgrammeFactory,
        add=lambda: _programme_form(),
        change=lambda row: (_programme_form(name_en="K-City Network 2", slug=row.slug,
                                            reference_prefix=row.reference_prefix), {"name_en": "K-City Network 2"}),
        created={"reference_prefix": "RSB", "cutoff_month": 4},
    ),
    "track": Case(
        Track, "track", "track", existing=TrackFactory,
        add=lambda: _track_form(ProgrammeFactory()),
        change=lambda row: (_track_form(row.programme, name_en=row.name, slug=row.slug, support_cap_krw="900000000",
                                        eligible_organisation_kinds=json.dumps(row.eligible_organisation_kinds),
                                        required_attachment_kinds=json.dumps(row.required_attachment_kinds),
                                        pre_consulting_required=None), {"support_cap_krw": 900_000_000}),
        created={"eligible_organisation_kinds": ["city"], "support_cap_krw": 500_000_000},
    ),
    "cycle": Case(
        Cycle, "cycle", "cycle", existing=_cycle,
        add=lambda: {"programme": ProgrammeFactory().pk, "year": "2031", "cutoff": "2031-04-30"},
        change=lambda row: ({"programme": row.programme_id, "year": "2030", "cutoff": "2030-05-15",
                             "decision_date": "2030-07-10"}, {"cutoff": "2030-05-15", "decision_date": "2030-07-10"}),
        created={"year": 2031, "cutoff": "2031-04-30"},
    ),
    "cooperationcentre": Case(
        CooperationCentre, "cooperation_centre", "centre", existing=CooperationCentreFactory,
        add=lambda: _centre_form(staff=[StaffFactory(email="hanoi@example.org").pk]),
        change=lambda row: (_centre_form(name_en=row.name, city=row.city, country="ID", covered_countries='["ID"]',
                                         email="jakarta@example.org"), {"email": "jakarta@example.org"}),
        created={"covered_countries": ["VN", "LA"], "country": "VN"},
    ),
    "servicelevel": Case(
        ServiceLevel, "service_level", "level",
        existing=lambda: ServiceLevel.objects.create(status="submitted", days=10, next_step="Screening"),
        add=lambda: {"status": "screening", "days": "20", "working_days": "on", "next_step_en": "A first reading"},
        change=lambda row: ({"status": row.status, "days": "12", "working_days": "on", "next_step_en": row.next_step},
                            {"days": 12}),
        created={"status": "screening", "days": 20, "working_days": True},
    ),
    "holiday": Case(
        Holiday, "holiday", "holiday",
        existing=lambda: Holiday.objects.create(date=datetime.date(2030, 10, 9), name="Hangul Day"),
        add=lambda: {"date": "2030-12-31", "name": "Office closure"},
        change=lambda row: ({"date": "2030-10-09", "name": "Hangeul Day"}, {"name": "Hangeul Day"}),
        created={"date": "2030-12-31", "name": "Office closure"},
    ),
    "helppage": Case(
        HelpPage, "help_page", "page",
        existing=lambda: HelpPage.objects.get_or_create(topic="faq", language="en",
                                                        defaults={"title": "FAQ", "body": "Ask."})[0],
        add=lambda: {"topic": "terms", "language": "ko", "title": "이용 약관", "body": "약관."},
        change=lambda row: ({"topic": row.topic, "language": row.language, "title": "Questions", "body": row.body},
                            {"title": "Questions"}),
        created={"topic": "terms", "language": "ko", "title": "이용 약관"},
    ),
}


def _url(case: Case, view: str, *args) -> str:
    return reverse(f"admin:proposals_{case.model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("name", list(CASES))
def test_setup_add_change_and_delete_go_through_the_services_with_audit_rows(desk, root, name):
    case = CASES[name]
    existing = case.existing()
    before = set(case.model.objects.values_list("pk", flat=True))

    added = desk.post(_url(case, "add"), case.add())
    form, changed = case.change(existing)
    # With the hidden initial values the page carries (JSON fields): the browser posts them, and they are what
    # tells Django a field is unchanged.
    changed_page = desk.post(_url(case, "change", existing.pk),
                             {**hidden_inputs(desk, _url(case, "change", existing.pk)), **form})
    deleted = desk.post(_url(case, "delete", existing.pk), {"post": "yes"})

    assert (added.status_code, changed_page.status_code, deleted.status_code) == (302, 302, 302), messages_of(added)
    (new_pk,) = set(case.model.objects.values_list("pk", flat=True)) - before
    ((actor, target, data),) = audited(f"{case.thing}.create")
    assert (actor, target) == ("root@example.org", str(new_pk))
    assert case.created.items() <= data["changed"].items()
    assert audited(f"{case.thing}.update") == [("root@example.org", str(existing.pk), {"changed": changed})]
    ((actor, target, data),) = audited(f"{case.thing}.delete")
    assert (actor, target) == ("root@example.org", str(existing.pk))
    assert changed.items() <= data["was"].items()  # what the row held when it went
    assert not case.model.objects.filter(pk=existing.pk).exists()


@pytest.mark.parametrize("name", list(CASES))
def test_setup_refused_write_shows_the_reason_on_the_page(desk, monkeypatch, name):
    case = CASES[name]
    existing = case.existing()
    count = case.model.objects.count()
    monkeypatch.setattr(services, f"{case.thing}_save", refusing("The cut-off moved meanwhile."))
    monkeypatch.setattr(services, f"{case.thing}_delete", refusing("Still in use."))

    added = desk.post(_url(case, "add"), case.add())
    show_messages(desk)
    deleted = desk.post(_url(case, "delete", existing.pk), {"post": "yes"})

    assert (added.status_code, added["Location"]) == (302, _url(case, "add"))
    assert messages_of(added) == ["The cut-off moved meanwhile."]
    assert (deleted.status_code, deleted["Location"]) == (302, _url(case, "delete", existing.pk))
    assert messages_of(deleted) == ["Still in use."]
    assert case.model.objects.count() == count  # nothing added, nothing deleted
    assert not audited(f"{case.thing}.create") and not audited(f"{case.thing}.delete")


def test_centre_staff_are_set_by_the_service_and_audited(desk):
    centre = CooperationCentreFactory()
    officer = StaffFactory(email="officer.jakarta@example.org")

    url = _url(CASES["cooperationcentre"], "change", centre.pk)

    response = desk.post(url, {**hidden_inputs(desk, url), **_centre_form(
        name_en=centre.name, city=centre.city, country="ID", covered_countries='["ID"]', staff=[officer.pk])})

    assert response.status_code == 302
    assert list(centre.staff.all()) == [officer]
    assert audited("cooperation_centre.update")[0][2] == {"changed": {"staff": [officer.pk]}}


def test_service_levels_edited_in_the_list_go_through_the_service_all_or_nothing(desk, monkeypatch):
    first = ServiceLevel.objects.create(status="submitted", days=10, next_step="Screening")
    second = ServiceLevel.objects.create(status="screening", days=20, next_step="A first reading")
    url = reverse("admin:proposals_servicelevel_changelist")
    rows = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-0-id": first.pk, "form-0-days": "5",
            "form-0-working_days": "on", "form-1-id": second.pk, "form-1-days": "25", "_save": "Save"}

    saved = desk.post(url, rows)
    show_messages(desk)
    real, calls = services.service_level_save, []

    def refuse_the_second(**kwargs):
        calls.append(kwargs["level"].pk)
        if kwargs["level"].pk == second.pk:
            raise ValidationError("Not now.")
        return real(**kwargs)

    monkeypatch.setattr(services, "service_level_save", refuse_the_second)
    refused = desk.post(url, {**rows, "form-0-days": "7", "form-1-days": "27"})

    assert saved.status_code == 302
    assert [e[2] for e in audited("service_level.update")] == [
        {"changed": {"days": 5}}, {"changed": {"days": 25, "working_days": False}}]
    assert (refused.status_code, messages_of(refused)) == (302, ["Not now."])
    assert sorted(calls) == sorted([first.pk, second.pk])
    first.refresh_from_db()
    assert first.days == 5  # the first row's change went back with the refusal of the second
    assert len(audited("service_level.update")) == 2


def test_holidays_deleted_in_bulk_one_by_one_through_the_service_or_not_at_all(desk, monkeypatch):
    days = [Holiday.objects.create(date=datetime.date(2030, 1, d), name=f"Day {d}") for d in (1, 2, 3)]
    url = reverse("admin:proposals_holiday_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [d.pk for d in days[:2]], "post": "yes"}

    real = services.holiday_delete

    def refuse_day_2(**kwargs):  # after Day 1 went: the refusal takes it back too
        if kwargs["holiday"].name == "Day 2":
            raise ValidationError("Day 2 stays.")
        real(**kwargs)

    monkeypatch.setattr(services, "holiday_delete", refuse_day_2)
    refused = desk.post(url, chosen)
    show_messages(desk)
    monkeypatch.setattr(services, "holiday_delete", real)
    deleted = desk.post(url, chosen)

    assert (refused.status_code, messages_of(refused)) == (302, ["Day 2 stays."])
    assert deleted.status_code == 302
    assert list(Holiday.objects.values_list("name", flat=True)) == ["Day 3"]
    assert sorted(e[1] for e in audited("holiday.delete")) == sorted(str(d.pk) for d in days[:2])


def test_programme_in_use_is_not_deleted_by_the_service():
    track = TrackFactory()
    staff = StaffFactory()

    with pytest.raises(ValidationError, match="still used by 1 other records"):
        services.programme_delete(programme=track.programme, by=staff)

    assert Programme.objects.filter(pk=track.programme_id).exists()
    assert not audited("programme.delete")


def test_proposal_page_refusal_is_a_message_and_undoes_the_assignment(desk, root, monkeypatch):
    proposal = submitted_proposal()
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    form = {**hidden_inputs(desk, url), "assigned_to": root.pk, "cooperation_centre": "", "reply": "Thank you.",
            "internal_note": ""}
    monkeypatch.setattr(services, "message_post", refusing("The thread is closed."))

    response = desk.post(url, form)

    assert (response.status_code, response["Location"]) == (302, url)
    assert messages_of(response) == ["The thread is closed."]
    proposal.refresh_from_db()
    assert proposal.assigned_to is None
    assert not audited("proposal.assign")

"""Content staff translate in the back office (django-modeltranslation, core.translated): each language's text,
English where a language has none yet, that English marked with lang="en", ordering by what the reader sees, and
the admin's language tabs writing through the audited services."""

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from committee.models import Criterion
from proposals.forms import BasicsForm
from proposals.models import CooperationCentre, HelpPage, Programme, ServiceLevel, Track
from proposals.views.common import next_steps
from tests.admin_writes import audited, signed_in, staff_superuser
from tests.factories import CooperationCentreFactory, ProgrammeFactory, ProposalFactory, TrackFactory
from tests.factories.committee import rubric
from tests.sql import sent

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load translated %}" + source).render(Context(context))


def test_translated_name_is_shown_in_the_readers_language_else_english():
    track = TrackFactory(name="Smart water")
    with translation.override("ko"):
        fallback = track.name
        track.name_ko = "스마트 물 관리"
        translated = track.name

    assert (fallback, translated, track.name_en) == ("Smart water", "스마트 물 관리", "Smart water")


def test_translated_tag_marks_english_shown_on_a_korean_page_only():
    track = TrackFactory(name="Smart <water>")
    with translation.override("ko"):
        fallback = _render('{% translated track "name" %}', track=track)
        attribute = _render('<h3{{ track|lang_attr:"name" }}>', track=track)
    with translation.override("en"):
        english = _render('{% translated track "name" %}', track=track)
        no_attribute = _render('<h3{{ track|lang_attr:"name" }}>', track=track)
    track.name_ko = "스마트 물"
    with translation.override("ko"):
        korean = _render('{% translated track "name" %}', track=track)

    assert fallback == '<span lang="en">Smart &lt;water&gt;</span>'
    assert attribute == '<h3 lang="en">'
    assert (english, no_attribute) == ("Smart &lt;water&gt;", "<h3>")
    assert korean == "스마트 물"


def test_indonesian_reads_its_own_column():
    centre = CooperationCentreFactory(name="KOTRA Jakarta")
    centre.name_ind = "Pusat KOTRA Jakarta"
    centre.save()
    with translation.override("id"):
        shown = CooperationCentre.objects.get(pk=centre.pk).name

    assert shown == "Pusat KOTRA Jakarta"


def test_ordering_by_name_follows_what_the_reader_sees():
    zeta = Programme.objects.create(name="Zeta programme", slug="zeta", reference_prefix="ZZ")
    Programme.objects.create(name="Alpha programme", slug="alpha", reference_prefix="AA")
    Programme.objects.create(name="Beta programme", slug="beta", reference_prefix="BB")
    zeta.name_ko = "가 프로그램"  # sorts after every Latin name in Korean
    zeta.save()

    with translation.override("ko"):
        korean = [p.name for p in Programme.objects.all()]
        explicit = [p.name for p in Programme.objects.order_by("-slug")]
    english = [p.name for p in Programme.objects.all()]

    # Untranslated rows keep their place among the others (by their English name), not sunk to the end.
    assert korean == ["Alpha programme", "Beta programme", "가 프로그램"]
    assert explicit == ["가 프로그램", "Beta programme", "Alpha programme"]
    assert english == ["Alpha programme", "Beta programme", "Zeta programme"]


def test_tracks_order_by_their_programme_as_read():
    first = ProgrammeFactory(name="B programme", slug="b", reference_prefix="BP")
    second = ProgrammeFactory(name="C programme", slug="c", reference_prefix="CP")
    late = TrackFactory(programme=first, name="Late")
    early = TrackFactory(programme=second, name="Early")
    second.name_fr = "A programme"
    second.save()

    with translation.override("fr"):
        order = list(Track.objects.filter(pk__in=[late.pk, early.pk]))

    assert order == [early, late]


def test_home_page_marks_untranslated_tracks_and_centres_with_lang(client):
    track = TrackFactory(name="Smart mobility planning", description="Plans for buses.")
    other = TrackFactory(programme=track.programme, name="Water")
    other.name_ko, other.description_ko = "물 관리", "물 계획."
    other.save()
    CooperationCentreFactory(name="KOTRA Hanoi")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert re.search(r'<h3 class="h5 card-title" lang="en">Smart mobility planning</h3>', page)
    assert '<p class="card-text" lang="en">Plans for buses.</p>' in page
    assert '<h3 class="h5 card-title">물 관리</h3>' in page
    assert '<h3 class="h6 card-title mb-1" lang="en">KOTRA Hanoi</h3>' in page


def test_english_home_page_has_no_lang_marks_on_content(client):
    TrackFactory(name="Smart mobility planning")

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<h3 class="h5 card-title">Smart mobility planning</h3>' in page


def test_next_step_falls_back_to_english_marked():
    ServiceLevel.objects.update_or_create(status="submitted", defaults={"days": 5, "next_step": "Screening <soon>"})
    ServiceLevel.objects.update_or_create(status="screening", defaults={"days": 5, "next_step": "Review"})
    ServiceLevel.objects.filter(status="screening").update(next_step_es="Revisión")

    with translation.override("es"):
        steps = next_steps()

    assert steps["submitted"] == '<span lang="en">Screening &lt;soon&gt;</span>'
    assert steps["screening"] == "Revisión"



@pytest.mark.parametrize(("language", "shown"), [
    ("es", "Revisión"), ("ko", '<span lang="en">Review &lt;soon&gt;</span>'), ("en", "Review &lt;soon&gt;"),
])
def test_proposal_page_next_step_read_with_the_proposal_is_what_next_steps_gives(client, language, shown):
    ServiceLevel.objects.update_or_create(status="screening", defaults={"days": 5, "next_step": "Review <soon>"})
    ServiceLevel.objects.filter(status="screening").update(next_step_es="Revisión")
    proposal = ProposalFactory(status="screening")
    client.force_login(proposal.owner)

    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as queries:
        response = client.get(proposal.get_absolute_url())

    with translation.override(language):
        assert response.context["next_step"] == next_steps()["screening"]
    assert re.search(r'<p class="mb-1">' + re.escape(shown) + "</p>", response.content.decode())
    # Read with the proposal (selectors.proposal_page), not by a query of its own.
    assert not [sql for sql in sent(queries) if sql.startswith('SELECT "proposals_servicelevel"')]

def test_help_page_criteria_marked_where_english_is_shown(client):
    HelpPage.objects.get_or_create(topic="evaluation", language="en", defaults={"title": "Evaluation", "body": "."})
    scoring = rubric(TrackFactory().programme)
    criterion = Criterion.objects.filter(rubric=scoring).order_by("order").first()
    Criterion.objects.filter(pk=criterion.pk).update(name_ar="الأثر")

    page = client.get(reverse("help:page", args=["evaluation"]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert "<dt>الأثر" in page
    others = Criterion.objects.filter(rubric=scoring).exclude(pk=criterion.pk)
    for other in others:
        assert f'<dt><span lang="en">{other.name}</span>' in page


def test_admin_shows_a_tab_per_language_and_audits_a_translation(client):
    root = staff_superuser()
    desk = signed_in(root)
    centre = CooperationCentreFactory(name="KOTRA Jakarta")
    url = reverse("admin:proposals_cooperationcentre_change", args=[centre.pk])

    page = desk.get(url).content.decode()
    saved = desk.post(
        url,
        {
            "name_en": "KOTRA Jakarta",
            "name_ko": "KOTRA 자카르타",
            "name_es": "",
            "name_fr": "",
            "name_ar": "",
            "name_ind": "",
            "city": "Jakarta",
            "country": "ID",
            "covered_countries": '["ID"]',
            "email": "",
            "phone": "",
        },
    )

    assert all(f'name="name_{code}"' in page for code in ("en", "ko", "es", "fr", "ar", "ind"))
    assert "vendor/jquery-ui/jquery-ui.min.js" in page and "tabbed_translation_fields.js" in page
    assert saved.status_code == 302
    centre.refresh_from_db()
    assert (centre.name_ko, centre.name_en) == ("KOTRA 자카르타", "KOTRA Jakarta")
    assert audited("cooperation_centre.update")[-1][2]["changed"]["name_ko"] == "KOTRA 자카르타"


def test_admin_refuses_a_programme_without_its_english_name():
    desk = signed_in(staff_superuser())

    response = desk.post(
        reverse("admin:proposals_programme_add"),
        {
            "name_en": "",
            "name_ko": "규제 샌드박스",
            "slug": "sandbox",
            "reference_prefix": "RSB",
            "cutoff_month": "4",
            "cutoff_day": "30",
        },
    )

    assert response.status_code == 200  # the form again, with the reason
    assert not Programme.objects.filter(slug="sandbox").exists()
    assert "This field is required." in response.content.decode()


def test_proposal_track_choice_marks_untranslated_track_names():
    proposal = ProposalFactory()
    translated = TrackFactory(programme=proposal.track.programme, name="Water")
    translated.name_ko = "물 관리"
    translated.save()

    with translation.override("ko"):
        html = str(BasicsForm(proposal=proposal)["track"])

    assert f'<option value="{proposal.track.pk}" selected lang="en">{proposal.track.name}</option>' in html
    assert f'<option value="{translated.pk}">물 관리</option>' in html


def test_help_index_marks_titles_shown_in_english(client):
    HelpPage.objects.update_or_create(topic="faq", language="en", defaults={"title": "Questions", "body": "Ask."})
    HelpPage.objects.update_or_create(topic="terms", language="en", defaults={"title": "Terms", "body": "Terms."})
    HelpPage.objects.update_or_create(topic="terms", language="id", defaults={"title": "Ketentuan", "body": "K."})

    page = client.get(reverse("help:index"), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert 'lang="en">Questions</a>' in page
    assert '">Ketentuan</a>' in page and 'lang="en">Ketentuan' not in page


@pytest.mark.parametrize(
    ("app", "migration", "model", "values"),
    [
        ("proposals", "0012_content_translations", "Track", {"name": "Old track", "description": "Old text"}),
        ("committee", "0008_content_translations", "Criterion", {"name": "Impact", "description": "How much"}),
        ("consulting", "0007_content_translations", "SessionType", {"title": "First talk", "description": "An hour"}),
    ],
)
def test_migration_copies_the_texts_written_so_far_to_english(app, migration, model, values):
    state = MigrationLoader(connection).project_state((app, migration)).apps
    module = importlib.import_module(f"{app}.migrations.{migration}")
    rows = {
        "Track": lambda: {"programme_id": ProgrammeFactory().pk, "slug": "old", "support_cap_krw": 1},
        "Criterion": lambda: {"rubric_id": rubric(ProgrammeFactory(slug="rb", reference_prefix="RB")).pk, "weight": 1},
        "SessionType": dict,
    }[model]()
    historical = state.get_model(app, model)
    row = historical.objects.create(**rows, **values, **{f"{name}_en": None for name in values})

    module.copy_to_english(state, None)

    row.refresh_from_db()
    assert {name: getattr(row, f"{name}_en") for name in values} == values
    assert all(getattr(row, f"{name}_ko") is None for name in values)

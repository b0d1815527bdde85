import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationKind
from cooperation.models import Project
from proposals.models import Cycle, Programme
from proposals.services import SEOUL, cycle_year_for
from proposals.workflow import Status
from tests.factories import (
    CooperationCentreFactory,
    ProgrammeFactory,
    ProposalFactory,
    StaffFactory,
    TrackFactory,
    applicant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    kcn = ProgrammeFactory()
    TrackFactory(
        programme=kcn, name="Smart Urban planning", slug="urban", order=1, support_cap_krw=700_000_000,
        description="A city-wide plan combining several solutions.",
        eligible_organisation_kinds=[OrganisationKind.NATIONAL, OrganisationKind.CITY],
    )
    TrackFactory(
        programme=kcn, name="Overseas demonstration", slug="demo", order=3, support_cap_krw=1_500_000_000,
        description="A Korean company demonstrates its solution on site.",
        eligible_organisation_kinds=[OrganisationKind.KOREAN_COMPANY],
    )
    return kcn


def test_home_shows_tracks_with_cap_and_eligible_kinds(client, programme):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Smart Urban planning" in html
    assert "A city-wide plan combining several solutions." in html
    assert "KRW 700 million" in html
    assert "KRW 1.5 billion" in html
    assert "National government, City or local government" in html
    assert "Korean company" in html


def test_home_shows_the_cycle_the_next_proposal_joins(client, programme):
    today = timezone.now().astimezone(SEOUL).date()
    year = cycle_year_for(programme=programme, day=today)
    Cycle.objects.create(programme=programme, year=year, cutoff=datetime.date(year, 5, 15))

    response = client.get(reverse("home"))

    assert (
        f"A proposal received by 15 May {year} is reviewed in the {year} cycle; later ones join the {year + 1} cycle."
        in " ".join(response.content.decode().split())
    )


def test_home_uses_the_default_cutoff_without_a_cycle_row(client, programme):
    today = timezone.now().astimezone(SEOUL).date()
    year = today.year if today <= datetime.date(today.year, 4, 30) else today.year + 1

    response = client.get(reverse("home"))

    assert f"A proposal received by 30 April {year} is reviewed in the {year} cycle" in response.content.decode()


def test_home_lists_cooperation_centres_with_contacts(client, programme):
    CooperationCentreFactory(name="KOTRA Nairobi", city="Nairobi", country="KE", email="nairobi@kotra.example",
                             phone="+254 20 123 4567")

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert "KOTRA Nairobi" in html
    assert "Nairobi, Kenya" in html
    assert 'href="mailto:nairobi@kotra.example"' in html
    assert "+254 20 123 4567" in html


def test_home_lists_a_second_programme_after_kcity(client, programme):
    sandbox = Programme.objects.create(name="Regulatory sandbox", slug="sandbox", reference_prefix="RSB")
    TrackFactory(programme=sandbox, name="Sandbox demonstration", slug="sandbox-demo", support_cap_krw=500_000_000)

    html = client.get(reverse("home")).content.decode()

    assert "Also on this portal: Regulatory sandbox" in html
    assert html.index("Smart Urban planning") < html.index("Sandbox demonstration")
    assert "KRW 500 million" in html


def test_home_start_link_for_visitor_leads_to_sign_up(client, programme):
    response = client.get(reverse("home"))

    assert f'id="start-proposal" href="{reverse("account_signup")}"' in response.content.decode()


def test_home_start_link_for_applicant_without_organisation_leads_to_organisation_form(client, programme):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert f'id="start-proposal" href="{reverse("accounts:organisation-create")}"' in response.content.decode()


def test_home_query_count_does_not_grow_with_tracks(client, programme, django_assert_max_num_queries):
    for n in range(10):
        TrackFactory(programme=programme, slug=f"extra-{n}")
        CooperationCentreFactory(name=f"Centre {n}")

    with django_assert_max_num_queries(8):
        client.get(reverse("home"))


def test_home_keeps_its_middle_rendered_per_language(client, programme, django_assert_num_queries):
    client.get(reverse("home"))

    with django_assert_num_queries(0):  # a visitor: no session, no user, the tracks and centres as kept
        html = client.get(reverse("home")).content.decode()
    korean = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "Smart Urban planning" in html
    assert "The tracks" in html
    assert "The tracks" not in korean
    assert 'lang="ko"' in korean


def test_home_shows_a_change_to_what_it_keeps_at_once(client, programme):
    client.get(reverse("home"))
    track = programme.tracks.get(slug="urban")
    track.name = "Smart city master plan"
    track.save()
    centre = CooperationCentreFactory(name="KOTRA Hanoi")

    html = client.get(reverse("home")).content.decode()

    assert "Smart city master plan" in html
    assert "Smart Urban planning" not in html
    assert "KOTRA Hanoi" in html

    centre.delete()
    Cycle.objects.create(programme=programme, year=2099, cutoff=datetime.date(2099, 5, 15))
    today = timezone.now().astimezone(SEOUL).date()
    year = cycle_year_for(programme=programme, day=today)
    Cycle.objects.update_or_create(programme=programme, year=year, defaults={"cutoff": datetime.date(year, 5, 15)})

    html = " ".join(client.get(reverse("home")).content.decode().split())

    assert "KOTRA Hanoi" not in html
    assert f"A proposal received by 15 May {year} is reviewed in the {year} cycle" in html


def test_home_renders_its_middle_again_on_a_new_korean_day(client, programme):
    from django.core.cache import cache

    from kcity.site_views import _catalogue_key

    client.get(reverse("home"))
    yesterday = timezone.now().astimezone(SEOUL).date() - datetime.timedelta(days=1)
    cache.set(_catalogue_key("en"), (yesterday, "<p>kept yesterday</p>"), 60)

    html = client.get(reverse("home")).content.decode()

    assert "kept yesterday" not in html
    assert "Smart Urban planning" in html


def test_stats_shows_official_figures(client):
    response = client.get(reverse("stats"))

    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "supported 41 projects in 23 countries, with KRW 16.3 billion in total" in html
    for year, projects, support in [(2020, 12, "4.8"), (2021, 11, "4"), (2022, 10, "4.1"), (2023, 8, "3.5")]:
        assert (f'<th scope="row">{year}</th> <td class="text-end">{projects}</td> '
                f'<td class="text-end text-nowrap">KRW {support} billion</td>') in html
    assert html.count('<rect class="bar-official"') == 4
    assert 'height="230.0"' in html  # 2020, the highest year, fills the plot
    assert "requested-note" not in html


def test_stats_counts_approved_proposals_by_cycle_after_2023(client):
    programme = ProgrammeFactory()
    track = TrackFactory(programme=programme)
    cycle = Cycle.objects.create(programme=programme, year=2025, cutoff=datetime.date(2025, 4, 30))
    released = timezone.now()  # only decisions whose letter went out are counted (issue 8)
    decided = ProposalFactory(track=track, status=Status.APPROVED, cycle=cycle, requested_support_krw=600_000_000,
                              decision_released_at=released)
    Project.objects.create(proposal=decided, partner_organisation=decided.organisation,
                           support_amount_krw=450_000_000, opened_by=StaffFactory())
    ProposalFactory(track=track, status=Status.APPROVED, cycle=cycle, requested_support_krw=300_000_000,
                    owner=applicant(), decision_released_at=released)
    ProposalFactory(track=track, status=Status.REJECTED, cycle=cycle, requested_support_krw=700_000_000)

    response = client.get(reverse("stats"))

    html = " ".join(response.content.decode().split())
    assert ('<th scope="row">2025</th> <td class="text-end">2</td> '
            '<td class="text-end text-nowrap">KRW 750 million<sup>*</sup>') in html
    assert 'id="requested-note"' in html
    assert html.count('<rect class="bar-portal"') == 1


def test_stats_portal_year_without_fallback_has_no_note(client):
    programme = ProgrammeFactory()
    track = TrackFactory(programme=programme)
    cycle = Cycle.objects.create(programme=programme, year=2026, cutoff=datetime.date(2026, 4, 30))
    decided = ProposalFactory(track=track, status=Status.APPROVED, cycle=cycle, requested_support_krw=600_000_000,
                              decision_released_at=timezone.now())
    Project.objects.create(proposal=decided, partner_organisation=decided.organisation, support_amount_krw=450_000_000)

    html = " ".join(client.get(reverse("stats")).content.decode().split())

    assert ('<th scope="row">2026</th> <td class="text-end">1</td> '
            '<td class="text-end text-nowrap">KRW 450 million</td>') in html
    assert "requested-note" not in html


def test_language_switch_to_korean_sets_lang_and_content_language(client, programme):
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert '<html lang="ko" dir="ltr">' in response.content.decode()
    assert response["Content-Language"] == "ko"
    today = timezone.now().astimezone(SEOUL).date()
    year = today.year if today <= datetime.date(today.year, 4, 30) else today.year + 1
    assert f"{year}년 4월 30일" in response.content.decode()  # the cut-off date written the Korean way


def test_home_in_english_by_default(client, programme):
    response = client.get(reverse("home"))

    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_krw_words_counts_in_eok_for_korean_readers():
    from django.utils import translation

    from proposals.track_record import krw_words

    with translation.override("ko"):
        korean = [krw_words(x) for x in (16_300_000_000, 700_000_000, 35_000)]
    with translation.override("en"):
        english = [krw_words(x) for x in (16_300_000_000, 700_000_000, 35_000)]

    assert korean == ["163억 원", "7억 원", "3.5만 원"]
    assert english == ["KRW 16.3 billion", "KRW 700 million", "KRW 35,000"]

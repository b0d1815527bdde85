"""Admin search that ignores accents, case and the language of a country's name (issue 12). Runs on whichever
database the suite uses: PostgreSQL in CI, SQLite with DATABASE_URL unset (both are run for this file)."""

import pytest
from django.urls import reverse

from core.search import country_codes_named, fold
from proposals import triage
from proposals.models import Proposal
from tests.factories import OrganisationFactory, StaffFactory, applicant, service_levels, submitted_proposal

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:proposals_proposal_changelist")
ORGANISATIONS = reverse("admin:accounts_organisation_changelist")


@pytest.fixture
def proposals():
    service_levels()
    bogota = applicant(organisation=OrganisationFactory(name="Alcaldía Mayor de Bogotá", country="CO",
                                                        region_city="Bogotá D.C."))
    nairobi = applicant(organisation=OrganisationFactory(name="Nairobi City County", country="KE",
                                                         region_city="Nairobi"))
    return {
        "bogota": submitted_proposal(owner=bogota, title="Movilidad inteligente para Bogotá", country="CO"),
        "nairobi": submitted_proposal(owner=nairobi, title="Smart water for Nairobi", country="KE"),
    }


def found(term) -> set[str]:
    return set(Proposal.objects.filter(triage.search_q(term)).values_list("title", flat=True))


def test_fold_drops_accents_and_case_and_keeps_hangul():
    assert fold("  Bogotá  D.C. ") == "bogota d.c."
    assert fold("ÅNGSTRÖM") == "angstrom"
    assert fold("콜롬비아") == "콜롬비아"


def test_country_names_match_in_english_and_korean():
    assert country_codes_named("콜롬비아") == ["CO"]
    assert country_codes_named("colombia") == ["CO"]
    assert "KR" in country_codes_named("대한민국") or "KR" in country_codes_named("한국")


@pytest.mark.parametrize("term", ["Bogota", "bogotá", "BOGOTA", "movilidad", "alcaldia", "콜롬비아", "Colombia"])
def test_search_finds_the_bogota_proposal_however_it_is_typed(proposals, term):
    assert found(term) == {"Movilidad inteligente para Bogotá"}


def test_search_by_reference_and_no_false_matches(proposals):
    assert found(proposals["nairobi"].reference) == {"Smart water for Nairobi"}
    assert found("케냐") == {"Smart water for Nairobi"}
    assert found("Lima") == set()


def test_renamed_proposal_and_organisation_are_found_by_their_new_names(proposals):
    organisation = proposals["nairobi"].organisation
    organisation.name = "Condado de Nairóbi"
    organisation.save()
    proposal = proposals["nairobi"]
    proposal.title = "Agua inteligente"
    proposal.save(update_fields=["title"])

    assert found("nairobi condado") == set()
    assert found("condado de nairobi") == {"Agua inteligente"}
    assert found("agua") == {"Agua inteligente"}


def test_admin_proposal_search_is_accent_and_language_insensitive(client, proposals):
    client.force_login(StaffFactory())

    for term in ("Bogota", "콜롬비아"):
        html = client.get(CHANGELIST, {"q": term}).content.decode()
        assert "Movilidad inteligente para Bogotá" in html
        assert "Smart water for Nairobi" not in html


def test_admin_organisation_search_is_accent_and_language_insensitive(client, proposals):
    client.force_login(StaffFactory(is_superuser=True))

    for term in ("bogota", "콜롬비아", "Alcaldia"):
        response = client.get(ORGANISATIONS, {"q": term})
        assert response.status_code == 200
        assert [o.name for o in response.context["cl"].result_list] == ["Alcaldía Mayor de Bogotá"]

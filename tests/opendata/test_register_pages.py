"""The public register's pages: /projects/ (filters, pages), /projects/<id>/ (what a public page shows and never
shows) and its document downloads, /open-data/; anyone reads them, no account needed."""

import pytest
from django.urls import reverse

from cooperation.models import ActivityStatus, ProjectMessage
from tests.factories import StaffFactory
from tests.factories.cooperation import ParticipantFactory, contractor_user
from tests.opendata.register_helpers import (
    document,
    draft_report_document,
    milestones,
    released_project,
    unreleased_project,
)

pytestmark = pytest.mark.django_db


def test_the_register_lists_public_projects_with_what_it_shows(client):
    project = released_project(year=2025, country="KE", support_amount_krw=480_000_000)
    milestones(project, done=1, pending=2)
    hidden = unreleased_project()

    body = client.get(reverse("opendata:projects")).content.decode()

    assert body.count("data-project=") == 1
    assert project.title in body
    assert "Kenya" in body
    assert project.proposal.track.name in body
    assert "480,000,000" in body
    assert "Pipeline / identification" in body
    assert "1 of 3 milestones" in body
    assert hidden.title not in body


def test_the_register_shows_the_korean_title_to_a_korean_reader(client):
    project = released_project()
    project.translations = {"ko": {"title": "수라바야 통합 도시운영센터 계획"}}
    project.save(update_fields=["translations"])

    body = client.get(reverse("opendata:projects"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "수라바야 통합 도시운영센터 계획" in body
    assert '<html lang="ko" dir="ltr">' in body


def test_the_register_filters_by_year_country_track_and_status(client):
    kenya = released_project(year=2025, country="KE")
    indonesia = released_project(year=2026, country="ID", activity_status=ActivityStatus.IMPLEMENTATION)
    url = reverse("opendata:projects")

    def shown(**params):
        body = client.get(url, params).content.decode()
        return {p.pk for p in (kenya, indonesia) if f'data-project="{p.pk}"' in body}

    assert shown() == {kenya.pk, indonesia.pk}
    assert shown(year="2025") == {kenya.pk}
    assert shown(country="ID") == {indonesia.pk}
    assert shown(status="2") == {indonesia.pk}
    assert shown(track=kenya.proposal.track.slug) == {kenya.pk}
    assert shown(country="FR") == set()  # a real country without projects is an empty list, not an error


def test_the_filter_form_is_labelled_and_has_a_submit_button(client):
    released_project(year=2025)

    body = client.get(reverse("opendata:projects")).content.decode()

    for name in ("year", "country", "track", "status"):
        assert f'<label class="form-label small" for="id_{name}">' in body
    assert '<button class="btn btn-primary w-100" type="submit">Show projects</button>' in body
    assert '<option value="2025">2025</option>' in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "Year: Give a year as four digits, e.g. 2025."),
        ({"year": "1899"}, "Year: Give a year as four digits, e.g. 2025."),
        ({"country": "ZZ"}, "Country: Give a country by its two-letter ISO code, e.g. KE."),
        ({"track": "no-such-track"}, "Track: There is no track with that short name."),
        ({"status": "9"}, "Status: Give an IATI activity status code from 1 to 6."),
        ({"status": "２"}, "Status: Give an IATI activity status code from 1 to 6."),
    ],
)
def test_a_bad_filter_is_a_clear_message_and_the_rest_still_applies(client, params, message):
    project = released_project(year=2025, country="KE")

    response = client.get(reverse("opendata:projects"), {**params, "page": "x"})

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'data-project="{project.pk}"' in body


@pytest.mark.parametrize("count", [15, 30])
def test_the_register_costs_the_same_queries_for_n_and_2n_rows(client, django_assert_num_queries, count):
    staff = StaffFactory()
    for _ in range(count):
        milestones(released_project(by=staff), done=1, pending=1)

    # the filters' years, countries and tracks; the page's count; its rows (milestone counts in sub-queries)
    with django_assert_num_queries(5):
        response = client.get(reverse("opendata:projects"))

    body = response.content.decode()
    assert body.count("data-project=") == min(count, 25)
    assert ('rel="next"' in body) is (count > 25)


def test_the_register_pages_in_a_stable_order(client):
    staff = StaffFactory()
    projects = [released_project(by=staff) for _ in range(27)]
    url = reverse("opendata:projects")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()

    on_first = [p.pk for p in projects if f'data-project="{p.pk}"' in first]
    on_second = [p.pk for p in projects if f'data-project="{p.pk}"' in second]
    assert len(on_first) == 25 and len(on_second) == 2
    assert set(on_first).isdisjoint(on_second)
    assert sorted(on_second, reverse=True) == [projects[1].pk, projects[0].pk]  # the two opened first come last


def test_a_public_project_page_shows_its_summary_milestones_participants_and_public_documents(client):
    project = released_project(year=2025, country="KE", support_amount_krw=480_000_000)
    project.recipient_city = "Nakuru County"
    project.description = "Smart water meters for the county."
    project.save(update_fields=["recipient_city", "description"])
    ParticipantFactory(project=project, name="Dohwa Engineering")
    milestones(project, done=2, pending=1)
    shown = document(project, title="Master plan summary", public=True)

    response = client.get(reverse("opendata:project", args=[project.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        project.title,
        "Smart water meters for the county.",
        "Kenya",
        "Nakuru County",
        project.proposal.track.name,
        "KRW 480,000,000",
        "2 of 3 milestones",
        "Milestone 3",
        "Dohwa Engineering",
        "Implementing",
        "Funding",
        "Accountable",
        project.partner_organisation.name,
        "Master plan summary",
    ):
        assert text in body, text
    assert reverse("opendata:document", args=[project.pk, shown.pk]) in body


def test_a_public_project_page_never_shows_what_is_private(client):
    project = released_project(conditions="The city pays the consultants' per diem (confidential).")
    document(project, title="Internal budget sheet", public=False)
    draft_report_document(project, title="Draft report photo")
    person = contractor_user(project=project, full_name="Choi Hyun-woo", email="choi@example.org")
    ProjectMessage.objects.create(project=project, author=person, body="Please send the GIS layers.")

    body = client.get(reverse("opendata:project", args=[project.pk])).content.decode()

    for text in (
        "confidential",
        "Internal budget sheet",
        "Draft report photo",
        "Draft summary",
        "Choi Hyun-woo",
        "choi@example.org",
        "GIS layers",
        project.proposal.owner.email,
        project.proposal.problem_statement,
    ):
        assert text not in body, text


@pytest.mark.parametrize("which", ["unreleased", "unknown"])
def test_a_project_that_is_not_public_is_a_404(client, which):
    pk = unreleased_project().pk if which == "unreleased" else 999_999

    assert client.get(reverse("opendata:project", args=[pk])).status_code == 404


def test_a_public_document_downloads(client):
    project = released_project()
    shown = document(project, title="Master plan", public=True, content=b"%PDF-1.4 public plan", name="plan.pdf")

    response = client.get(reverse("opendata:document", args=[project.pk, shown.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public plan"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_private_a_draft_reports_or_another_projects_document_is_a_404(client):
    project = released_project()
    other = released_project()
    private = document(project, title="Internal", public=False)
    draft = draft_report_document(project, title="Draft photo")
    elsewhere = document(other, title="Other's", public=True)
    unreleased = unreleased_project()
    unreleased_public = document(unreleased, title="Not yet", public=True)

    for pk, doc in (
        (project.pk, private),
        (project.pk, draft),
        (project.pk, elsewhere),
        (unreleased.pk, unreleased_public),
    ):
        assert client.get(reverse("opendata:document", args=[pk, doc.pk])).status_code == 404


def test_the_open_data_page_explains_the_downloads_and_the_licence(client):
    body = client.get(reverse("opendata:index")).content.decode()

    assert reverse("opendata:projects-csv") in body
    assert reverse("opendata:projects-json") in body
    assert reverse("open-data-project-list") in body
    assert "Korea Open Government Licence Type 1" in body
    assert 'rel="license"' in body


def test_the_navigation_and_the_footer_link_the_register_and_the_open_data(client):
    body = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("opendata:projects")}">Project register</a>' in body
    assert f'href="{reverse("opendata:index")}">Open data</a>' in body


def test_the_download_links_carry_the_accepted_filters_only(client):
    released_project(year=2025, country="KE")

    body = client.get(reverse("opendata:projects"), {"country": "KE", "year": "abc"}).content.decode()

    assert f'href="{reverse("opendata:projects-csv")}?country=KE"' in body
    assert f'href="{reverse("opendata:projects-json")}?country=KE"' in body

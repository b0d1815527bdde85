"""Applicant help pages: public, per language with English as the fallback, kept by staff through an audited
service, with the live parts (track rules, cooperation centres, the committee's criteria) from data."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from proposals import services
from proposals.help_pages import help_page_shown, text_blocks
from proposals.models import HelpPage, HelpTopic
from tests.factories import CooperationCentreFactory, StaffFactory, TrackFactory, applicant
from tests.factories.committee import rubric

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages():
    """The migration's pages may have been flushed by an earlier transactional test: make sure of one set."""
    for topic in HelpTopic.values:
        HelpPage.objects.get_or_create(topic=topic, language="en",
                                       defaults={"title": f"{topic.title()} page", "body": f"About {topic}."})
    HelpPage.objects.update_or_create(topic="eligibility", language="ko",
                                      defaults={"title": "신청 자격", "body": "누가 신청할 수 있는지."})


@pytest.mark.parametrize("topic", HelpTopic.values)
def test_every_help_page_is_public(client, topic):
    response = client.get(reverse("help:page", args=[topic]))

    assert response.status_code == 200
    assert HelpPage.objects.get(topic=topic, language="en").title in response.content.decode()


def test_help_index_lists_every_page(client):
    body = client.get(reverse("help:index")).content.decode()

    for topic in HelpTopic.values:
        assert reverse("help:page", args=[topic]) in body


def test_unknown_topic_is_404(client):
    assert client.get("/help/secret/").status_code == 404


def test_korean_reader_gets_the_korean_text(client):
    client.cookies["django_language"] = "ko"

    body = client.get(reverse("help:page", args=["eligibility"])).content.decode()

    assert "신청 자격" in body and "누가 신청할 수 있는지." in body
    assert "not written in your language" not in body


def test_korean_reader_falls_back_to_english_marked_as_english(client):
    client.cookies["django_language"] = "ko"

    body = client.get(reverse("help:page", args=["terms"])).content.decode()

    assert 'id="help-page" data-topic="terms" lang="en"' in body
    first_paragraph = HelpPage.objects.get(topic="terms", language="en").body.split("\n\n")[0]
    assert first_paragraph in body


def test_eligibility_page_lists_the_open_tracks_rules():
    TrackFactory(name="Regulatory sandbox demonstration", applicant_country_rule="korea_only")

    page = help_page_shown("eligibility", language="en")

    items = [(item.name, item.text) for section in page.sections for item in section.items]
    assert ("Regulatory sandbox demonstration",
            "Who may apply: National government, Regional government, City or local government, International "
            "organisation. The applicant organisation is registered in Korea.") in items


def test_contacts_page_lists_the_cooperation_centres(client):
    CooperationCentreFactory(name="KOTRA Bogotá Trade Center", city="Bogotá", country="CO",
                             email="kotra-bogota@example.org", phone="+57 1 000 0000")

    body = client.get(reverse("help:page", args=["contacts"])).content.decode()

    assert "KOTRA Bogotá Trade Center (Bogotá)" in body
    assert "kotra-bogota@example.org" in body and "+57 1 000 0000" in body


def test_evaluation_page_gives_the_committees_criteria_and_weights(client):
    TrackFactory()
    rubric()  # the committee's K-City criteria

    page = help_page_shown("evaluation", language="en")

    (section,) = page.sections
    assert section.title == "K-City Network: scoring criteria"
    assert sum(int(item.note.rstrip("%")) for item in section.items) in (99, 100, 101)  # rounded shares


def test_headings_and_paragraphs():
    assert text_blocks("Intro line\nsecond line\n\n## When?\nAny day.\n") == [
        ("p", "Intro line\nsecond line"), ("h", "When?"), ("p", "Any day."),
    ]


def test_footer_and_navigation_link_the_help(client):
    body = client.get(reverse("home")).content.decode()

    for topic in ("faq", "contacts", "privacy", "terms"):
        assert f'href="{reverse("help:page", args=[topic])}"' in body
    assert f'href="{reverse("help:index")}"' in body


def test_staff_change_a_page_through_the_audited_service():
    page = HelpPage.objects.get(topic="faq", language="en")
    page.title = "Questions and answers"

    services.help_page_save(page=page, by=StaffFactory(), changed=["title"])

    entry = AuditEntry.objects.get(action="help_page.update")
    assert entry.data == {"changed": {"title": "Questions and answers"}}


def test_applicants_may_not_change_a_page():
    page = HelpPage.objects.get(topic="faq", language="en")
    page.title = "Mine"

    with pytest.raises(PermissionDenied):
        services.help_page_save(page=page, by=applicant(), changed=["title"])


def test_contacts_page_costs_the_same_queries_for_n_and_2n_centres(client):
    for n in range(5):
        CooperationCentreFactory(name=f"Centre {n}")
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("help:page", args=["contacts"]))
    for n in range(5, 10):
        CooperationCentreFactory(name=f"Centre {n}")
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("help:page", args=["contacts"]))

    assert response.content.decode().count("Centre ") >= 10
    assert len(second) == len(first)

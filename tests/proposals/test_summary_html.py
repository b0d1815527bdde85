"""The proposal's summary (proposals.summary_html) as the proposal page and the review step show it: each answer
escaped, its line breaks kept, a dash for what was not given, numbers and amounts in the reader's language, and
each document linked to its download."""

import decimal
import re

import pytest
from django.urls import reverse
from django.utils import translation

from proposals.models import Proposal
from proposals.summary_html import summary_html
from tests.factories import AttachmentFactory, ContactPersonFactory, ProposalFactory, complete_proposal

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> R&D {braces}\nsecond line'


def _row(html: str, label: str) -> str:
    """The <dd> after the <dt> that reads `label`."""
    found = re.search(rf'<dt class="col-sm-4">{re.escape(label)}</dt><dd class="col-sm-8">(.*?)</dd>', html, re.S)
    assert found, f"no row {label!r}"
    return found.group(1)


def test_answers_are_escaped_and_keep_their_line_breaks():
    proposal = ProposalFactory(title=HOSTILE, partner_organisations=HOSTILE, region_city="Da Nang & Hue")
    ContactPersonFactory(proposal=proposal, name="A <b>", position="", phone="", email="a@example.org")
    html = summary_html(proposal, list(proposal.contacts.all()), [])
    assert "<script>" not in html
    assert _row(html, "Project title") == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; R&amp;D {braces}\nsecond line")
    assert _row(html, "Partner organisations") == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; R&amp;D {braces}<br>second line")
    assert _row(html, "Region or city") == "Da Nang &amp; Hue"
    # No position or phone: neither their comma nor their dot.
    assert _row(html, "Contact persons") == (
        '<div>A &lt;b&gt; · <a href="mailto:a@example.org">a@example.org</a></div>')


def test_what_was_not_given_reads_as_a_dash():
    proposal = ProposalFactory(
        partner_organisations="", city_context="", population=None, area_km2=None, duration_months=None,
        requested_support_krw=None, co_financing_krw=None, priority_rank=None, solution_categories=[],
        lead_organisation="",
    )
    html = summary_html(proposal, [], [])
    for label in ("Partner organisations", "City context", "Population", "Area (km²)", "Duration (months)",
                  "Co-financing", "Priority rank within the country", "Solution categories", "Lead organisation",
                  "Contact persons"):
        assert _row(html, label) == "—", label
    assert _row(html, "Requested support").startswith("— <span class=\"text-muted\">(cap KRW ")
    assert '<p class="small text-muted mb-0">No documents attached.</p>' in html
    assert 'id="summary-attachments"' not in html


def test_numbers_and_amounts_are_written_in_the_readers_language():
    proposal = ProposalFactory(population=1234567, area_km2=decimal.Decimal("1234.50"),
                               requested_support_krw=650_000_000)
    with translation.override("fr"):
        html = summary_html(proposal, [], [])
        assert _row(html, "Population") == "1\xa0234\xa0567"  # humanize's intcomma, grouped as French does
        assert _row(html, "Superficie (km²)") == "1234,50"  # {{ value }}: the decimal comma
    with translation.override("ko"):
        html = summary_html(proposal, [], [])
        assert "6억 5천만 원" in html


def test_documents_link_to_their_download_in_order():
    proposal = complete_proposal()
    AttachmentFactory(proposal=proposal, kind="other")
    attachments = list(proposal.attachments.order_by("pk"))
    html = summary_html(proposal, [], attachments)
    links = re.findall(r'<li><a href="([^"]+)">', html)
    assert links == [a.get_absolute_url() for a in attachments]
    assert links[0] == reverse("proposals:attachment-download", args=[proposal.pk, attachments[0].pk])


def test_edit_links_on_the_review_step_only(client):
    proposal = complete_proposal()
    client.force_login(proposal.owner)
    review = client.get(reverse("proposals:edit", args=[proposal.pk, "review"])).content.decode()
    for step in ("basics", "context", "solutions", "budget", "documents"):
        assert f'href="{reverse("proposals:edit", args=[proposal.pk, step])}">Edit</a></h2>' in review
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert '<div class="proposal-summary">' in page and '<div class="proposal-summary">' in review
    assert 'class="small fw-normal"' not in page.split('<div class="proposal-summary">')[1].split("</div>\n")[0]
    assert Proposal.objects.get(pk=proposal.pk).title in page

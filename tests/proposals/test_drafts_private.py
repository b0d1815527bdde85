"""A draft is the applicant's own until submitted: staff see that drafts exist (counts), never their text."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from proposals import services, triage
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import StaffFactory, complete_proposal
from tests.proposals.staff_helpers import submitted_proposal
from tests.proposals.test_admin import FIELDS

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Unannounced smart port plan for Mombasa"


@pytest.fixture
def staff():
    return StaffFactory(is_superuser=True)  # even a superuser: the rule is about whose text it is, not rights


@pytest.fixture
def draft():
    return complete_proposal(title=DRAFT_TITLE)


@pytest.fixture
def browser(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client


def test_admin_changelist_counts_drafts_without_listing_them(browser, draft):
    submitted = submitted_proposal()

    html = browser.get(reverse("admin:proposals_proposal_changelist")).content.decode()

    assert DRAFT_TITLE not in html
    assert submitted.title in html
    assert "1 proposal is being drafted by its applicant and is not listed until it is submitted." in html


def test_draft_count_is_the_drafts_none_and_some(draft):
    submitted_proposal()
    withdrawn = complete_proposal()
    withdrawn.status = Status.WITHDRAWN  # withdrawn before it was submitted: not a draft any more
    withdrawn.save(update_fields=["status"])

    assert triage.draft_count() == 1
    Proposal.objects.filter(status=Status.DRAFT).update(status=Status.WITHDRAWN)
    assert triage.draft_count() == 0


def test_admin_change_page_of_a_draft_is_not_shown(browser, draft):
    response = browser.get(reverse("admin:proposals_proposal_change", args=[draft.pk]), follow=True)

    assert DRAFT_TITLE not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_export_leaves_drafts_out(browser, draft):
    submitted = submitted_proposal()

    response = browser.post(reverse("admin:proposals_proposal_export"), {
        "format": "0", "resource": "0", **{f"proposalresource_{f}": "on" for f in FIELDS}})

    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert DRAFT_TITLE not in body
    assert submitted.title in body


def test_staff_dashboard_shows_the_number_of_drafts_only(browser, draft):
    cache.clear()  # the dashboard's figures are cached for a minute: count this test's drafts
    complete_proposal(title="Another draft")

    html = browser.get(reverse("proposals_staff:dashboard")).content.decode()

    assert '<div class="small text-muted" id="total-drafts">2 drafts being prepared</div>' in html
    assert DRAFT_TITLE not in html


def test_proposal_page_and_documents_of_a_draft_are_404_for_staff(browser, draft):
    attachment = draft.attachments.first()

    assert browser.get(draft.get_absolute_url()).status_code == 404
    assert browser.get(attachment.get_absolute_url()).status_code == 404


def test_api_hides_drafts_from_staff(api, draft):
    submitted = submitted_proposal()

    listed = api.get("/api/v1/proposals/").json()["results"]
    one = api.get(f"/api/v1/proposals/{draft.pk}/")
    staff_one = api.get(f"/api/v1/staff/proposals/{draft.pk}/")
    staff_list = api.get("/api/v1/staff/proposals/").json()["results"]

    assert [p["id"] for p in listed] == [submitted.pk]
    assert one.status_code == 404
    assert staff_one.status_code == 404
    assert [p["id"] for p in staff_list] == [submitted.pk]


def test_a_withdrawn_draft_stays_private(api, draft):
    services.proposal_withdraw(proposal=draft, by=draft.owner, reason="Not this year.")
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN

    assert api.get(f"/api/v1/proposals/{draft.pk}/").status_code == 404


def test_applicant_still_sees_their_own_draft(draft):
    client = Client()
    client.force_login(draft.owner)

    assert DRAFT_TITLE in client.get(draft.get_absolute_url()).content.decode()


def test_draft_becomes_visible_to_staff_once_submitted(browser, draft):
    services.proposal_submit(proposal=draft, by=draft.owner)

    assert DRAFT_TITLE in browser.get(draft.get_absolute_url()).content.decode()


def test_view_permission_on_a_draft_is_refused_to_staff(draft):
    staff = StaffFactory()  # not a superuser: Django grants a superuser every permission
    submitted = submitted_proposal()

    assert not staff.has_perm("proposals.view_proposal", draft)
    assert staff.has_perm("proposals.view_proposal", submitted)
    assert draft.owner.has_perm("proposals.view_proposal", draft)

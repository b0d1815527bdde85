"""The staff inbox: what needs me (new, answered, overdue, waiting on staff), with counts in the navigation."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import inbox, services
from proposals.models import Cycle, Proposal
from proposals.workflow import Status
from tests.factories import StaffFactory, TrackFactory, UserFactory, applicant, proposal_in, service_levels
from tests.proposals.bulk import bulk_organisations, bulk_proposals

pytestmark = pytest.mark.django_db
INBOX = reverse("proposals_staff:inbox")


def rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-proposal="(\d+)"', response.content.decode())]


@pytest.fixture
def desk(client):
    service_levels()
    me = StaffFactory(email="me@molit.example")
    client.force_login(me)
    return me


@pytest.fixture
def cases(desk):
    """One proposal for each section, some mine, one a colleague's."""
    colleague = StaffFactory(email="colleague@molit.example")
    new = proposal_in(Status.SUBMITTED, staff=desk, title="New one")
    mine_new = proposal_in(Status.SUBMITTED, staff=desk, title="Mine new", assigned_to=desk)
    theirs = proposal_in(Status.SUBMITTED, staff=desk, title="Colleague's", assigned_to=colleague)
    answered = proposal_in(Status.INFO_REQUESTED, staff=desk, title="Answered")
    services.proposal_resubmit(proposal=answered, by=answered.owner, note="Here it is.")
    messaged = proposal_in(Status.SCREENING, staff=desk, title="Messaged")
    services.message_post(proposal=messaged, by=messaged.owner, body="A question")
    quiet = proposal_in(Status.SCREENING, staff=desk, title="Quiet")
    late = proposal_in(Status.PRE_CONSULTING, staff=desk, title="Late")
    Proposal.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    waiting_applicant = proposal_in(Status.INFO_REQUESTED, staff=desk, title="Waiting on applicant")
    return {"new": new, "mine_new": mine_new, "theirs": theirs, "answered": answered, "messaged": messaged,
            "quiet": quiet, "late": late, "waiting_applicant": waiting_applicant}


def test_sections_hold_what_they_say(client, cases):
    c = cases

    def shown(section, **params):
        return set(rows(client.get(INBOX, {"section": section, **params})))

    assert shown("new") == {c["new"].pk, c["mine_new"].pk}
    assert shown("answered") == {c["answered"].pk, c["messaged"].pk}
    assert shown("overdue") == {c["late"].pk}
    assert shown("waiting") == {c[k].pk for k in ("new", "mine_new", "answered", "messaged", "quiet", "late")}
    # Everyone's: the colleague's proposal too.
    assert shown("new", scope="all") == {c["new"].pk, c["mine_new"].pk, c["theirs"].pk}


def test_staff_reply_takes_a_proposal_out_of_answered(client, desk, cases):
    services.message_post(proposal=cases["messaged"], by=desk, body="Answered you.")

    assert set(rows(client.get(INBOX, {"section": "answered"}))) == {cases["answered"].pk}


def test_a_staff_move_takes_a_proposal_out_of_new(client, desk, cases):
    services.proposal_transition(proposal=cases["new"], to=Status.SCREENING, by=desk)

    assert set(rows(client.get(INBOX, {"section": "new"}))) == {cases["mine_new"].pk}


def test_counts_in_tabs_and_navigation(client, desk, cases):
    response = client.get(INBOX, {"section": "overdue"})
    html = response.content.decode()

    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts == {"new": "2", "answered": "2", "overdue": "1", "waiting": "6"}
    assert re.search(r'id="nav-inbox-count">5<', html)  # new + answered + overdue, each once
    assert inbox.inbox_counts(desk) == {"new": 2, "answered": 2, "overdue": 1, "waiting": 6, "needs_me": 5}
    assert inbox.needs_me_count(desk) == 5  # what the navigation's badge asks on every other page


def test_navigation_count_on_other_pages_is_fresh(client, desk, cases):
    html = client.get(reverse("proposals_staff:dashboard")).content.decode()
    assert re.search(r'id="nav-inbox-count">5<', html)

    services.proposal_transition(proposal=cases["new"], to=Status.SCREENING, by=desk)

    html = client.get(reverse("proposals_staff:dashboard")).content.decode()
    assert re.search(r'id="nav-inbox-count">4<', html)


def test_unknown_section_shows_the_first(client, cases):
    response = client.get(INBOX, {"section": "bogus"})

    assert response.status_code == 200
    assert response.context["section"].key == "new"


@pytest.mark.parametrize("who", ["applicant", "consultant", "anonymous"])
def test_inbox_is_refused_to_everyone_but_staff(client, who):
    if who == "applicant":
        client.force_login(applicant())
    elif who == "consultant":
        client.force_login(UserFactory(role="consultant"))
    response = client.get(INBOX)

    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
        assert "nav-inbox" not in client.get("/").content.decode()


def test_inbox_links_each_proposal_to_its_back_office_page(client, cases):
    html = client.get(INBOX).content.decode()

    assert f'href="/admin/proposals/proposal/{cases["new"].pk}/change/"' in html


@pytest.mark.parametrize("count", [40, 80])
@pytest.mark.parametrize("section", inbox.SECTION_KEYS)
def test_inbox_costs_the_same_queries_for_n_and_2n(client, desk, django_assert_num_queries, section, count):
    track = TrackFactory()
    cycle = Cycle.objects.create(programme=track.programme, year=2026, cutoff=datetime.date(2026, 4, 30))
    created = bulk_proposals(count, track=track, cycle=cycle, teams=bulk_organisations(4))
    # Half were picked up and answered since, so every section has rows.
    now = timezone.now()
    Proposal.objects.filter(pk__in=[p.pk for p in created[::2]]).update(
        staff_activity_at=now - datetime.timedelta(days=2), applicant_activity_at=now - datetime.timedelta(days=1))

    # session, user, unread notices, the section counts (one aggregate), the page's row count, one page of rows
    with django_assert_num_queries(6):
        response = client.get(INBOX, {"section": section})

    assert response.status_code == 200
    assert len(rows(response)) == min(response.context["page"].paginator.count, 25) > 0

"""The meeting pages and API: parties see them (a centre that only follows the region sees no online link), every
other organisation, a contractor on another project and a centre of another region get 404 on every page and API
object; scheduling in the venue's zone; the journeys through the pages; lists cost the same at N and 2N rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation import services
from cooperation.models import ActionItem, ActionStatus, CooperationMeeting, MeetingKind, MinutesStatus, Side
from tests.factories.cooperation_meetings import (
    action_for,
    meeting_held,
    meeting_scheduled,
    minutes_for,
    project_cast,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cast = project_cast()
    held = meeting_held(cast, days=-20)
    action = action_for(cast, held, side=Side.PARTNER)
    minutes_for(cast, held, state="final")
    planned = meeting_scheduled(cast, days=10)
    return cast, held, planned, action


def _login(client, user):
    client.force_login(user)
    return client


def _pages(cast, held, action):
    p, m = cast.project.pk, held.pk
    return [
        reverse("cooperation:meetings", args=[p]), reverse("cooperation:meeting-new", args=[p]),
        reverse("cooperation:meeting", args=[p, m]), reverse("cooperation:meeting-edit", args=[p, m]),
        reverse("cooperation:meeting-ics", args=[p, m]), reverse("cooperation:meeting-minutes", args=[p, m]),
        reverse("cooperation:meeting-minutes-pdf", args=[p, m]), reverse("cooperation:action-items", args=[p]),
        reverse("cooperation:action-item", args=[p, action.pk]),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_contractor", "other_centre_staff"])
def test_non_parties_get_404_on_every_page_and_api_object(client, world, who):
    cast, held, planned, action = world
    _login(client, getattr(cast, who))

    for url in _pages(cast, held, action):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "held", "note": "x"}).status_code == 404, url
    for url in [f"/api/v1/cooperation/meetings/{held.pk}/", f"/api/v1/cooperation/action-items/{action.pk}/"]:
        assert client.get(url).status_code == 404, url
    for url in [f"/api/v1/cooperation/meetings/{planned.pk}/held/",
                f"/api/v1/cooperation/meetings/{planned.pk}/cancel/",
                f"/api/v1/cooperation/action-items/{action.pk}/done/",
                f"/api/v1/cooperation/action-items/{action.pk}/drop/"]:
        assert client.post(url, {"note": "x"}, content_type="application/json").status_code == 404, url
    assert client.get("/api/v1/cooperation/meetings/").json()["count"] == 0
    assert client.get("/api/v1/cooperation/action-items/").json()["count"] == 0
    # A project the caller does not see is refused like one that does not exist.
    response = client.post("/api/v1/cooperation/meetings/", {
        "project": cast.project.pk, "kind": "bilateral", "starts_at": "2027-01-10T10:00:00+07:00",
        "ends_at": "2027-01-10T12:00:00+07:00", "time_zone": "Asia/Jakarta", "place": "x"},
        content_type="application/json")
    assert response.status_code in (400, 403)
    assert not CooperationMeeting.objects.filter(kind="bilateral").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    cast, held, _planned, action = world
    for url in _pages(cast, held, action):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("who", ["staff", "partner", "contractor", "centre_staff"])
def test_the_parties_read_every_page(client, world, who):
    cast, held, _planned, action = world
    _login(client, getattr(cast, who))
    pages = _pages(cast, held, action)
    expected = {pages[1]: 200 if who in ("staff", "centre_staff") else 403,
                pages[3]: 302 if who == "staff" else 403}  # a held meeting is not rescheduled: back to its page
    for url in pages:
        assert client.get(url).status_code == expected.get(url, 200), url


def test_the_online_link_is_for_the_meetings_parties_only(client, world):
    cast, _held, planned, _action = world
    page = reverse("cooperation:meeting", args=[cast.project.pk, planned.pk])
    ics = reverse("cooperation:meeting-ics", args=[cast.project.pk, planned.pk])
    api = f"/api/v1/cooperation/meetings/{planned.pk}/"

    _login(client, cast.partner)
    assert planned.online_link in client.get(page).content.decode()
    assert planned.online_link in client.get(ics).content.decode().replace("\r\n ", "")
    assert client.get(api).json()["online_link"] == planned.online_link

    _login(client, cast.centre_staff)  # follows the region, does not facilitate this meeting
    body = client.get(page).content.decode()
    assert planned.online_link not in body
    assert "The link is shared with the meeting" in body
    assert planned.online_link not in client.get(ics).content.decode().replace("\r\n ", "")
    assert client.get(api).json()["online_link"] == ""


def test_the_time_is_shown_in_the_viewers_zone_and_the_venues(client, world):
    cast, _held, planned, _action = world
    _login(client, cast.staff)  # Asia/Seoul; the venue is in Asia/Jakarta, two hours behind
    body = client.get(reverse("cooperation:meeting", args=[cast.project.pk, planned.pk])).content.decode()
    seoul = timezone.localtime(planned.starts_at, datetime.timezone(datetime.timedelta(hours=9)))
    jakarta = timezone.localtime(planned.starts_at, datetime.timezone(datetime.timedelta(hours=7)))
    assert f"{seoul:%H:%M}" in body and "your time, Asia/Seoul" in body
    assert f"{jakarta:%H:%M}" in body and "at the venue, Asia/Jakarta" in body


def test_staff_schedule_a_meeting_in_the_venues_local_time(client, world):
    cast, *_rest = world
    _login(client, cast.staff)
    response = client.post(reverse("cooperation:meeting-new", args=[cast.project.pk]), {
        "kind": MeetingKind.BILATERAL, "time_zone": "Asia/Jakarta", "starts_at": "2027-01-10T10:00",
        "ends_at": "2027-01-10T12:30", "place": "Balai Kota", "online_link": "", "facilitating_centre": ""})

    meeting = CooperationMeeting.objects.get(kind=MeetingKind.BILATERAL)
    assert response.status_code == 302
    assert meeting.starts_at == datetime.datetime(2027, 1, 10, 3, 0, tzinfo=datetime.UTC)
    assert meeting.ends_at == datetime.datetime(2027, 1, 10, 5, 30, tzinfo=datetime.UTC)
    assert meeting.carried_actions.count() == 1  # the open action item of the held session


@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_at": "2027-01-10T09:00"}, "The meeting must end after it starts."),
    ({"starts_at": "0001-01-01T00:00"}, "Give a date between 2000-01-01 and 2100-12-31."),
    ({"place": ""}, "Give the place, an online link, or both."),
    ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
])
def test_bad_scheduling_input_is_a_message_and_keeps_what_was_typed(client, world, changes, message):
    cast, *_rest = world
    _login(client, cast.staff)
    data = {"kind": MeetingKind.SITE_VISIT, "time_zone": "Asia/Jakarta", "starts_at": "2027-01-10T10:00",
            "ends_at": "2027-01-10T12:30", "place": "Pier 3 of the harbour", "online_link": ""} | changes
    response = client.post(reverse("cooperation:meeting-new", args=[cast.project.pk]), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert data["place"] in body if data["place"] else True
    assert not CooperationMeeting.objects.filter(kind=MeetingKind.SITE_VISIT).exists()


def test_the_journey_through_the_pages(client, world):
    cast, _held, planned, _action = world
    p = cast.project.pk
    page = reverse("cooperation:meeting", args=[p, planned.pk])
    _login(client, cast.staff)
    client.post(page, {"action": "delegate_add", "delegate-side": "partner", "delegate-name": "Mayor Budi",
                       "delegate-is_head": "on", "delegate-user": cast.partner.pk})
    client.post(page, {"action": "agenda_add", "agenda-title": "Inception report"})
    assert client.post(page, {"action": "held", "note": ""}).status_code == 302
    item = planned.agenda_items.get()
    response = client.post(page, {"action": "action_add", "item": item.pk, f"action-{item.pk}-title": "Send data",
                                  f"action-{item.pk}-owner_side": "partner",
                                  f"action-{item.pk}-due_date": "2030-01-01"})
    assert response.status_code == 302
    new = ActionItem.objects.get(title="Send data")
    assert (planned.delegates.get().is_head, new.owner_side) == (True, Side.PARTNER)

    _login(client, cast.partner)
    item_page = reverse("cooperation:action-item", args=[p, new.pk])
    assert "mark-done" in client.get(item_page).content.decode()
    assert client.post(item_page, {"action": "dropped", "note": "No"}).status_code == 302  # refused: a message
    assert ActionItem.objects.get(pk=new.pk).status == ActionStatus.OPEN
    assert client.post(item_page, {"action": "done", "note": ""}).status_code == 200  # the note is required
    client.post(item_page, {"action": "done", "note": "Sent on USB"})
    assert ActionItem.objects.get(pk=new.pk).status == ActionStatus.DONE

    minutes_page = reverse("cooperation:meeting-minutes", args=[p, planned.pk])
    _login(client, cast.staff)
    client.post(minutes_page, {"action": "save", "body": "Minutes text"})
    client.post(minutes_page, {"action": "for_acknowledgment"})
    client.post(minutes_page, {"action": "acknowledge"})
    _login(client, cast.partner)
    assert "acknowledge" in client.get(minutes_page).content.decode()
    client.post(minutes_page, {"action": "acknowledge"})
    planned.refresh_from_db()
    assert planned.minutes.status == MinutesStatus.FINAL
    pdf = client.get(reverse("cooperation:meeting-minutes-pdf", args=[p, planned.pk]))
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")


def test_a_bogus_posted_id_is_a_404_not_a_500(client, world):
    cast, held, *_rest = world
    _login(client, cast.staff)
    page = reverse("cooperation:meeting", args=[cast.project.pk, held.pk])
    for value in ["abc", "99999999", "1" * 40]:
        assert client.post(page, {"action": "outcome", "item": value}).status_code == 404


def test_the_api_marks_an_action_item_done_with_the_same_rules(client, world):
    cast, _held, _planned, action = world
    url = f"/api/v1/cooperation/action-items/{action.pk}/done/"

    _login(client, cast.contractor)
    refused = client.post(url, {"note": "I did it"}, content_type="application/json")
    assert (refused.status_code, refused.json()["detail"]) == (
        403, "Only the side that owns this action item can mark it done.")
    _login(client, cast.partner)
    assert client.post(url, {"note": ""}, content_type="application/json").status_code == 400
    done = client.post(url, {"note": "Shared the data"}, content_type="application/json")
    assert (done.status_code, done.json()["status"]) == (200, "done")
    again = client.post(url, {"note": "Again"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (400, "transition_refused")


def test_the_api_schedules_and_lists_meetings_with_agenda_and_delegates(client, world):
    cast, held, *_rest = world
    _login(client, cast.staff)
    created = client.post("/api/v1/cooperation/meetings/", {
        "project": cast.project.pk, "kind": "bilateral", "starts_at": "2027-01-10T10:00:00+07:00",
        "ends_at": "2027-01-10T12:00:00+07:00", "time_zone": "Asia/Jakarta", "place": "Balai Kota"},
        content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["session_number"], body["starts_at_venue"], len(body["carried_over"])) == (
        1, "2027-01-10T10:00:00+07:00", 1)

    _login(client, cast.partner)
    listed = client.get(f"/api/v1/cooperation/meetings/{held.pk}/").json()
    assert listed["minutes_status"] == "final"
    assert listed["agenda_items"][0]["action_items"] == [held.action_items.get().pk]
    partner_items = client.get("/api/v1/cooperation/action-items/?owner_side=partner&status=open").json()
    assert partner_items["count"] == 1


# --- query counts at N and 2N rows ------------------------------------------------------------------------------


def _rows(cast, n, start=0):
    staff = cast.staff
    base = timezone.now() - datetime.timedelta(days=400)
    for i in range(start, start + n):
        meeting = CooperationMeeting.objects.create(
            project=cast.project, kind=MeetingKind.SITE_VISIT, session_number=i + 1,
            starts_at=base + datetime.timedelta(days=i), ends_at=base + datetime.timedelta(days=i, hours=2),
            time_zone="Asia/Jakarta", place="Site", created_by=staff, status="held")
        meeting.agenda_items.create(order=1, title=f"Item {i}")
        ActionItem.objects.create(project=cast.project, meeting=meeting, title=f"Action {i}",
                                  owner_side=Side.PARTNER if i % 2 else Side.CONTRACTOR,
                                  due_date=timezone.localdate() + datetime.timedelta(days=i),
                                  status=ActionStatus.OPEN if i % 3 else ActionStatus.DONE, owner=cast.partner)
        meeting.delegates.create(side=Side.PARTNER, name=f"Delegate {i}")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["staff", "partner", "centre_staff"])
@pytest.mark.parametrize("url", ["cooperation:meetings", "cooperation:action-items", "api-meetings", "api-actions"])
def test_lists_cost_the_same_queries_at_n_and_2n_rows(client, who, url):
    cast = project_cast()
    _login(client, getattr(cast, who))
    path = {"api-meetings": "/api/v1/cooperation/meetings/?page_size=100",
            "api-actions": "/api/v1/cooperation/action-items/?page_size=100"}.get(url) or reverse(
        url, args=[cast.project.pk])
    _rows(cast, 12)
    at_n = _count(client, path)
    _rows(cast, 12, start=12)
    at_2n = _count(client, path)
    assert at_n == at_2n


def test_the_action_list_shows_open_items_first_and_filters(client, world):
    cast, _held, _planned, action = world
    done = action_for(cast, meeting_held(cast, days=-5), side=Side.CONTRACTOR, title="Survey", due_in=1)
    services.action_item_move(action=done, target=ActionStatus.DONE, note="ok", by=cast.contractor)
    _login(client, cast.partner)
    url = reverse("cooperation:action-items", args=[cast.project.pk])

    body = client.get(url).content.decode()
    assert body.index(f'data-action="{action.pk}"') < body.index(f'data-action="{done.pk}"')
    only_done = client.get(url, {"status": "done"}).content.decode()
    assert f'data-action="{done.pk}"' in only_done and f'data-action="{action.pk}"' not in only_done
    assert client.get(url, {"side": "nonsense", "status": "x"}).status_code == 200


def test_a_viewer_at_the_venue_reads_the_time_once(client, world):
    cast, _held, planned, _action = world
    _login(client, cast.partner)  # Asia/Jakarta, like the venue
    body = client.get(reverse("cooperation:meeting", args=[cast.project.pk, planned.pk])).content.decode()
    assert "your time, Asia/Jakarta" in body
    assert "at the venue" not in body


def test_the_api_wants_a_signed_in_caller(client, world):
    for url in ["/api/v1/cooperation/meetings/", "/api/v1/cooperation/action-items/"]:
        assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("who", ["staff", "partner"])
def test_the_meeting_page_costs_the_same_queries_at_n_and_2n_agenda_items(client, who):
    cast = project_cast()
    earlier = meeting_held(cast, days=-60)
    meeting = meeting_held(cast, days=-5)
    _login(client, getattr(cast, who))
    url = reverse("cooperation:meeting", args=[cast.project.pk, meeting.pk])

    def grow(start):
        for n in range(start, start + 6):
            item = meeting.agenda_items.create(order=n + 1, title=f"Item {n}", outcome_kind="information")
            ActionItem.objects.create(project=cast.project, meeting=meeting, agenda_item=item, title=f"A {n}",
                                      owner_side=Side.PARTNER, due_date=timezone.localdate(), owner=cast.partner)
            carried = ActionItem.objects.create(project=cast.project, meeting=earlier, title=f"C {n}",
                                                owner_side=Side.CONTRACTOR, due_date=timezone.localdate())
            carried.carried_into.add(meeting)
            meeting.delegates.create(side=Side.PARTNER, name=f"Delegate {n}")

    grow(0)
    at_n = _count(client, url)
    grow(6)
    assert _count(client, url) == at_n


def test_a_meeting_with_final_minutes_offers_no_more_changes(client, world):
    cast, held, _planned, _action = world
    _login(client, cast.staff)
    body = client.get(reverse("cooperation:meeting", args=[cast.project.pk, held.pk])).content.decode()
    assert 'id="delegate-form"' not in body and 'id="agenda-form"' not in body and "outcome-form" not in body

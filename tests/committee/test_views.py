import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.models import Decision, DecisionLetter, LetterStatus, Minutes, MinutesStatus, VotingMode
from committee.services import (
    assignment_create,
    attendance_record,
    conflict_declare,
    minutes_finalise,
    minutes_generate,
    review_submit,
)
from notifications.models import OutboxEmail
from proposals.models import Track
from proposals.services import message_post
from proposals.workflow import Status
from tests.committee.helpers import committee, meeting_for, member, proposal_in_review, rubric
from tests.factories import StaffFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _assigned(staff=None, **kwargs):
    staff = staff or StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    rubric(proposal.track.programme)
    reviewer = member(**kwargs)
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    return staff, proposal, reviewer


# --- member workspace --------------------------------------------------------------------------------------


def _workspace_queries(client, user):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("committee:workspace"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_member_workspace_same_queries_for_1_and_30_proposals(client):
    staff, first, reviewer = _assigned()
    conflict_declare(member=reviewer, proposal=first, has_conflict=False)
    _login(client, reviewer.user)
    one, response = _workspace_queries(client, reviewer.user)
    assert response.content.decode().count('data-proposal="') == 1

    for i in range(29):
        proposal = proposal_in_review(staff=staff, track=first.track)
        assignment_create(proposal=proposal, member=reviewer, by=staff)
        if i % 2:
            conflict_declare(member=reviewer, proposal=proposal, has_conflict=i % 3 == 0, reason="Adviser")
    thirty, response = _workspace_queries(client, reviewer.user)
    rest = client.get(reverse("committee:workspace"), {"page": 2})

    assert response.content.decode().count('data-proposal="') == 25  # a page
    assert rest.content.decode().count('data-proposal="') == 5
    assert thirty == one


def test_member_workspace_lists_only_proposals_before_them(client):
    staff, proposal, reviewer = _assigned()
    other = proposal_in_review(staff=staff)
    _login(client, reviewer.user)

    body = client.get(reverse("committee:workspace")).content.decode()

    assert proposal.reference in body
    assert other.reference not in body


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def _row(body: str, proposal) -> str:
    start = body.index(f'<tr data-proposal="{proposal.pk}">')
    return _tight(body[start:body.index("</tr>", start) + len("</tr>")])


def _expected_row(proposal, *, linked: bool, conflict: str, review: str) -> str:
    title = f'<a href="{reverse("committee:proposal", args=[proposal.pk])}">{proposal.title}</a>' if linked else (
        proposal.title)
    return _tight(
        f'<tr data-proposal="{proposal.pk}"><td class="text-nowrap" data-label="Reference">{proposal.reference}</td>'
        f'<td data-label="Title"><div>{title}<div class="small text-muted">{proposal.organisation.name}</div></div>'
        f'</td><td class="small" data-label="Track">{proposal.track.name}</td>'
        f'<td data-label="Cycle">{proposal.cycle.year}</td>'
        f'<td class="small" data-label="Why it is before you">Assigned reviewer</td>'
        f'<td data-label="Conflict of interest">{conflict}</td><td data-label="Your review">{review}</td></tr>'
    )


def test_member_workspace_rows_show_each_declaration_state(client):
    """The rows committee.workspace_rows builds: undeclared (declare first), declared without a conflict (read and
    score), conflicted (no link, nothing to do), reviewed; and a line of the member's meetings."""
    staff, undeclared, reviewer = _assigned()
    clear, conflicted, reviewed = (proposal_in_review(staff=staff, track=undeclared.track) for _ in range(3))
    for proposal in (clear, conflicted, reviewed):
        assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=clear, has_conflict=False)
    conflict_declare(member=reviewer, proposal=conflicted, has_conflict=True, reason="Adviser")
    conflict_declare(member=reviewer, proposal=reviewed, has_conflict=False)
    criteria = rubric(reviewed.track.programme).criteria.all()
    review_submit(member=reviewer, proposal=reviewed, scores={c.pk: {"value": 3} for c in criteria})
    meeting = meeting_for(proposal_in_review(staff=staff), staff=staff)
    _login(client, reviewer.user)

    body = client.get(reverse("committee:workspace")).content.decode()

    declare = reverse("committee:declare", args=[undeclared.pk])
    score = reverse("committee:review", args=[clear.pk])
    no_conflict = '<span class="badge text-bg-success">No conflict</span>'
    assert _row(body, undeclared) == _expected_row(
        undeclared, linked=False, conflict=f'<a class="btn btn-sm btn-primary" href="{declare}">Declare</a>',
        review='<span class="text-muted small">after declaring</span>')
    assert _row(body, clear) == _expected_row(
        clear, linked=True, conflict=no_conflict,
        review=f'<a class="btn btn-sm btn-outline-primary" href="{score}">Score</a>')
    assert _row(body, conflicted) == _expected_row(
        conflicted, linked=False, conflict='<span class="badge text-bg-danger">Conflict declared</span>', review="—")
    assert _row(body, reviewed) == _expected_row(
        reviewed, linked=True, conflict=no_conflict, review='<span class="badge text-bg-success">Submitted</span>')
    assert f'<a href="{meeting.get_absolute_url()}">{meeting.title}</a>' in body


def test_member_workspace_names_the_track_in_the_reader_s_language_else_in_english(client):
    staff, korean, reviewer = _assigned()
    english = proposal_in_review(staff=staff, track=TrackFactory(programme=korean.track.programme))
    assignment_create(proposal=english, member=reviewer, by=staff)
    Track.objects.filter(pk=korean.track_id).update(name_ko="스마트 도시계획")
    reviewer.user.language = "ko"
    reviewer.user.save(update_fields=["language"])
    _login(client, reviewer.user)

    body = client.get(reverse("committee:workspace")).content.decode()

    assert '<td class="small" data-label="사업 유형">스마트 도시계획</td>' in _row(body, korean), _row(body, korean)
    assert f'>{english.track.name_en}</td>' in _row(body, english)


def test_applicant_cannot_open_committee_pages(client):
    _staff, proposal, _reviewer = _assigned()
    _login(client, proposal.owner)

    assert client.get(reverse("committee:workspace")).status_code == 403
    assert client.get(reverse("committee:proposal", args=[proposal.pk])).status_code == 403


# --- declaration gate --------------------------------------------------------------------------------------


def test_undeclared_member_is_sent_to_declare_first(client):
    _staff, proposal, reviewer = _assigned()
    _login(client, reviewer.user)

    response = client.get(reverse("committee:proposal", args=[proposal.pk]))

    assert response.status_code == 302
    assert response.url == reverse("committee:declare", args=[proposal.pk])
    # The proposal's own page and documents stay closed as well.
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_member_declaring_no_conflict_reads_proposal_notes_and_documents(client):
    staff, proposal, reviewer = _assigned()
    message_post(proposal=proposal, by=staff, body="Screening: site visit confirmed.", internal=True)
    _login(client, reviewer.user)

    response = client.post(reverse("committee:declare", args=[proposal.pk]), {"has_conflict": "no"})
    assert response.status_code == 302
    page = client.get(reverse("committee:proposal", args=[proposal.pk])).content.decode()

    assert proposal.problem_statement in page
    assert "Screening: site visit confirmed." in page
    download = client.get(proposal.attachments.first().get_absolute_url())
    content = b"".join(download.streaming_content)
    download.close()
    assert (download.status_code, content[:5]) == (200, b"%PDF-")


def test_declaring_a_conflict_without_reason_keeps_the_form(client):
    _staff, proposal, reviewer = _assigned()
    _login(client, reviewer.user)

    response = client.post(reverse("committee:declare", args=[proposal.pk]), {"has_conflict": "yes", "reason": ""})

    assert response.status_code == 200
    assert "Say briefly what the conflict of interest is." in response.content.decode()
    assert not reviewer.declarations.exists()


def test_conflicted_member_cannot_read_score_or_vote_in_ui(client):
    staff, proposal, reviewer = _assigned(co_chair=True)
    members = committee(3)
    meeting = meeting_for(proposal, staff=staff, opened=True, voting_mode=VotingMode.ONLINE)
    attendance_record(meeting=meeting, present=[reviewer, *members], by=staff)
    _login(client, reviewer.user)
    client.post(reverse("committee:declare", args=[proposal.pk]), {"has_conflict": "yes", "reason": "My firm"})
    criteria = rubric(proposal.track.programme).criteria.all()

    read = client.get(reverse("committee:proposal", args=[proposal.pk]))
    score = client.post(reverse("committee:review", args=[proposal.pk]),
                        {f"criterion_{c.pk}": "5" for c in criteria})
    vote = client.post(reverse("committee:vote", args=[meeting.agenda_items.get().pk]), {"choice": "for"})

    assert read.status_code == 403
    assert proposal.problem_statement not in read.content.decode()
    assert "You declared a conflict of interest" in read.content.decode()
    assert score.status_code == 403
    assert vote.status_code == 403
    assert not reviewer.reviews.exists() and not reviewer.votes.exists()
    assert client.get(proposal.get_absolute_url()).status_code == 404


# --- reviews and spread ------------------------------------------------------------------------------------


def test_scores_hidden_until_own_review_then_spread_shown(client):
    staff, proposal, reviewer = _assigned()
    other = member()
    assignment_create(proposal=proposal, member=other, by=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    conflict_declare(member=other, proposal=proposal, has_conflict=False)
    review_submit(member=other, proposal=proposal, scores={c.pk: {"value": 5} for c in criteria})
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    _login(client, reviewer.user)

    before = client.get(reverse("committee:proposal", args=[proposal.pk])).content.decode()
    response = client.post(
        reverse("committee:review", args=[proposal.pk]),
        {**{f"criterion_{c.pk}": "3" for c in criteria}, f"comment_{criteria[0].pk}": "Land not yet secured"},
    )
    after = client.get(reverse("committee:proposal", args=[proposal.pk])).content.decode()

    assert 'id="spread-hidden"' in before and 'id="score-spread"' not in before
    assert response.status_code == 302
    assert 'id="score-spread"' in after
    assert "<td>3.00</td><td>4.00</td><td>5.00</td>" in after  # weighted totals: min, median, max
    assert other.user.full_name not in after


def test_review_form_keeps_input_when_a_score_is_missing(client):
    _staff, proposal, reviewer = _assigned()
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    _login(client, reviewer.user)
    data = {f"criterion_{c.pk}": "4" for c in criteria[1:]}
    data[f"comment_{criteria[1].pk}"] = "Strong commitment letter"

    response = client.post(reverse("committee:review", args=[proposal.pk]), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Give a score from 1 to 5." in body
    assert "Strong commitment letter" in body
    assert not reviewer.reviews.exists()


# --- staff pages -------------------------------------------------------------------------------------------


def test_staff_builds_agenda_records_attendance_and_decides(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(5)
    meeting = meeting_for(proposal, staff=staff, opened=True)
    second = proposal_in_review(staff=staff, track=proposal.track)
    _login(client, staff)
    url = meeting.get_absolute_url()

    assert second.reference in client.get(url).content.decode()
    client.post(url, {"action": "agenda_add", "proposal": second.pk})
    client.post(url, {"action": "attendance", "present": [m.pk for m in members[:2]]})
    item = meeting.agenda_items.get(proposal=second)
    refused = client.post(url, {"action": "decide", "item": item.pk, "outcome": "reject", "reasons": "Too early",
                                "votes_for": 0, "votes_against": 2, "votes_abstain": 0}, follow=True)
    client.post(url, {"action": "attendance", "present": [m.pk for m in members[:4]]})
    over_cap = client.post(url, {"action": "decide", "item": item.pk, "outcome": "approve",
                                 "support_amount_krw": 800_000_000, "votes_for": 4, "votes_against": 0,
                                 "votes_abstain": 0})
    done = client.post(url, {"action": "decide", "item": item.pk, "outcome": "approve",
                             "support_amount_krw": 600_000_000, "conditions": "Train 20 officials",
                             "votes_for": 4, "votes_against": 0, "votes_abstain": 0})

    assert list(meeting.agenda_items.values_list("proposal_id", flat=True)) == [proposal.pk, second.pk]
    assert "No quorum: 2 eligible members present, 3 needed." in refused.content.decode()
    assert "above the" in over_cap.content.decode()
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.APPROVED
    assert Decision.objects.get(proposal=second).support_amount_krw == 600_000_000


def test_staff_approves_letter_and_applicant_reads_it(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(3)
    meeting = meeting_for(proposal, staff=staff, opened=True)
    attendance_record(meeting=meeting, present=members, by=staff)
    _login(client, staff)
    client.post(meeting.get_absolute_url(), {"action": "decide", "item": meeting.agenda_items.get().pk,
                                             "outcome": "reject", "reasons": "The site is not available",
                                             "votes_for": 0, "votes_against": 3, "votes_abstain": 0})
    letter = DecisionLetter.objects.get()

    response = client.post(reverse("committee:letter", args=[letter.pk]),
                           {"message": "The site is not available yet; you may apply again.", "action": "approve"})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    email = OutboxEmail.objects.get(user=proposal.owner, event="committee_decision")
    assert "The site is not available yet; you may apply again." in email.body
    client.logout()
    _login(client, proposal.owner)
    notices = client.get(reverse("notifications:list")).content.decode()
    assert f"Committee decision on {proposal.reference}: Reject" in notices


def test_minutes_page_edits_draft_and_refuses_after_final(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    meeting = meeting_for(proposal, staff=staff, opened=True)
    _login(client, staff)
    url = reverse("committee:minutes", args=[meeting.pk])
    client.post(url, {"action": "generate"})
    client.post(url, {"action": "save", "body": "Draft text"})
    assert Minutes.objects.get().body == "Draft text\n"
    client.post(url, {"action": "finalise"})

    response = client.post(url, {"action": "save", "body": "Changed later"}, follow=True)

    minutes = Minutes.objects.get()
    assert (minutes.status, minutes.body) == (MinutesStatus.FINAL, "Draft text\n")
    assert "These minutes are final and cannot be changed." in response.content.decode()


def test_minutes_pdf_download(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    meeting = meeting_for(proposal, staff=staff, opened=True)
    minutes_finalise(minutes=minutes_generate(meeting=meeting, by=staff), by=staff)
    _login(client, staff)

    response = client.get(reverse("committee:minutes-pdf", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_staff_assigns_suggested_reviewers(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(5)
    _login(client, staff)

    client.post(reverse("committee:assign", args=[proposal.pk]), {"action": "suggested"})

    assert proposal.reviewer_assignments.count() == 3
    assert set(proposal.reviewer_assignments.values_list("member_id", flat=True)) <= {m.pk for m in members}


def test_agenda_proposal_is_before_every_member_after_declaring(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    meeting_for(proposal, staff=staff)
    not_assigned = member()
    _login(client, not_assigned.user)

    listed = client.get(reverse("committee:workspace")).content.decode()
    client.post(reverse("committee:declare", args=[proposal.pk]), {"has_conflict": "no"})
    page = client.get(reverse("committee:proposal", args=[proposal.pk]))

    assert f'data-proposal="{proposal.pk}"' in listed and "On a meeting agenda" in listed
    assert page.status_code == 200


def test_present_member_votes_on_the_proposal_page(client):
    staff, proposal, reviewer = _assigned(co_chair=True)
    meeting = meeting_for(proposal, staff=staff, opened=True, voting_mode=VotingMode.ONLINE)
    attendance_record(meeting=meeting, present=[reviewer], by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    _login(client, reviewer.user)
    item = meeting.agenda_items.get()

    page = client.get(reverse("committee:proposal", args=[proposal.pk])).content.decode()
    response = client.post(reverse("committee:vote", args=[item.pk]), {"choice": "against"})

    assert 'id="vote-form"' in page
    assert response.status_code == 302
    assert list(item.votes.values_list("member_id", "choice")) == [(reviewer.pk, "against")]


def test_staff_reads_committee_file_with_spread_without_declaring(client):
    staff, proposal, reviewer = _assigned()
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    criteria = rubric(proposal.track.programme).criteria.all()
    review_submit(member=reviewer, proposal=proposal, scores={c.pk: {"value": 2} for c in criteria})
    _login(client, staff)

    page = client.get(reverse("committee:proposal", args=[proposal.pk]))

    assert page.status_code == 200
    assert "<td>2.00</td><td>2.00</td><td>2.00</td>" in page.content.decode()


def test_member_sees_the_filed_pre_consulting_report_in_full(client):
    import datetime

    from django.utils import timezone

    from consulting.services import report_file
    from tests.consulting.conftest import make_booking, make_consultant, make_session_type

    _staff, proposal, reviewer = _assigned()
    consultant = make_consultant()
    start = timezone.now() - datetime.timedelta(hours=3)
    booking = make_booking(consultant, make_session_type(), booked_by=proposal.owner, start=start, proposal=proposal,
                           status="held")
    report_file(booking=booking, by=consultant.user, summary="Site and data are ready; the city council backs it.",
                recommendation="ready", suggested_changes="Add a maintenance budget.")
    _login(client, reviewer.user)
    client.post(reverse("committee:declare", args=[proposal.pk]), {"has_conflict": "no"})

    page = client.get(reverse("committee:proposal", args=[proposal.pk])).content.decode()

    assert "Site and data are ready; the city council backs it." in page
    assert "Add a maintenance budget." in page
    assert "No pre-consulting report is on file." not in page

"""Pages under /committee/: the member workspace and the staff meeting pages. Thin: forms in, services out.

Who may see what is asked as `request.user.has_perm("committee.<name>", obj)` (committee/rules.py)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules import has_perm as rule_grants

from committee import forms, rules, selectors, services
from committee.ics import meeting_calendar
from committee.minutes_pdf import minutes_pdf
from committee.models import (
    AgendaItem,
    Assignment,
    CommitteeMember,
    DecisionLetter,
    LetterStatus,
    Meeting,
    Minutes,
    VotingMode,
)
from committee.workspace_rows import WorkspaceRows
from core.errors import DomainError
from core.paging import page_of, page_read
from proposals.models import Proposal


def _staff_only(request):
    if not request.user.has_perm("committee.manage"):
        raise PermissionDenied(rules.NOT_STAFF)


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form, field by field where it names fields the form has."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _member_or_403(request) -> CommitteeMember:
    member = selectors.member_for(request.user) if request.user.has_perm("committee.serve") else None
    if member is None or not member.is_active:
        raise PermissionDenied(rules.NOT_MEMBER)
    return member


def _proposal_before_member(request, pk) -> tuple[CommitteeMember, Proposal]:
    member = _member_or_403(request)
    proposal = get_object_or_404(Proposal.objects.select_related("track__programme", "organisation", "cycle"), pk=pk)
    if not selectors.is_candidate(member=member, proposal=proposal):
        raise Http404
    return member, proposal


@login_required
def workspace(request):
    # The rule alone, not request.user.has_perm: no Permission row is named "committee.manage" (it is a rule,
    # committee/rules.py, which grants superusers too), so ModelBackend would read the member's permissions in two
    # queries only to say no.
    if rule_grants("committee.manage", request.user):
        return render(request, "committee/staff_home.html", {
            "meetings": page_of(request, selectors.meeting_rows()),
            "draft_letters": DecisionLetter.objects.filter(status=LetterStatus.DRAFT).count(),
        })
    member = _member_or_403(request)
    page = page_read(request, partial(selectors.member_workspace_rows, member=member))
    rows = WorkspaceRows()
    return render(request, "committee/workspace.html", {
        "member": member, "page": page, "rows": rows.table(page),
        "meetings": rows.meetings(selectors.member_meetings(member=member)),
    })


@login_required
def declare(request, pk):
    member, proposal = _proposal_before_member(request, pk)
    declaration = selectors.declaration_for(member=member, proposal=proposal)
    if not request.user.has_perm("committee.declare", proposal):  # a declared conflict stays recorded
        return render(request, "committee/conflicted.html", {"proposal": proposal, "declaration": declaration},
                      status=403)
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(member=member, proposal=proposal, has_conflict=form.cleaned_data["has_conflict"],
                                      reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(request, _("Your conflict of interest is recorded. You will not see, score or vote on "
                                         "this proposal."))
                return redirect("committee:workspace")
            return redirect("committee:proposal", pk=proposal.pk)
    return render(request, "committee/declare.html", {
        "proposal": proposal, "form": form, "declaration": declaration,
    })


def _committee_file(request, pk):
    """The proposal as the committee reads it; members only after declaring no conflict."""
    if request.user.has_perm("committee.manage"):
        proposal = get_object_or_404(Proposal, pk=pk)
        return None, proposal
    member, proposal = _proposal_before_member(request, pk)
    if request.user.has_perm("committee.read_proposal", proposal):
        return member, proposal
    declaration = selectors.declaration_for(member=member, proposal=proposal)
    if declaration is None:
        return member, redirect("committee:declare", pk=proposal.pk)
    return member, render(request, "committee/conflicted.html",
                          {"proposal": proposal, "declaration": declaration}, status=403)


@login_required
def proposal(request, pk):
    member, found = _committee_file(request, pk)
    if not isinstance(found, Proposal):
        return found
    proposal = (
        Proposal.objects.select_related("track__programme", "organisation", "cycle", "owner")
        .prefetch_related("attachments", "contacts").get(pk=found.pk)
    )
    review = selectors.own_review(member=member, proposal=proposal) if member else None
    user = request.user
    spread = selectors.score_spread(proposal=proposal) if user.has_perm("committee.see_spread", proposal) else None
    item = selectors.open_agenda_item_for(proposal=proposal)
    return render(request, "committee/proposal.html", {
        "proposal": proposal, "member": member, "review": review, "spread": spread,
        "reports": selectors.pre_consulting_reports(proposal=proposal),
        "screening_notes": selectors.screening_notes(proposal=proposal),
        # Scoring and voting are a member's own acts (staff, superusers included, only watch them).
        "can_score": bool(member and user.has_perm("committee.score", proposal)),
        "agenda_item": item, "can_vote": bool(item and member and user.has_perm("committee.vote", item)),
        "vote_form": forms.VoteForm(), "is_staff": user.has_perm("committee.manage"),
    })


@login_required
def review(request, pk):
    member, found = _committee_file(request, pk)
    if not isinstance(found, Proposal):
        return found
    if member is None:
        raise PermissionDenied
    proposal = found
    if not request.user.has_perm("committee.score", proposal):
        raise PermissionDenied
    existing = selectors.own_review(member=member, proposal=proposal)
    form = forms.ReviewForm(request.POST or None, criteria=selectors.criteria_for(proposal), review=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(member=member, proposal=proposal, scores=form.scores(),
                                   comment=form.cleaned_data["comment"])
        except ValidationError as error:
            _form_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your review is submitted."))
            return redirect("committee:proposal", pk=proposal.pk)
    return render(request, "committee/review.html", {"proposal": proposal, "form": form})


@login_required
@require_POST
def vote(request, item_pk):
    member = _member_or_403(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "proposal"), pk=item_pk)
    form = forms.VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.CHOOSE_A_VOTE)
    else:
        try:
            services.vote_cast(member=member, agenda_item=item, choice=form.cleaned_data["choice"])
        except DomainError as error:  # the meeting's state or way of voting: said on the page, nothing lost
            messages.error(request, error.message)
        except (ValidationError, PermissionDenied) as error:
            raise PermissionDenied(str(getattr(error, "message", error))) from error
        else:
            messages.success(request, _("Your vote is recorded."))
    return redirect("committee:proposal", pk=item.proposal_id)


# --- staff pages -------------------------------------------------------------------------------------------


@login_required
def meeting_create(request):
    _staff_only(request)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                programme=data["programme"], cycle=data["cycle"], title=data["title"], starts_at=data["starts_at"],
                place=data["place"], video_link=data["video_link"], decision_rule=data["decision_rule"],
                voting_mode=data["voting_mode"], by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(meeting)
    return render(request, "committee/meeting_form.html", {"form": form})


def _posted_or_404(queryset, request, field):
    """The row a form's button names by id. A missing, non-numeric or impossibly long id is as unknown as one that
    does not exist: 404, where get_object_or_404 would have raised ValueError on "abc" (a 500)."""
    value = request.POST.get(field, "")
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404(_("No such item."))
    return get_object_or_404(queryset, pk=int(value))


def _meeting_or_404(request, pk) -> Meeting:
    """Staff see every meeting; a member the meetings they serve at (others are as unknown as missing ones)."""
    meeting = get_object_or_404(Meeting.objects.select_related("programme", "cycle__programme", "decision_rule"),
                                pk=pk)
    if not request.user.has_perm("committee.see_meeting", meeting):
        if request.user.has_perm("committee.access"):
            raise Http404
        raise PermissionDenied(rules.NOT_MEMBER)
    return meeting


@login_required
def meeting(request, pk):
    meeting = _meeting_or_404(request, pk)
    if not request.user.has_perm("committee.manage"):
        return _member_meeting(request, meeting)
    in_room = meeting.voting_mode == VotingMode.IN_ROOM
    serving = selectors.serving_members(day=selectors.meeting_day(meeting))
    present_ids = list(meeting.attendances.filter(present=True).values_list("member_id", flat=True))
    attendance_form = forms.AttendanceForm(initial={"present": present_ids}, serving=serving)
    decision_form = forms.DecisionForm(in_room=in_room)
    decision_for = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                services.meeting_open(meeting=meeting, by=request.user)
                messages.success(request, _("The meeting is open: record attendance, then the votes and decisions."))
                return redirect(meeting)
            if action == "close":
                services.meeting_close(meeting=meeting, by=request.user)
                messages.success(request, _("The meeting is closed."))
                return redirect(meeting)
            if action == "agenda_add":
                proposal = _posted_or_404(Proposal.objects.all(), request, "proposal")
                services.agenda_item_add(meeting=meeting, proposal=proposal, by=request.user)
                return redirect(meeting)
            if action == "agenda_remove":
                item = _posted_or_404(AgendaItem.objects.filter(meeting=meeting), request, "item")
                services.agenda_item_remove(item=item, by=request.user)
                return redirect(meeting)
            if action == "attendance":
                attendance_form = forms.AttendanceForm(request.POST, serving=serving)
                if attendance_form.is_valid():
                    services.attendance_record(meeting=meeting, present=attendance_form.cleaned_data["present"],
                                               by=request.user)
                    messages.success(request, _("Attendance recorded."))
                    return redirect(meeting)
            if action == "decide":
                decision_for = _posted_or_404(AgendaItem.objects.filter(meeting=meeting), request, "item")
                decision_form = forms.DecisionForm(request.POST, in_room=in_room,
                                                   auto_id=f"id_item{decision_for.pk}_%s")
                if decision_form.is_valid():
                    try:
                        services.decision_record(meeting=meeting, proposal=decision_for.proposal, by=request.user,
                                                 **decision_form.cleaned_data)
                    except ValidationError as error:
                        _form_errors(decision_form, error)
                    except DomainError as error:
                        # The refusal (rule not met, no quorum...) stays beside the counts typed, which are kept.
                        decision_form.add_error(None, error.message)
                    else:
                        messages.success(request, _("Decision recorded; the decision letter waits for review."))
                        return redirect(meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except DomainError as error:
            messages.error(request, error.message)
    agenda = selectors.meeting_agenda(meeting=meeting)
    # The whole agenda's quorums and tallies at once: the page costs the same queries for 3 items or 30. (.get: an
    # item removed by someone else between these reads shows blank cells rather than a 500.)
    quorums, tallies = selectors.quorums_for_meeting(meeting=meeting), selectors.vote_tallies(meeting=meeting)
    for item in agenda:
        item.quorum, item.tally = quorums.get(item.proposal_id), tallies.get(item.pk)
        # Each item its own form (ids of its own): the one just refused keeps what staff typed and its errors.
        item.decision_form = decision_form if decision_for and decision_for.pk == item.pk else forms.DecisionForm(
            in_room=in_room, auto_id=f"id_item{item.pk}_%s")
    return render(request, "committee/meeting.html", {
        "meeting": meeting, "agenda": agenda, "in_room": in_room,
        "candidates": page_of(request, selectors.agenda_candidates(meeting=meeting)),
        "attendance_form": attendance_form, "decision_form": decision_form, "decision_for": decision_for,
        "quorum": selectors.quorum_for(meeting=meeting), "minutes": Minutes.objects.filter(meeting=meeting).first(),
        "rule": selectors.rule_for(meeting), "open_refusal": services.meeting_opens_on_refusal(meeting),
        "ranking": selectors.agenda_ranking(meeting=meeting),
    })


def _member_meeting(request, meeting: Meeting):
    """The member's own view of a meeting: the invitation, agenda, papers, their reviews still due, the ranking
    (once the meeting is open) and the minutes once final."""
    member = _member_or_403(request)
    agenda = selectors.member_meeting_agenda(meeting=meeting, member=member)
    minutes = Minutes.objects.filter(meeting=meeting).only("status", "finalised_at", "meeting_id").first()
    meeting.minutes = minutes  # rules.minutes_final reads it without another query
    user = request.user
    return render(request, "committee/member_meeting.html", {
        "meeting": meeting, "member": member, "agenda": agenda,
        "reviews_due": [item for item in agenda if item.review_due],
        "rule": selectors.rule_for(meeting),
        "ranking": selectors.agenda_ranking(meeting=meeting, member=member)
        if user.has_perm("committee.see_ranking", meeting) else None,
        "minutes": minutes if user.has_perm("committee.read_minutes", meeting) else None,
        "attended": meeting.attendances.filter(member=member, present=True).exists(),
    })


@login_required
def meeting_invitation(request, pk):
    meeting = _meeting_or_404(request, pk)
    content = meeting_calendar(meeting, attendee=request.user, language=get_language())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="committee-meeting-{meeting.pk}.ics"'
    return response


@login_required
def assign(request, pk):
    _staff_only(request)
    proposal = get_object_or_404(Proposal.objects.select_related("track", "organisation", "cycle"), pk=pk)
    form = forms.AssignForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                assignment = _posted_or_404(Assignment.objects.filter(proposal=proposal), request, "assignment")
                services.assignment_remove(assignment=assignment, by=request.user)
                return redirect("committee:assign", pk=proposal.pk)
            if request.POST.get("action") == "suggested":
                services.suggested_reviewers_assign(proposal=proposal, by=request.user)
                return redirect("committee:assign", pk=proposal.pk)
            if form.is_valid():
                services.assignment_create(proposal=proposal, member=form.cleaned_data["member"], by=request.user)
                return redirect("committee:assign", pk=proposal.pk)
        except ValidationError as error:
            _form_errors(form, error)
    assigned = selectors.assignments_for(proposal=proposal)
    declarations = {d.member_id: d for d in proposal.conflict_declarations.all()}
    for assignment in assigned:
        assignment.declaration = declarations.get(assignment.member_id)
    return render(request, "committee/assign.html", {
        "proposal": proposal, "form": form, "assignments": assigned,
        "suggestions": services.assignment_suggest(proposal=proposal),
        "meetings": selectors.meetings_for_proposal(proposal=proposal),
    })


@login_required
def minutes(request, pk):
    _staff_only(request)
    meeting = get_object_or_404(Meeting.objects.select_related("cycle"), pk=pk)
    record = Minutes.objects.filter(meeting=meeting).first()
    form = forms.MinutesForm(request.POST or None, instance=record) if record else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "generate":
                services.minutes_generate(meeting=meeting, by=request.user)
                return redirect("committee:minutes", pk=meeting.pk)
            if action == "finalise" and record:
                services.minutes_finalise(minutes=record, by=request.user)
                messages.success(request, _("The minutes are final."))
                return redirect("committee:minutes", pk=meeting.pk)
            if action == "save" and record:
                body = request.POST.get("body", "")
                services.minutes_update(minutes=record, body=body, by=request.user)
                messages.success(request, _("Minutes saved."))
                return redirect("committee:minutes", pk=meeting.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except DomainError as error:
            messages.error(request, error.message)
    return render(request, "committee/minutes.html", {"meeting": meeting, "minutes": record, "form": form})


@login_required
def minutes_download(request, pk):
    meeting = _meeting_or_404(request, pk)
    record = get_object_or_404(Minutes.objects.select_related("meeting"), meeting=meeting)
    meeting.minutes = record
    if not request.user.has_perm("committee.read_minutes", meeting):
        raise PermissionDenied(rules.MINUTES_WHEN_FINAL)
    response = HttpResponse(minutes_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{record.meeting_id}.pdf"'
    return response


@login_required
def letters(request):
    _staff_only(request)
    return render(request, "committee/letters.html", {"letters": page_of(request, selectors.letter_list())})


@login_required
def letter(request, pk):
    _staff_only(request)
    record = get_object_or_404(DecisionLetter.objects.select_related("decision__proposal", "decision__meeting"), pk=pk)
    form = forms.LetterForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "approve":  # saved and sent in one step
                services.letter_approve(letter=record, message=form.cleaned_data["message"], by=request.user)
                messages.success(request, _("The letter is approved and sent to the applicant."))
                return redirect("committee:letters")
            services.letter_update(letter=record, message=form.cleaned_data["message"], by=request.user)
            messages.success(request, _("Draft saved."))
            return redirect("committee:letter", pk=record.pk)
        except DomainError as error:
            messages.error(request, error.message)
    return render(request, "committee/letter.html", {"letter": record, "form": form})

"""The applicant's pages. Thin: load through selectors, ask rules, call services, show their refusals as messages."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries.fields import Country

from accounts.rules import is_applicant, is_staff_member
from core.errors import Conflict, DomainError
from proposals import rules, selectors, services
from proposals.eligibility import proposal_checklist
from proposals.forms import (
    STEP_FORMS,
    STEP_LABELS,
    STEP_SLUGS,
    STEPS,
    AttachmentForm,
    InvitationForm,
    MessageForm,
    ProposalStartForm,
    ResubmitForm,
    WithdrawForm,
    contact_formset,
    contacts_from,
    step_after,
    step_before,
)
from proposals.models import (
    AttachmentKind,
    Invitation,
    JurisdictionLevel,
    Message,
    Proposal,
    ServiceLevel,
    SolutionCategory,
    StatusChange,
)
from proposals.workflow import EDITABLE_STATES, FINAL_STATES, Status

# --- loading and permission helpers ----------------------------------------------------------------------


def _visible_or_404(request, pk):
    try:
        return selectors.proposal_detail(user=request.user, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def _forbidden(request, proposal, message):
    return render(request, "proposals/forbidden.html", {"proposal": proposal, "reason": message}, status=403)


def _edit_refusal(request, proposal):
    """None when the person may edit; otherwise the response that explains why not."""
    if request.user.has_perm("proposals.change_proposal", proposal):
        return None
    if proposal.status not in EDITABLE_STATES:
        messages.warning(
            request,
            _("This proposal is %(status)s and can no longer be edited.")
            % {"status": proposal.get_status_display().lower()},
        )
        return redirect(proposal)
    return _forbidden(
        request, proposal,
        _("Only the proposal's owner and the colleagues they invited can edit it. Ask %(owner)s to invite you.")
        % {"owner": proposal.owner.get_full_name()},
    )


def _error_messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    if isinstance(exc, DomainError):
        return [str(exc.message)]
    return [str(exc) or _("You are not allowed to do this.")]


def _flash_errors(request, exc) -> None:
    for text in _error_messages(exc):
        messages.error(request, text)


def _add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _next_steps() -> dict[str, str]:
    return {level.status: level.next_step for level in ServiceLevel.objects.all()}


def _next_step_text(proposal, levels: dict[str, str]) -> str:
    status = proposal.shown_status  # what this viewer may see (an unreleased decision is still "in review")
    if status == Status.DRAFT:
        return _("Complete the form and submit it")
    if status == Status.INFO_REQUESTED and status not in levels:
        return _("Answer the information request and resubmit")
    return levels.get(status, "")


def _short_time(value) -> str:
    return formats.time_format(timezone.localtime(value), "H:i")


# --- workspace and starting a proposal -------------------------------------------------------------------


def _organisation_create_url(next_url: str) -> str:
    return f"{reverse('accounts:organisation-create')}?{urlencode({'next': next_url})}"


@login_required
def workspace(request):
    proposals = list(selectors.proposal_list(user=request.user))
    has_organisation = request.user.memberships.exists()
    if is_applicant(request.user) and not has_organisation and not proposals:
        return redirect(_organisation_create_url(reverse("proposals:workspace")))
    levels = _next_steps()
    shared = set(request.user.shared_proposals.values_list("pk", flat=True))
    for proposal in proposals:
        proposal.next_step_text = _next_step_text(proposal, levels)
        # Same rule as rules.can_edit_proposal, without a query per row.
        proposal.is_editable = proposal.status in EDITABLE_STATES and (
            proposal.owner_id == request.user.pk or proposal.pk in shared
        )
    return render(request, "proposals/workspace.html", {
        "proposals": proposals,
        "can_start": is_applicant(request.user),
        "has_organisation": has_organisation,
    })


@login_required
def proposal_start(request):
    if not request.user.has_perm("proposals.create_proposal"):
        return _forbidden(request, None, _("Only applicants can start a proposal."))
    organisation = request.user.organisation
    if organisation is None:
        return redirect(_organisation_create_url(reverse("proposals:start")))
    form = ProposalStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                by=request.user, track=form.cleaned_data["track"], title=form.cleaned_data["title"],
                organisation=organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            for text in _error_messages(exc):
                form.add_error(None, text)
        else:
            messages.success(request, _("Your draft is created. It is saved as you go; submit it when it is ready."))
            return redirect("proposals:edit", pk=proposal.pk, step=STEP_SLUGS[0])
    tracks = list(form.fields["track"].queryset)
    for track in tracks:
        track.is_eligible = organisation.kind in track.eligible_organisation_kinds
    return render(request, "proposals/start.html", {"form": form, "tracks": tracks, "organisation": organisation})


# --- the multi-step form ---------------------------------------------------------------------------------


def _step_nav(proposal, current: str, problems=None) -> list[dict]:
    problem_steps = {p.step for p in (problems or [])}
    return [
        {
            "slug": slug, "label": label, "number": i, "current": slug == current,
            "url": reverse("proposals:edit", args=[proposal.pk, slug]), "has_problem": slug in problem_steps,
        }
        for i, (slug, label) in enumerate(STEPS, start=1)
    ]


def _step_context(request, proposal, step: str, **extra) -> dict:
    index = STEP_SLUGS.index(step)
    previous, following = step_before(step), step_after(step)
    return {
        "proposal": proposal,
        "step": step,
        "step_label": STEP_LABELS[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "progress": round(100 * (index + 1) / len(STEPS)),
        "steps": _step_nav(proposal, step),
        "previous_url": reverse("proposals:edit", args=[proposal.pk, previous]) if previous else "",
        "next_url": reverse("proposals:edit", args=[proposal.pk, following]) if following else "",
        "next_label": STEP_LABELS[following] if following else "",
        "is_owner": rules.is_proposal_owner(request.user, proposal),
        **extra,
    }


def field_display(proposal, name: str, value) -> str:
    """A proposal field's value as a person reads it (labels for choices, names for countries)."""
    if value in (None, "", []):
        return "—"
    if name == "solution_categories":
        return ", ".join(str(SolutionCategory(c).label) for c in value if c in SolutionCategory.values)
    if name == "country":
        return Country(str(value)).name or str(value)
    if name == "jurisdiction_level":
        return str(JurisdictionLevel(value).label) if value in JurisdictionLevel.values else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _conflict_rows(form, latest) -> list[dict]:
    """The fields where the person's typed value and the latest saved value differ."""
    rows = []
    for name in form._meta.fields:
        typed = form.cleaned_data.get(name)
        saved = getattr(latest, name)
        if name == "track":
            same = (typed.pk if typed else None) == latest.track_id
        elif name == "country":
            same = (typed or "") == str(saved or "")
        else:
            same = typed == saved
        if not same:
            rows.append({
                "name": name,
                "label": form.fields[name].label,
                "yours": field_display(latest, name, typed),
                "theirs": field_display(latest, name, saved),
            })
    return rows


@login_required
def edit(request, pk, step):
    if step not in STEP_SLUGS:
        raise Http404
    proposal = _visible_or_404(request, pk)
    refusal = _edit_refusal(request, proposal)
    if refusal is not None:
        return refusal
    if step == "documents":
        return _documents_step(request, proposal)

    form_class = STEP_FORMS[step]
    conflict = None
    unsaved = False
    formset = None
    if request.method == "POST":
        form = form_class(request.POST, proposal=proposal)
        if step == "basics":
            formset = contact_formset(proposal, request.POST)
        form_ok = form.is_valid()
        formset_ok = formset is None or formset.is_valid()
        if form_ok and formset_ok:
            try:
                services.proposal_update(
                    proposal=proposal, by=request.user, data=form.service_data(),
                    expected_version=form.cleaned_data["version"],
                )
                if formset is not None and formset.has_changed():
                    services.proposal_contacts_set(proposal=proposal, by=request.user, contacts=contacts_from(formset))
            except Conflict as exc:
                latest = Proposal.objects.select_related("track").get(pk=proposal.pk)
                conflict = {
                    "message": exc.message,
                    "rows": _conflict_rows(form, latest),
                    "saved_at": latest.updated_at,
                }
                # The next save is a deliberate choice to keep this text over the latest version.
                form.data = form.data.copy()
                form.data["version"] = latest.version
                unsaved = True
            except PermissionDenied as exc:
                _flash_errors(request, exc)
                return redirect(proposal)
            except ValidationError as exc:
                _add_form_errors(form, exc)
                unsaved = True
            else:
                messages.success(
                    request, _("Saved at %(time)s.") % {"time": _short_time(proposal.updated_at)}
                )
                following = step_after(step)
                if "continue" in request.POST and following:
                    return redirect("proposals:edit", pk=proposal.pk, step=following)
                return redirect("proposals:edit", pk=proposal.pk, step=step)
        else:
            unsaved = True
    else:
        form = form_class(proposal=proposal)
        if step == "basics":
            formset = contact_formset(proposal)

    extra = {}
    if step == "review":
        problems = proposal_checklist(proposal)
        extra = {
            "problems": [
                {"message": p.message, "code": p.code, "step": p.step, "step_label": STEP_LABELS.get(p.step, p.step),
                 "url": reverse("proposals:edit", args=[proposal.pk, p.step])
                 + ("#id_consent" if p.step == "review" else "")}
                for p in problems
            ],
            "can_submit": request.user.has_perm("proposals.submit_proposal", proposal)
            and proposal.status == Status.DRAFT,
            "contacts": list(proposal.contacts.all()),
            "attachments": list(proposal.attachments.all()),
        }
    context = _step_context(
        request, proposal, step, form=form, formset=formset, conflict=conflict, unsaved=unsaved,
        warnings=form.warnings(), autosave=step != "review",
        autosave_url=reverse("proposals:autosave", args=[proposal.pk, step]),
        form_version=form["version"].value(), **extra,
    )
    if step == "review":
        context["steps"] = _step_nav(proposal, step, problems)
    template = "proposals/step_review.html" if step == "review" else "proposals/step_form.html"
    status = 409 if conflict else 400 if unsaved else 200
    return render(request, template, context, status=status)


def _documents_step(request, proposal):
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                proposal=proposal, by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except PermissionDenied as exc:
            _flash_errors(request, exc)
            return redirect(proposal)
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.original_name})
            return redirect("proposals:edit", pk=proposal.pk, step="documents")
    attachments = list(proposal.attachments.all())
    present = {a.kind for a in attachments}
    required = [
        {"kind": kind, "label": AttachmentKind(kind).label, "present": kind in present}
        for kind in proposal.track.required_attachment_kinds
        if kind in AttachmentKind.values
    ]
    context = _step_context(request, proposal, "documents", form=form, attachments=attachments, required=required)
    return render(request, "proposals/step_documents.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    proposal = _visible_or_404(request, pk)
    refusal = _edit_refusal(request, proposal)
    if refusal is not None:
        return refusal
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except PermissionDenied as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return redirect("proposals:edit", pk=proposal.pk, step="documents")


@login_required
@require_POST
def autosave(request, pk, step):
    """The autosave script's endpoint: the same form and service as the Save button, answered in JSON."""
    if step not in STEP_FORMS or step == "review":
        raise Http404
    proposal = _visible_or_404(request, pk)
    if not request.user.has_perm("proposals.change_proposal", proposal):
        if proposal.status not in EDITABLE_STATES:
            text = _("This proposal is %(status)s and can no longer be edited.") % {
                "status": proposal.get_status_display().lower()}
        else:
            text = _("Only the proposal's owner and invited colleagues can edit it.")
        return JsonResponse({"error": text}, status=403)
    form = STEP_FORMS[step](request.POST, proposal=proposal)
    formset = None
    if step == "basics" and "contacts-TOTAL_FORMS" in request.POST:
        formset = contact_formset(proposal, request.POST)
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    if formset is not None and not formset.is_valid():
        for contact_form in formset.forms:
            for name, errs in contact_form.errors.items():
                errors[contact_form.add_prefix(name)] = [str(e) for e in errs]
        if formset.non_form_errors():
            errors["__all__"] = [str(e) for e in formset.non_form_errors()]
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    try:
        services.proposal_update(
            proposal=proposal, by=request.user, data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
        if formset is not None and formset.has_changed():
            services.proposal_contacts_set(proposal=proposal, by=request.user, contacts=contacts_from(formset))
    except Conflict as exc:
        latest = Proposal.objects.only("version", "updated_at").get(pk=proposal.pk)
        return JsonResponse(
            {"error": str(exc.message), "version": latest.version, "saved_at": latest.updated_at.isoformat(),
             "saved_at_display": _short_time(latest.updated_at)},
            status=409,
        )
    except PermissionDenied as exc:
        return JsonResponse({"error": _error_messages(exc)[0]}, status=403)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse({
        "version": proposal.version,
        "saved_at": proposal.updated_at.isoformat(),
        "saved_at_display": _short_time(proposal.updated_at),
    })


@login_required
@require_POST
def submit(request, pk):
    proposal = _visible_or_404(request, pk)
    if not request.user.has_perm("proposals.submit_proposal", proposal):
        return _forbidden(
            request, proposal,
            _("Only the proposal's owner (%(owner)s) can submit it.") % {"owner": proposal.owner.get_full_name()},
        )
    if proposal.status != Status.DRAFT:
        messages.warning(request, _("This proposal was already submitted."))
        return redirect(proposal)
    form = STEP_FORMS["review"](request.POST, proposal=proposal)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; please try again."))
        return redirect("proposals:edit", pk=proposal.pk, step="review")
    try:
        # Saving the consent with the version seen on the review page also proves nobody changed it since.
        services.proposal_update(
            proposal=proposal, by=request.user, data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
        services.proposal_submit(proposal=proposal, by=request.user)
    except Conflict:
        messages.error(
            request,
            _("Someone saved changes to this proposal after you opened the review page. Check the summary and "
              "submit again."),
        )
        return redirect("proposals:edit", pk=proposal.pk, step="review")
    except ValidationError as exc:
        messages.error(request, _("The proposal cannot be submitted yet:"))
        _flash_errors(request, exc)
        return redirect("proposals:edit", pk=proposal.pk, step="review")
    except (PermissionDenied, DomainError) as exc:
        _flash_errors(request, exc)
        return redirect(proposal)
    return redirect("proposals:receipt", pk=proposal.pk)


@login_required
def receipt(request, pk):
    proposal = _visible_or_404(request, pk)
    if not proposal.reference:
        messages.info(request, _("This proposal has not been submitted yet."))
        return redirect(proposal)
    return render(request, "proposals/receipt.html", {
        "proposal": proposal, "next_step": _next_step_text(proposal, _next_steps()),
    })


# --- the proposal page and its actions ---------------------------------------------------------------------


def _detail_context(request, proposal, **forms) -> dict:
    user = request.user
    thread = Message.objects.filter(proposal=proposal).select_related("author")
    if not is_staff_member(user):
        thread = thread.filter(internal=False)
    is_owner = rules.is_proposal_owner(user, proposal)
    info_request = None
    if proposal.status == Status.INFO_REQUESTED:
        info_request = (
            StatusChange.objects.filter(proposal=proposal, to_status=Status.INFO_REQUESTED)
            .select_related("by").order_by("-at", "-id").first()
        )
    can_edit = user.has_perm("proposals.change_proposal", proposal)
    can_invite = user.has_perm("proposals.invite_collaborator", proposal)
    can_withdraw = user.has_perm("proposals.withdraw_proposal", proposal) and proposal.status not in FINAL_STATES
    context = {
        "proposal": proposal,
        "contacts": list(proposal.contacts.all()),
        "attachments": list(proposal.attachments.all()),
        "timeline": selectors.timeline_for(user=user, proposal=proposal),
        "thread": list(thread),
        "next_step": _next_step_text(proposal, _next_steps()),
        "info_request": info_request,
        "is_owner": is_owner,
        "can_edit": can_edit,
        "can_invite": can_invite,
        "can_withdraw": can_withdraw,
        "can_resubmit": is_owner and proposal.status == Status.INFO_REQUESTED,
        "can_post": user.has_perm("proposals.post_message", proposal),
        "collaborators": list(proposal.collaborators.all()),
        "pending_invitations": [i for i in proposal.invitations.all() if i.accepted_at is None] if is_owner else [],
        "message_form": forms.get("message_form") or MessageForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "resubmit_form": forms.get("resubmit_form") or ResubmitForm(),
        "invitation_form": forms.get("invitation_form") or InvitationForm(),
        "first_step": STEP_SLUGS[0],
    }
    return context


@login_required
def detail(request, pk):
    proposal = _visible_or_404(request, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


@login_required
@require_POST
def message_create(request, pk):
    proposal = _visible_or_404(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(proposal=proposal, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _add_form_errors(form, exc)
        except PermissionDenied as exc:
            _flash_errors(request, exc)
            return redirect(proposal)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(proposal.get_absolute_url() + "#messages")
    return render(request, "proposals/detail.html", _detail_context(request, proposal, message_form=form), status=400)


def _owner_form_action(request, pk, *, allowed, refusal: str, form_class, context_key: str, act, success: str):
    """A POSTed owner action on the proposal page (withdraw, resubmit): check, validate, call the service."""
    proposal = _visible_or_404(request, pk)
    if not allowed(request.user, proposal):
        return _forbidden(request, proposal, refusal % {"owner": proposal.owner.get_full_name()})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(proposal, form.cleaned_data)
        except (DomainError, PermissionDenied, ValidationError) as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, success)
        return redirect(proposal)
    return render(request, "proposals/detail.html", _detail_context(request, proposal, **{context_key: form}),
                  status=400)


@login_required
@require_POST
def withdraw(request, pk):
    return _owner_form_action(
        request, pk,
        allowed=lambda user, proposal: user.has_perm("proposals.withdraw_proposal", proposal),
        refusal=_("Only the proposal's owner (%(owner)s) can withdraw it."),
        form_class=WithdrawForm, context_key="withdraw_form",
        act=lambda proposal, data: services.proposal_withdraw(proposal=proposal, by=request.user,
                                                              reason=data["reason"]),
        success=_("The proposal is withdrawn."),
    )


@login_required
@require_POST
def resubmit(request, pk):
    return _owner_form_action(
        request, pk,
        allowed=rules.is_proposal_owner,
        refusal=_("Only the proposal's owner (%(owner)s) can resubmit it."),
        form_class=ResubmitForm, context_key="resubmit_form",
        act=lambda proposal, data: services.proposal_resubmit(proposal=proposal, by=request.user, note=data["note"]),
        success=_("The proposal is resubmitted. The secretariat has been told."),
    )


@login_required
@require_POST
def invite(request, pk):
    proposal = _visible_or_404(request, pk)
    if not request.user.has_perm("proposals.invite_collaborator", proposal):
        return _forbidden(
            request, proposal, _("Only the proposal's owner can invite colleagues while it is being drafted.")
        )
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                proposal=proposal, by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        except PermissionDenied as exc:
            _flash_errors(request, exc)
            return redirect(proposal)
        else:
            messages.success(request, _("An invitation is sent to %(email)s.") % {"email": invitation.email})
            return redirect(proposal.get_absolute_url() + "#team")
    return render(
        request, "proposals/detail.html", _detail_context(request, proposal, invitation_form=form), status=400
    )


@login_required
def invitation_accept(request, token):
    invitation = Invitation.objects.select_related("proposal", "invited_by").filter(token=token).first()
    if invitation is None:
        return render(request, "proposals/invitation.html", {"invalid": True}, status=404)
    addressed_to_me = invitation.email == request.user.email.lower()
    if request.method == "POST":
        try:
            proposal = services.invitation_accept(token=token, by=request.user)
        except PermissionDenied as exc:
            return render(request, "proposals/invitation.html",
                          {"invitation": invitation, "error": _error_messages(exc)[0]}, status=403)
        except ValidationError as exc:
            return render(request, "proposals/invitation.html",
                          {"invalid": True, "error": _error_messages(exc)[0]}, status=404)
        messages.success(request, _("You are now working on “%(title)s”.") % {"title": proposal.title})
        return redirect(proposal)
    return render(request, "proposals/invitation.html", {
        "invitation": invitation,
        "addressed_to_me": addressed_to_me,
        "error": "" if addressed_to_me else _(
            "This invitation was sent to %(email)s. Sign in with that address to accept it."
        ) % {"email": invitation.email},
    }, status=200 if addressed_to_me else 403)


@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = _visible_or_404(request, pk)
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

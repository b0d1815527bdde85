"""The multi-step proposal form. The Save button, "save and continue" and the autosave script all go through
one save flow (`step_save`): the step's form and contacts, then the drafting services; only how the outcome is
answered differs (a page, or JSON for the script)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries.fields import Country

from core.errors import Conflict
from proposals import rules, services
from proposals.eligibility import eligible_tracks, jurisdiction_holder, proposal_checklist, track_refusals
from proposals.forms import (
    STEP_FORMS,
    STEP_LABELS,
    STEP_SLUGS,
    STEPS,
    AttachmentForm,
    contact_formset,
    contacts_from,
    step_after,
    step_before,
)
from proposals.models import AttachmentKind, JurisdictionLevel, Proposal, SolutionCategory
from proposals.views.common import (
    add_form_errors,
    error_messages,
    flash_errors,
    permission_refusal,
    refusal_response,
    short_time,
    submit_refused_key,
    visible_or_404,
)
from proposals.workflow import moves_for, offers


def _edit_refusal(request, proposal):
    """None when the person may edit; otherwise the response that explains why not."""
    refused = permission_refusal(request, "proposals.change_proposal", proposal)
    return None if refused is None else refusal_response(request, proposal, refused)


# --- the one save flow -----------------------------------------------------------------------------------


SAVED, INVALID, CONFLICT, REFUSED, REJECTED = "saved", "invalid", "conflict", "refused", "rejected"


@dataclass
class StepSave:
    """What one save of a step came to. `outcome`: saved; invalid (the input did not pass the form); conflict
    (someone saved first: `error` is the Conflict); refused (PermissionDenied); rejected (the service's own
    ValidationError)."""

    form: object
    formset: object | None
    outcome: str
    error: Exception | None = None


def step_save(request, proposal, step: str, *, with_contacts: bool) -> StepSave:
    """Validate the posted step (and its contact people when `with_contacts`) and save it through the services."""
    form = STEP_FORMS[step](request.POST, proposal=proposal)
    formset = contact_formset(proposal, request.POST) if with_contacts else None
    form_ok = form.is_valid()
    formset_ok = formset is None or formset.is_valid()
    if not (form_ok and formset_ok):
        return StepSave(form, formset, INVALID)
    try:
        services.proposal_update(
            proposal=proposal, by=request.user, data=form.service_data(), expected_version=form.cleaned_data["version"],
        )
        if formset is not None and formset.has_changed():
            services.proposal_contacts_set(proposal=proposal, by=request.user, contacts=contacts_from(formset))
    except Conflict as exc:
        return StepSave(form, formset, CONFLICT, exc)
    except PermissionDenied as exc:
        return StepSave(form, formset, REFUSED, exc)
    except ValidationError as exc:
        return StepSave(form, formset, REJECTED, exc)
    return StepSave(form, formset, SAVED)


# --- the form's pages ------------------------------------------------------------------------------------


def _step_nav(proposal, current: str, problems=None) -> list[dict]:
    problem_steps = {p.step for p in (problems or [])}
    return [
        {
            "slug": slug, "label": label, "number": i, "current": slug == current,
            "url": reverse("proposals:edit", args=[proposal.pk, slug]), "has_problem": slug in problem_steps,
        }
        for i, (slug, label) in enumerate(STEPS, start=1)
    ]


def _eligibility_context(proposal) -> dict:
    """The track's eligibility and the one-per-jurisdiction rule, checked on every step of the form."""
    problems = track_refusals(proposal.track, organisation=proposal.organisation, proposal=proposal)
    return {
        "eligibility_problems": problems,
        "eligible_alternatives": eligible_tracks(proposal.organisation, exclude=proposal.track) if problems else [],
        "jurisdiction": jurisdiction_holder(proposal),
    }


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
        **(_eligibility_context(proposal) if step != "review" else {}),  # the review lists them in its checklist
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


def _problem_url(proposal, problem) -> str:
    """Where a checklist problem is put right: its step, at the field when the step's form has it."""
    if problem.step == "review":
        return reverse("proposals:edit", args=[proposal.pk, "review"]) + "#id_consent"
    url = reverse("proposals:edit", args=[proposal.pk, problem.step])
    kind, _sep, name = problem.code.partition(":")
    step_form = STEP_FORMS.get(problem.step)
    if kind == "missing" and step_form is not None and name in step_form.base_fields:
        return f"{url}#id_{name}"
    if problem.code == "missing:contacts":
        return f"{url}#contacts"
    return url


def _submit_refusal_items(request, proposal, problem_rows) -> list[dict]:
    """After a refused submit: one error summary, each reason a link to where it is put right (once)."""
    reasons = request.session.pop(submit_refused_key(proposal.pk), None)
    if reasons is None:
        return []
    items = [{"message": row["message"], "href": row["url"]} for row in problem_rows]
    known = {str(row["message"]) for row in problem_rows}
    items.extend({"message": reason, "href": "#checklist"} for reason in reasons if reason not in known)
    return items


@login_required
def edit(request, pk, step):
    if step not in STEP_SLUGS:
        raise Http404
    proposal = visible_or_404(request, pk)
    refusal = _edit_refusal(request, proposal)
    if refusal is not None:
        return refusal
    if step == "documents":
        return _documents_step(request, proposal)

    conflict = None
    unsaved = False
    if request.method == "POST":
        saved = step_save(request, proposal, step, with_contacts=step == "basics")
        form, formset = saved.form, saved.formset
        if saved.outcome == SAVED:
            messages.success(request, _("Saved at %(time)s.") % {"time": short_time(proposal.updated_at)})
            following = step_after(step)
            if "continue" in request.POST and following:
                return redirect("proposals:edit", pk=proposal.pk, step=following)
            return redirect("proposals:edit", pk=proposal.pk, step=step)
        if saved.outcome == REFUSED:
            flash_errors(request, saved.error)
            return redirect(proposal)
        if saved.outcome == CONFLICT:
            latest = Proposal.objects.select_related("track").get(pk=proposal.pk)
            conflict = {"message": saved.error.message, "rows": _conflict_rows(form, latest),
                        "saved_at": latest.updated_at}
            # The next save is a deliberate choice to keep this text over the latest version.
            form.data = form.data.copy()
            form.data["version"] = latest.version
        elif saved.outcome == REJECTED:
            add_form_errors(form, saved.error)
        unsaved = True
    else:
        form = STEP_FORMS[step](proposal=proposal)
        formset = contact_formset(proposal) if step == "basics" else None

    extra = {}
    if step == "review":
        problems = proposal_checklist(proposal)
        problem_rows = [
            {"message": p.message, "code": p.code, "step": p.step, "step_label": STEP_LABELS.get(p.step, p.step),
             "url": _problem_url(proposal, p)}
            for p in problems
        ]
        extra = {
            "problems": problem_rows,
            "error_summary_items": _submit_refusal_items(request, proposal, problem_rows),
            "can_submit": offers(moves_for(request.user, proposal), "submit"),
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


@login_required
@require_POST
def autosave(request, pk, step):
    """The autosave script's endpoint: the same save flow as the Save button, answered in JSON."""
    if step not in STEP_FORMS or step == "review":
        raise Http404
    proposal = visible_or_404(request, pk)
    refused = permission_refusal(request, "proposals.change_proposal", proposal)
    if refused is not None:
        return JsonResponse({"error": refused.reason}, status=403)
    # The script sends the contact people only when that part of the page changed.
    with_contacts = step == "basics" and "contacts-TOTAL_FORMS" in request.POST
    saved = step_save(request, proposal, step, with_contacts=with_contacts)
    if saved.outcome == INVALID:
        form, formset = saved.form, saved.formset
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        if formset is not None:
            for contact_form in formset.forms:
                for name, errs in contact_form.errors.items():
                    errors[contact_form.add_prefix(name)] = [str(e) for e in errs]
            if formset.non_form_errors():
                errors["__all__"] = [str(e) for e in formset.non_form_errors()]
        return JsonResponse({"errors": errors}, status=400)
    if saved.outcome == CONFLICT:
        latest = Proposal.objects.only("version", "updated_at").get(pk=proposal.pk)
        return JsonResponse(
            {"error": str(saved.error.message), "version": latest.version, "saved_at": latest.updated_at.isoformat(),
             "saved_at_display": short_time(latest.updated_at)},
            status=409,
        )
    if saved.outcome == REFUSED:
        return JsonResponse({"error": error_messages(saved.error)[0]}, status=403)
    if saved.outcome == REJECTED:
        exc = saved.error
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse({
        "version": proposal.version,
        "saved_at": proposal.updated_at.isoformat(),
        "saved_at_display": short_time(proposal.updated_at),
    })


# --- the documents step ----------------------------------------------------------------------------------


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
            flash_errors(request, exc)
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
    proposal = visible_or_404(request, pk)
    refusal = _edit_refusal(request, proposal)
    if refusal is not None:
        return refusal
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except PermissionDenied as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return redirect("proposals:edit", pk=proposal.pk, step="documents")

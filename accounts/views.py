from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import OrganisationForm, ProfileForm
from accounts.hooks import profile_sections
from core.redirects import safe_next_url


@login_required
def organisation_create(request):
    if request.user.memberships.exists():
        return redirect("proposals:workspace")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You cannot register an organisation."))
        else:
            messages.success(request, _("Your organisation is registered. You can now start a proposal."))
            return redirect(safe_next_url(request, reverse("proposals:workspace")))
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
def profile(request):
    # Other apps add their own sections (accounts.hooks.profile_sections); a section's form posts with
    # save_<key>, and only that section is read and saved.
    sections = profile_sections.collect(user=request.user)
    posted = next((s for s in sections if f"save_{s.key}" in request.POST), None) if request.method == "POST" else None
    if posted is not None:
        return _section_save(request, sections, posted)
    if request.method == "POST" and "revoke_api_token" in request.POST:
        services.api_tokens_revoke(user=request.user, by=request.user, reason="revoked_by_owner")
        messages.success(request, _("Your API token is revoked. Ask for a new one when you need it."))
        return redirect("accounts:profile")
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, by=request.user, data=form.cleaned_data)
        translation.activate(request.user.language)
        messages.success(request, _("Your settings are saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
        return response
    return _profile_page(request, form, sections)


def _section_save(request, sections, posted):
    section_form = posted.form(user=request.user, data=request.POST)
    if section_form.is_valid():
        posted.save(user=request.user, form=section_form)
        messages.success(request, posted.saved_message)
        return redirect("accounts:profile")
    return _profile_page(request, ProfileForm(instance=request.user), sections, bound={posted.key: section_form})


def _profile_page(request, form, sections, bound=None):
    bound = bound or {}
    return render(request, "accounts/profile.html", {
        "form": form,
        "sections": [
            {"section": s, "form": bound[s.key] if s.key in bound else s.form(user=request.user)} for s in sections
        ],
        "api_token": services.api_token_of(user=request.user),
    })

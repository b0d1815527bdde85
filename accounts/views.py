from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import NotificationPreferencesForm, OrganisationForm, ProfileForm
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
    if request.method == "POST" and "save_notifications" in request.POST:
        return _notification_preferences_save(request)
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
    return render(request, "accounts/profile.html", {
        "form": form, "notification_form": NotificationPreferencesForm(user=request.user),
        "api_token": services.api_token_of(user=request.user),
    })


def _notification_preferences_save(request):
    from notifications.preferences import email_preferences_set

    notification_form = NotificationPreferencesForm(request.POST, user=request.user)
    if notification_form.is_valid():
        email_preferences_set(user=request.user, by=request.user,
                              email_events=notification_form.cleaned_data["email_events"])
        messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:profile")
    form = ProfileForm(instance=request.user)
    return render(request, "accounts/profile.html", {"form": form, "notification_form": notification_form})

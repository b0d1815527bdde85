"""How allauth hands a person over to the portal after sign-in, sign-up and e-mail confirmation."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.urls import reverse

from accounts.models import Role
from kcity.redirects import is_safe_redirect


class PortalAccountAdapter(DefaultAccountAdapter):
    """An explicit ?next= (e.g. from an invitation link) always wins: allauth checks it before asking us."""

    def is_safe_url(self, url):
        # The portal's one check (same host, https when the request is), not allauth's wider ALLOWED_HOSTS list.
        return is_safe_redirect(context.request, url)

    def get_login_redirect_url(self, request):
        # A new applicant cannot start a proposal before saying which organisation they act for: send them
        # there first instead of to an empty workspace.
        user = request.user
        if user.is_authenticated and user.role == Role.APPLICANT and not user.memberships.exists():
            return reverse("accounts:organisation-create")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Decided when the sign-up form is sent, before the person exists as a signed-in user; used when they
        # confirm their address in the same browser. Everyone who signs up on the public form is a new applicant.
        return reverse("accounts:organisation-create")

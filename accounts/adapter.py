"""How allauth hands a person over to the portal after sign-in, sign-up and e-mail confirmation, and how its
e-mails are rendered."""

import zoneinfo
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, User
from core.redirects import is_safe_redirect


def portal_site() -> SimpleNamespace:
    """The site as e-mails name it, from settings (SITE_NAME, SITE_URL): never the Sites row's "example.com"
    default, and the same on every host name the portal answers to."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


# Where each role's work is (URL names only: accounts imports no higher app). Applicants and centre staff land on
# the proposals workspace (a centre's officers see their region's proposals there), LOGIN_REDIRECT_URL.
WORKSPACE_BY_ROLE = {
    Role.STAFF: "proposals_staff:inbox",
    Role.CONSULTANT: "consulting:consultant-home",
    Role.COMMITTEE_MEMBER: "committee:workspace",
    Role.CENTRE_STAFF: "cooperation:region",  # the centre's regional dashboard: its countries' proposals and projects
    Role.CONTRACTOR: "cooperation:projects",  # a contractor works only on the projects they were invited onto
    Role.APPLICANT: "proposals:workspace",
}


def workspace_url_for(user) -> str | None:
    """The page a person lands on after signing in, when no safe `next` says otherwise."""
    if not (user and user.is_authenticated):
        return None
    if user.is_superuser:
        return reverse(WORKSPACE_BY_ROLE[Role.STAFF])
    name = WORKSPACE_BY_ROLE.get(user.role)
    return reverse(name) if name else None


def account_for_mail(email: str, context: dict) -> User | None:
    """The account an allauth mail is about: the context's user where allauth gives one (confirmation, reset,
    notices), else the account the address belongs to (account_already_exists, a reset asked by address)."""
    user = context.get("user")
    if isinstance(user, User):
        return user
    return User.objects.filter(email__iexact=email).first() if email else None


def _zone(value) -> zoneinfo.ZoneInfo:
    if isinstance(value, zoneinfo.ZoneInfo):
        return value
    try:
        return zoneinfo.ZoneInfo(str(value or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class PortalAccountAdapter(DefaultAccountAdapter):
    """An explicit ?next= (e.g. from an invitation link) always wins: allauth checks it before asking us."""

    def is_safe_url(self, url):
        # The portal's one check (same host, https when the request is), not allauth's wider ALLOWED_HOSTS list.
        return is_safe_redirect(allauth_context.request, url)

    def get_login_redirect_url(self, request):
        # A new applicant cannot start a proposal before saying which organisation they act for: send them
        # there first instead of to an empty workspace.
        user = request.user
        if (user.is_authenticated and user.role == Role.APPLICANT and not user.is_superuser
                and not user.memberships.exists()):
            return reverse("accounts:organisation-create")
        landing = workspace_url_for(user)
        return landing or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Decided when the sign-up form is sent, before the person exists as a signed-in user; used when they
        # confirm their address in the same browser. Everyone who signs up on the public form is a new applicant.
        return reverse("accounts:organisation-create")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's contexts (password reset among them) carry get_current_site(request): the Sites row. Ours
        # comes from settings, set last so no caller's copy wins.
        context = {**context, "current_site": portal_site()}
        # An account's mail (password reset, address confirmation, "you already have an account", change
        # notices) goes in the account's language and time zone, not those of the browser that asked for it: a
        # reset may be asked from a colleague's machine or an English page. Nobody known: the page's language.
        account = account_for_mail(email, context)
        if account is None:
            super().send_mail(template_prefix, email, context)
            return
        with translation.override(account.language or settings.LANGUAGE_CODE), \
                timezone.override(_zone(account.time_zone)):
            super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails are plain text: render them with the text engine (no HTML escaping), so a name
        like "O'Brien" or "R&D" arrives as typed. The portal sends no HTML alternative."""
        to = [email] if isinstance(email, str) else email
        subject = render_to_string(f"{template_prefix}_subject.txt", context, using="text")
        subject = self.format_email_subject(" ".join(subject.splitlines()).strip())
        body = render_to_string(f"{template_prefix}_message.txt", context, using="text").strip()
        return EmailMultiAlternatives(subject, body, self.get_from_email(), to, headers=headers)

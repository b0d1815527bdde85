"""The project concept's wiring (imported once from CooperationConfig.ready): the navigation's "Cooperation" link
for partner applicants, and the demo builder.

The link shows for staff, contractors and centre staff by their role; for an applicant only when their
organisation has a project. That answer is kept in the session when they sign in (and refreshed when they open
the project list), so no page pays a query for the navigation."""

from django.contrib.auth.signals import user_logged_in

from accounts.models import Membership, Role
from cooperation import demo
from cooperation.models import Project
from core.demo import demo_builder_register

NAV_SESSION_KEY = "cooperation_projects"


def partner_has_projects(user) -> bool:
    orgs = Membership.objects.filter(user_id=user.pk).values("organisation_id")
    return Project.objects.filter(partner_organisation_id__in=orgs).exists()


def nav_flag_on_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and getattr(user, "role", None) == Role.APPLICANT:
        session[NAV_SESSION_KEY] = partner_has_projects(user)


user_logged_in.connect(nav_flag_on_login, dispatch_uid="cooperation.nav_flag_on_login")
demo_builder_register(demo.seed, order=50)  # after committee's (40): projects on approvals of earlier cycles

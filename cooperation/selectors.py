"""Reads the pages and the API share. `projects_visible_to` is the single answer to "which projects may this
person see" (lists, pages, downloads, the API and the rules agree: another party's project is a 404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Role
from cooperation.models import Project, ProjectMember
from cooperation.rules import centre_countries
from proposals.models import CooperationCentre


def projects_visible_to(user) -> QuerySet[Project]:
    qs = Project.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser or user.role == Role.STAFF:
        return qs
    if user.role == Role.CONTRACTOR:
        return qs.filter(pk__in=ProjectMember.objects.filter(user_id=user.pk).values("project_id"))
    if user.role == Role.CENTRE_STAFF:
        centres = CooperationCentre.objects.filter(staff=user).values("pk")
        return qs.filter(Q(cooperation_centre_id__in=centres) | Q(recipient_country__in=centre_countries(user)))
    return qs.filter(partner_organisation_id__in=Membership.objects.filter(user_id=user.pk).values("organisation_id"))


def project_for(user, pk) -> Project:
    """The project if this person may see it, else 404 (never 403: its existence is not told)."""
    project = (projects_visible_to(user)
               .select_related("proposal", "proposal__track", "proposal__track__programme", "partner_organisation",
                               "cooperation_centre")
               .filter(pk=pk).first())
    if project is None:
        raise Http404
    return project

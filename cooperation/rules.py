"""Who may do what on a cooperation project, and why not. Asked by name everywhere
(`user.has_perm("cooperation.<name>", project)`; services through `require`).

The parties: MOLIT staff manage every project; the partner government's team (the members of the partner
organisation) and the Korean contractors' staff invited onto it (ProjectMember) work on theirs; cooperation-centre
staff follow the projects of their region (their centre's, or in a country their centre covers). Nobody else sees
a project at all: selectors.projects_visible_to answers 404 for them. Each concept adds its own names next to these
(who submits a deliverable, who acknowledges minutes...), built on `side_of`."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.rules import is_staff_member
from cooperation.models import Project, ProjectMember, Side
from proposals.models import CooperationCentre


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def centre_countries(user) -> set[str]:
    """The countries a centre-staff person follows (their centres' own and covered countries)."""
    if not _active(user) or user.role != Role.CENTRE_STAFF:
        return set()
    cached = getattr(user, "_centre_countries", None)
    if cached is None:
        cached = set()
        centres = CooperationCentre.objects.filter(staff=user).values_list("country", "covered_countries")
        for country, covered in centres:
            cached.add(str(country))
            cached.update(str(code) for code in covered or [])
        user._centre_countries = cached
    return cached


def side_of(user, project: Project) -> str | None:
    """Which side of the project this person is on, or None if they are not on it. Staff are MOLIT's side."""
    if not _active(user) or project is None:
        return None
    if user.is_superuser or user.role == Role.STAFF:
        return Side.MOLIT
    if user.role == Role.CONTRACTOR:
        on_it = ProjectMember.objects.filter(project_id=project.pk, user_id=user.pk).exists()
        return Side.CONTRACTOR if on_it else None
    if user.role == Role.CENTRE_STAFF:
        in_region = (project.cooperation_centre_id and
                     CooperationCentre.objects.filter(pk=project.cooperation_centre_id, staff=user).exists())
        return Side.CENTRE if in_region or str(project.recipient_country) in centre_countries(user) else None
    if Membership.objects.filter(organisation_id=project.partner_organisation_id, user_id=user.pk).exists():
        return Side.PARTNER
    return None


@rules.predicate
def is_on_project(user, project):
    return side_of(user, project) is not None


@rules.predicate
def is_partner_side(user, project):
    return side_of(user, project) == Side.PARTNER


@rules.predicate
def is_contractor_side(user, project):
    return side_of(user, project) == Side.CONTRACTOR


@rules.predicate
def is_project_open(user, project):
    return bool(project is not None and project.is_open)


can_view_project = is_on_project
can_manage_project = is_staff_member  # set up and correct a project: its plan, budget, meetings, people
can_take_part = is_on_project & is_project_open  # write in the thread, upload documents

rules.add_perm("cooperation.see_project", can_view_project)
rules.add_perm("cooperation.manage_project", can_manage_project)
rules.add_perm("cooperation.take_part", can_take_part)

REFUSALS = {
    "cooperation.see_project": _("You are not a party to this project."),
    "cooperation.manage_project": _("Only MOLIT staff can change a cooperation project."),
    "cooperation.take_part": _("Only the parties to an open project can add to it."),
}


def require(user, name: str, obj=None) -> None:
    """Refuse with the permission's reason unless `user.has_perm(name, obj)`."""
    if user is None or not user.has_perm(name, obj):
        raise PermissionDenied(REFUSALS[name])

# --- project ---
from accounts.rules import is_centre_staff  # noqa: E402  (the project concept's block, appended for the merge)

can_follow_region = is_centre_staff | is_staff_member  # the regional dashboard: a centre's countries

rules.add_perm("cooperation.follow_region", can_follow_region)

REFUSALS["cooperation.follow_region"] = _("The regional dashboard is for cooperation-centre staff.")

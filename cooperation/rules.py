"""Who may do what with a cooperation project, and why not (asked by name: `user.has_perm("cooperation.<name>")`,
services through `require`)."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_staff_member

can_manage_project = is_staff_member  # correct what the secretariat keeps on a project (its conditions)

rules.add_perm("cooperation.manage_project", can_manage_project)

REFUSALS = {
    "cooperation.manage_project": _("Only MOLIT staff can change a cooperation project."),
}


def require(user, name: str, obj=None) -> None:
    """Refuse with the permission's reason unless `user.has_perm(name, obj)`."""
    if user is None or not user.has_perm(name, obj):
        raise PermissionDenied(REFUSALS[name])

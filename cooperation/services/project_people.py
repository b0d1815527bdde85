"""The Korean contractors' staff on a project: staff invite a person by e-mail for an implementing participant.
The person gets a contractor account (or keeps the one they have) and an e-mail with a link to set their password
(allauth's password-reset key, so the link is the usual one-time, time-limited kind); they then see only the
projects they were invited onto (selectors.projects_visible_to)."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from audit.services import audit_record
from cooperation.models import OrganisationRole, Participant, Project, ProjectMember
from cooperation.rules import require
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from notifications.services import notify


def set_password_path(user: User) -> str:
    """The site path of a one-time link that lets `user` choose a password (allauth's reset-from-key page)."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    return reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}).replace("UID-KEY", key)


def contractor_invite(*, project: Project, participant: Participant, email: str, full_name: str = "", by,
                      language: str = "en", time_zone: str = "Asia/Seoul") -> ProjectMember:
    """Put the person with `email` on `project`, working for `participant` (an implementing organisation of it).
    A new address gets a contractor account without a password and an e-mail to set one; an existing contractor
    is told they were added. A person with another role keeps it and is refused here (a contractor account sees
    only its projects; an applicant or a staff member must not be narrowed or widened by an invitation)."""
    require(by, "cooperation.manage_project")
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if participant.project_id != project.pk or participant.role != OrganisationRole.IMPLEMENTING:
        raise ValidationError({"participant": _("Choose one of this project's implementing organisations.")})
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if not current.is_open:
            raise TransitionRefused(_("The project is closed; nobody new joins it."))
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        created = user is None
        if user is not None and user.role != Role.CONTRACTOR:
            raise ValidationError({"email": _(
                "%(email)s already has an account as %(role)s. Invite the person with their company address."
            ) % {"email": email, "role": user.get_role_display().lower()}})
        if user is not None and ProjectMember.objects.filter(project=current, user=user).exists():
            raise ValidationError({"email": _("%(email)s already works on this project.") % {"email": email}})
        if created:
            if not full_name:
                raise ValidationError({"full_name": _("Give the person's name for their new account.")})
            user = User.objects.create_user(email=email, password=None, full_name=full_name, role=Role.CONTRACTOR,
                                            language=language, time_zone=time_zone)
            # Staff vouch for the address; only its holder can follow the set-password link sent to it.
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        member = ProjectMember.objects.create(project=current, user=user, participant=participant, added_by=by)
        audit_record(actor=by, action="project.member_invite", target=current,
                     data={"user": user.pk, "email": email, "participant": participant.pk, "new_account": created})
        event_record(project=current, by=by, kind="project.member_added",
                     params={"name": user.full_name or email, "organisation": participant.name})
        url = set_password_path(user) if created or not user.has_usable_password() else current.get_absolute_url()
        notify(event="project_contractor_invited", recipients=[user],
               context={"project": current, "participant": participant, "inviter": by, "new_account": created,
                        "project_path": current.get_absolute_url()},
               url=url)
    return member


def member_remove(*, member: ProjectMember, by) -> None:
    """Take a contractor's person off a project (their account stays; they no longer see it)."""
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=member.project_id)
        name = member.user.full_name or member.user.email
        audit_record(actor=by, action="project.member_remove", target=project,
                     data={"user": member.user_id, "participant": member.participant_id})
        event_record(project=project, by=by, kind="project.member_removed", params={"name": name})
        member.delete()


declare({
    "project.member_added": gettext_lazy("%(name)s joined the project for %(organisation)s."),
    "project.member_removed": gettext_lazy("%(name)s left the project."),
})

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Organisation, Role, User
from audit.services import audit_record


def organisation_create(*, by: User, name: str, country: str, kind: str, region_city: str = "",
                        website: str = "") -> Organisation:
    """An applicant registers the organisation they act for and becomes its administrator."""
    if not by.has_perm("accounts.create_organisation"):
        raise PermissionDenied(_("Only applicants register organisations."))
    if by.memberships.exists():
        raise ValidationError(_("You already belong to an organisation."))
    with transaction.atomic():
        organisation = Organisation(name=name.strip(), country=country, kind=kind, region_city=region_city.strip(),
                                    website=website)
        organisation.full_clean()
        organisation.save()
        Membership.objects.create(user=by, organisation=organisation, level=Membership.Level.ADMIN)
        audit_record(actor=by, action="organisation.create", target=organisation, data={"kind": kind})
    return organisation


# What a person changes on their own profile page; never role, flags, groups or the password.
PROFILE_FIELDS = frozenset({"full_name", "job_title", "phone", "language", "time_zone"})


def user_profile_update(*, user: User, by: User, data: dict) -> User:
    if by.pk != user.pk:
        raise PermissionDenied
    unknown = set(data) - PROFILE_FIELDS
    if unknown:
        raise PermissionDenied(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        for key, value in data.items():
            setattr(user, key, value)
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=by, action="user.profile", target=user, data={"fields": sorted(data)})
    return user


# --- API tokens ------------------------------------------------------------------------------------------


def api_token_expires_at(token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def api_token_is_expired(token) -> bool:
    return api_token_expires_at(token) <= timezone.now()


def api_token_of(*, user: User):
    """The person's live API token with its `expires_at`, or None (an expired one counts as none)."""
    token = Token.objects.filter(user=user).first()
    if token is None or api_token_is_expired(token):
        return None
    token.expires_at = api_token_expires_at(token)
    return token


def api_token_issue(*, user: User):
    """The person's API token, a fresh one when theirs has expired (a token lives API_TOKEN_TTL_DAYS days)."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not api_token_is_expired(token):
            return token
        if token is not None:
            token.delete()
        token = Token.objects.create(user=user)
        audit_record(actor=user, action="api_token.issue", target=user)
    return token


def api_tokens_revoke(*, user: User, by: User | None, reason: str) -> int:
    """End every API token of `user`: its owner signs out of the API, or a password or activity change."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied(_("Only the owner can revoke their API token."))
    with transaction.atomic():
        count, _deleted = Token.objects.filter(user=user).delete()
        if count:
            audit_record(actor=by, action="api_token.revoke", target=user, data={"reason": reason})
    return count


def user_credentials_changed(*, user: User, reasons: list[str]) -> None:
    """A password changed or the account was closed (any path: accounts.signals watches the row). The
    revocation writes its audit row when there was a token to end."""
    api_tokens_revoke(user=user, by=None, reason=",".join(reasons))


# --- accounts edited by staff (the back office) ---------------------------------------------------------


def _is_staff_account(user: User) -> bool:
    return bool(user.is_superuser or user.is_staff or user.role == Role.STAFF)


def user_editable_by(*, by: User, target: User | None) -> bool:
    """May `by` change `target`'s account? A superuser may change anyone; other staff may change their own
    account and people who are not staff (applicants, consultants, members), never a colleague's or a
    superuser's: that would let them take over an account with more rights, or the same rights under
    another name."""
    if by.is_superuser:
        return True
    if target is None or target.pk is None or target.pk == by.pk:
        return True
    return not _is_staff_account(target)


def groups_grantable_by(user: User):
    """The groups `user` may hand out: all for a superuser, else those whose permissions they hold themselves."""
    groups = Group.objects.prefetch_related("permissions__content_type").order_by("name")
    if user.is_superuser:
        return groups
    own = user.get_all_permissions()
    allowed = [
        g.pk for g in groups
        if all(f"{p.content_type.app_label}.{p.codename}" in own for p in g.permissions.all())
    ]
    return Group.objects.filter(pk__in=allowed).order_by("name")


def user_save_by_staff(*, by: User, user: User, changed: list[str], groups=None, user_permissions=None) -> User:
    """Save an account edited in the back office, refusing any change above the editor's own rights.

    Checked against the stored row, not the form, so no form, API or script can go round it: only a superuser
    makes superusers, sets passwords in the back office or grants single permissions; staff grant only groups
    whose permissions they hold, and never change a colleague's or a superuser's account.
    """
    created = user.pk is None
    before = None if created else User.objects.get(pk=user.pk)
    if not by.is_superuser:
        if before is not None and not user_editable_by(by=by, target=before):
            raise PermissionDenied(_("Only a superuser can change another staff member's or a superuser's account."))
        if user.is_superuser and not (before and before.is_superuser):
            raise PermissionDenied(_("Only a superuser can make someone a superuser."))
        if before is not None and user.password != before.password:
            raise PermissionDenied(_("Only a superuser can set a password here; people reset their own."))
        if user_permissions is not None and set(user_permissions) != set(
            before.user_permissions.all() if before else ()
        ):
            raise PermissionDenied(_("Only a superuser can grant single permissions."))
        if groups is not None:
            grantable = set(groups_grantable_by(by))
            current = set(before.groups.all()) if before else set()
            refused = sorted(g.name for g in set(groups) - current - grantable)
            if refused:
                raise PermissionDenied(
                    _("You cannot grant groups with rights you do not have yourself: %(groups)s")
                    % {"groups": ", ".join(refused)}
                )
    with transaction.atomic():
        if created and not by.is_superuser:
            user.set_unusable_password()  # the person chooses their own with "Forgot your password?"
        user.save()
        if groups is not None:
            user.groups.set(groups)
        if user_permissions is not None:
            user.user_permissions.set(user_permissions)
        audit_record(actor=by, action="user.create" if created else "user.change", target=user,
                     data={"fields": sorted(set(changed) - {"password1", "password2", "usable_password"})})
    return user


def user_password_set_by_staff(*, by: User, user: User, password: str | None) -> User:
    """A superuser sets someone's password in the back office, or (None) turns password sign-in off for them.
    Their API tokens end with it (accounts.signals); the audit row says which of the two, never the password."""
    if not by.is_superuser:
        raise PermissionDenied(_("Only a superuser can set a password here; people reset their own."))
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=by, action="user.password", target=user, data={"usable": password is not None})
    return user


def user_delete_by_staff(*, by: User, user: User) -> None:
    """Delete an account in the back office. One with a history on the portal (a proposal, a message, a document)
    is kept by the database: deactivate it instead."""
    _require(by, "accounts.delete_user")
    if not user_editable_by(by=by, target=user):
        raise PermissionDenied(_("Only a superuser can delete another staff member's or a superuser's account."))
    with transaction.atomic():
        audit_record(actor=by, action="user.delete", target=user, data={"email": user.email, "role": user.role})
        try:
            user.delete()
        except ProtectedError as error:
            raise ValidationError(
                _("This account has a history on the portal; deactivate it instead of deleting it.")
            ) from error


# --- organisations and memberships edited by staff (the back office) --------------------------------------


def _require(by: User, perm: str) -> None:
    if not by.has_perm(perm):
        raise PermissionDenied


def organisation_add(*, by: User, organisation: Organisation) -> Organisation:
    """Staff register an organisation in the back office (nobody becomes its member by that)."""
    _require(by, "accounts.add_organisation")
    with transaction.atomic():
        organisation.full_clean()
        organisation.save()
        audit_record(actor=by, action="organisation.create", target=organisation, data={"kind": organisation.kind})
    return organisation


def organisation_update(*, by: User, organisation: Organisation, changed: list[str]) -> Organisation:
    _require(by, "accounts.change_organisation")
    with transaction.atomic():
        organisation.full_clean()
        organisation.save()
        audit_record(actor=by, action="organisation.change", target=organisation, data={"fields": sorted(changed)})
    return organisation


def organisation_delete(*, by: User, organisation: Organisation) -> None:
    """Delete an organisation and its memberships; the audit row keeps what it was, as the row itself goes."""
    _require(by, "accounts.delete_organisation")
    with transaction.atomic():
        members = sorted(organisation.memberships.values_list("user_id", flat=True))
        audit_record(actor=by, action="organisation.delete", target=organisation, data={
            "name": organisation.name, "country": str(organisation.country), "members": members,
        })
        organisation.delete()


def membership_add(*, by: User, organisation: Organisation, user: User,
                   level: str = Membership.Level.MEMBER) -> Membership:
    _require(by, "accounts.add_membership")
    with transaction.atomic():
        membership = Membership(organisation=organisation, user=user, level=level)
        membership.full_clean()  # one membership per person and organisation (the constraint, as a message)
        membership.save()
        audit_record(actor=by, action="membership.add", target=organisation, data={"user": user.pk, "level": level})
    return membership


def membership_level_set(*, by: User, membership: Membership, level: str) -> Membership:
    """Make a member the organisation's administrator or a plain member again (the person stays the same: a
    different person is a removal and an addition)."""
    _require(by, "accounts.change_membership")
    with transaction.atomic():
        before = Membership.objects.select_for_update().get(pk=membership.pk)
        if before.user_id != membership.user_id or before.organisation_id != membership.organisation_id:
            raise ValidationError(_("Remove this membership and add the other person instead."))
        membership.level = level
        membership.full_clean()
        membership.save(update_fields=["level"])
        audit_record(actor=by, action="membership.level", target=membership.organisation, data={
            "user": membership.user_id, "from": before.level, "to": level,
        })
    return membership


def membership_remove(*, by: User, membership: Membership) -> None:
    _require(by, "accounts.delete_membership")
    with transaction.atomic():
        audit_record(actor=by, action="membership.remove", target=membership.organisation, data={
            "user": membership.user_id, "level": membership.level,
        })
        membership.delete()

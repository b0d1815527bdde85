import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
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


def user_profile_update(*, user: User, by: User, data: dict) -> User:
    if by.pk != user.pk:
        raise PermissionDenied
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


def api_token_issue(*, user: User):
    """The person's API token, a fresh one when theirs has expired (a token lives API_TOKEN_TTL_DAYS days)."""
    from rest_framework.authtoken.models import Token

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
    from rest_framework.authtoken.models import Token

    if by is not None and by.pk != user.pk:
        raise PermissionDenied(_("Only the owner can revoke their API token."))
    with transaction.atomic():
        count, _deleted = Token.objects.filter(user=user).delete()
        if count:
            audit_record(actor=by, action="api_token.revoke", target=user, data={"reason": reason})
    return count

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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

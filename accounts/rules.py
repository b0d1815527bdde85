"""Who is who. Shared predicates that every app's rules build on (django-rules)."""

import rules

from accounts.models import Role


@rules.predicate
def is_staff_member(user):
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.STAFF))


@rules.predicate
def is_applicant(user):
    return bool(user and user.is_authenticated and user.role == Role.APPLICANT)


@rules.predicate
def is_consultant(user):
    return bool(user and user.is_authenticated and user.role == Role.CONSULTANT)


@rules.predicate
def is_committee_member(user):
    return bool(user and user.is_authenticated and user.role == Role.COMMITTEE_MEMBER)


@rules.predicate
def is_centre_staff(user):
    return bool(user and user.is_authenticated and user.role == Role.CENTRE_STAFF)


@rules.predicate
def is_contractor(user):
    return bool(user and user.is_authenticated and user.role == Role.CONTRACTOR)


rules.add_perm("accounts.create_organisation", is_applicant)

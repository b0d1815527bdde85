"""Organisations and memberships edited in the back office go through accounts.services, with an audit row each."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts import services
from accounts.models import Membership, Organisation, User
from audit.models import AuditEntry
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    user = StaffFactory(email="officer@example.org")
    user.groups.add(Group.objects.get(name="Secretariat"))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def browser(officer):
    client = Client()
    client.force_login(officer)
    return client


def _audit(action):
    return list(AuditEntry.objects.filter(action=action).values_list("actor__email", "target_id", "data"))


def _form(organisation, rows, **overrides):
    """The change form as the browser posts it: the organisation's fields and the membership rows."""
    existing = [r for r in rows if "id" in r]
    data = {
        "name": organisation.name, "country": str(organisation.country), "kind": organisation.kind,
        "region_city": organisation.region_city, "website": organisation.website,
        "memberships-TOTAL_FORMS": str(len(rows)), "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"memberships-{i}-{key}": value for key, value in row.items()})
        data[f"memberships-{i}-organisation"] = str(organisation.pk)
    data.update(overrides)
    return data


def test_admin_organisation_change_is_audited(browser, officer):
    organisation = OrganisationFactory(name="Semarang City")

    response = browser.post(f"/admin/accounts/organisation/{organisation.pk}/change/",
                            _form(organisation, [], name="Semarang City Government"))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Semarang City Government"
    assert _audit("organisation.change") == [(officer.email, str(organisation.pk), {"fields": ["name"]})]


def test_admin_organisation_add_is_audited_and_makes_no_member(browser, officer):
    response = browser.post("/admin/accounts/organisation/add/", {
        "name": "Nakuru County", "country": "KE", "kind": "regional", "region_city": "Nakuru", "website": "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Nakuru County")
    assert not organisation.memberships.exists()
    assert _audit("organisation.create") == [(officer.email, str(organisation.pk), {"kind": "regional"})]


def test_admin_membership_rows_added_changed_and_removed_through_services(browser, officer):
    organisation = OrganisationFactory()
    stays = MembershipFactory(organisation=organisation, level=Membership.Level.MEMBER)
    leaves = MembershipFactory(organisation=organisation, level=Membership.Level.MEMBER)
    joins = UserFactory()

    response = browser.post(f"/admin/accounts/organisation/{organisation.pk}/change/", _form(organisation, [
        {"id": str(stays.pk), "user": str(stays.user_id), "level": "admin"},
        {"id": str(leaves.pk), "user": str(leaves.user_id), "level": "member", "DELETE": "on"},
        {"user": str(joins.pk), "level": "member"},
    ]))

    assert response.status_code == 302
    assert sorted(organisation.memberships.values_list("user_id", "level")) == sorted(
        [(stays.user_id, "admin"), (joins.pk, "member")]
    )
    target = str(organisation.pk)
    assert _audit("membership.level") == [(officer.email, target, {"user": stays.user_id, "from": "member",
                                                                  "to": "admin"})]
    assert _audit("membership.remove") == [(officer.email, target, {"user": leaves.user_id, "level": "member"})]
    assert _audit("membership.add") == [(officer.email, target, {"user": joins.pk, "level": "member"})]


def test_admin_membership_row_keeps_its_person(browser):
    organisation = OrganisationFactory()
    membership = MembershipFactory(organisation=organisation)
    someone_else = UserFactory()
    page = browser.get(f"/admin/accounts/organisation/{organisation.pk}/change/").content.decode()
    assert re.search(r'<select name="memberships-0-user"[^>]*disabled', page)

    response = browser.post(f"/admin/accounts/organisation/{organisation.pk}/change/", _form(organisation, [
        {"id": str(membership.pk), "user": str(someone_else.pk), "level": membership.level},
    ]))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.user_id != someone_else.pk
    assert not AuditEntry.objects.filter(action__startswith="membership.").exists()


def test_admin_organisation_delete_is_audited():
    root = StaffFactory(email="root@example.org", is_superuser=True)
    organisation = OrganisationFactory(name="Old Body")
    member = MembershipFactory(organisation=organisation)
    client = Client()
    client.force_login(root)

    response = client.post(f"/admin/accounts/organisation/{organisation.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert _audit("organisation.delete") == [(root.email, str(organisation.pk), {
        "name": "Old Body", "country": str(organisation.country), "members": [member.user_id],
    })]


def test_membership_add_twice_refused_with_a_message(officer):
    membership = MembershipFactory()

    with pytest.raises(ValidationError):
        services.membership_add(by=officer, organisation=membership.organisation, user=membership.user)


def test_membership_services_refuse_without_the_permission():
    applicant = UserFactory()
    membership = MembershipFactory()

    with pytest.raises(PermissionDenied):
        services.membership_add(by=applicant, organisation=membership.organisation, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.membership_remove(by=applicant, membership=membership)
    with pytest.raises(PermissionDenied):
        services.organisation_update(by=applicant, organisation=membership.organisation, changed=["name"])
    assert not AuditEntry.objects.exists()

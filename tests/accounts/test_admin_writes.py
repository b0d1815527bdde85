"""Accounts deleted, and passwords set, in the back office go through accounts.services (audit rows, the reason on
the page when refused); users are deleted one at a time, organisations in bulk each through the service."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Organisation, User
from tests.admin_writes import audited, messages_of, refusing, show_messages, signed_in, staff_superuser
from tests.factories import OrganisationFactory, UserFactory, submitted_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return signed_in(staff_superuser())


def test_user_deleted_through_the_service_with_an_audit_row(desk):
    person = UserFactory(email="leaving@example.org")

    response = desk.post(reverse("admin:accounts_user_delete", args=[person.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    assert audited("user.delete") == [("root@example.org", str(person.pk),
                                       {"email": "leaving@example.org", "role": "applicant"})]


def test_user_with_a_history_is_kept_and_the_refusal_is_a_message(desk, monkeypatch):
    owner = submitted_proposal().owner
    person = UserFactory()

    protected = desk.post(reverse("admin:accounts_user_delete", args=[owner.pk]), {"post": "yes"})
    monkeypatch.setattr(services, "user_delete_by_staff", refusing("Deactivate this account instead."))
    url = reverse("admin:accounts_user_delete", args=[person.pk])
    refused = desk.post(url, {"post": "yes"})

    assert protected.status_code == 200  # Django's page naming what the account still holds
    assert (refused.status_code, refused["Location"]) == (302, url)
    assert messages_of(refused) == ["Deactivate this account instead."]
    assert User.objects.filter(pk__in=[owner.pk, person.pk]).count() == 2
    assert not audited("user.delete")


def test_password_set_by_a_superuser_goes_through_the_service(desk):
    person = UserFactory()
    url = f"/admin/accounts/user/{person.pk}/password/"

    response = desk.post(url, {"password1": "a-new-long-pass-phrase-7", "password2": "a-new-long-pass-phrase-7",
                               "usable_password": "true"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-new-long-pass-phrase-7")
    assert audited("user.password") == [("root@example.org", str(person.pk), {"usable": True})]


def test_password_the_service_refuses_is_a_message_and_nothing_changes(desk, monkeypatch):
    person = UserFactory()
    before = person.password
    url = f"/admin/accounts/user/{person.pk}/password/"
    monkeypatch.setattr(services, "user_password_set_by_staff", refusing("Not for this account."))

    response = desk.post(url, {"password1": "a-new-long-pass-phrase-7", "password2": "a-new-long-pass-phrase-7",
                               "usable_password": "true"})

    assert (response.status_code, response["Location"]) == (302, url)
    assert messages_of(response) == ["Not for this account."]
    person.refresh_from_db()
    assert person.password == before
    assert not audited("user.password")


def test_bulk_delete_offered_for_organisations_through_the_service_not_for_users(desk):
    first, second = OrganisationFactory(), OrganisationFactory()
    users = desk.get(reverse("admin:accounts_user_changelist")).content.decode()
    show_messages(desk)

    response = desk.post(reverse("admin:accounts_organisation_changelist"), {
        "action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"})

    assert 'value="delete_selected"' not in users
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    assert sorted(target for _actor, target, _data in audited("organisation.delete")) == sorted(
        [str(first.pk), str(second.pk)])

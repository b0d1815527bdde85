"""A project in the back office: its conditions change through project_save (audit row, the reason on the page
when refused); it is never added or deleted there, not even by a superuser."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from committee.models import Outcome
from committee.services import decision_record, letter_approve
from cooperation.models import Project
from tests.admin_writes import audited, messages_of, signed_in, staff_superuser
from tests.committee.helpers import decided_setup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    staff, proposal, _members, meeting = decided_setup()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                               votes_against=0, support_amount_krw=300_000_000, conditions="Train officials")
    letter_approve(letter=decision.letter, by=staff)
    return Project.objects.get()


def _url(view, *args):
    return reverse(f"admin:cooperation_project_{view}", args=args)


def test_project_conditions_change_through_the_service_and_nothing_else_is_writable(project):
    desk = signed_in(staff_superuser())

    changed = desk.post(_url("change", project.pk), {"conditions": "Train officials; report twice a year",
                                                     "support_amount_krw": "1"})
    deleted = desk.post(_url("delete", project.pk), {"post": "yes"})
    added = desk.get(_url("add"))

    assert (changed.status_code, deleted.status_code, added.status_code) == (302, 403, 403)
    project.refresh_from_db()
    assert (project.conditions, project.support_amount_krw) == ("Train officials; report twice a year", 300_000_000)
    assert audited("project.update") == [("root@example.org", str(project.pk),
                                          {"changed": {"conditions": "Train officials; report twice a year"}})]


def test_project_change_the_service_refuses_shows_the_message(client, project):
    # The model permission lets this person in; the service asks the portal's rule (MOLIT staff only).
    outsider = UserFactory(role=Role.CONSULTANT, is_staff=True)
    outsider.user_permissions.set(Permission.objects.filter(content_type__app_label="cooperation",
                                                            codename__in=["change_project", "view_project"]))
    client.force_login(outsider)
    url = _url("change", project.pk)

    response = client.post(url, {"conditions": "None at all"})

    assert (response.status_code, response["Location"]) == (302, url)
    assert messages_of(response) == ["Only MOLIT staff can change a cooperation project."]
    project.refresh_from_db()
    assert project.conditions == "Train officials"
    assert not audited("project.update")

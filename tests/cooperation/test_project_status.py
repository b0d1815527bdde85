"""The activity status moves along one table (pipeline -> implementation -> finalisation -> closed; any open ->
suspended / cancelled; suspended -> implementation): every pair tried, allowed and refused, by staff only."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cooperation.models import ActivityStatus as A
from cooperation.services import STATUS_TRANSITIONS, project_status_change
from core.errors import TransitionRefused
from tests.factories import StaffFactory
from tests.factories.cooperation import ProjectFactory, contractor_user, partner_user

pytestmark = pytest.mark.django_db

ALLOWED = {
    (A.PIPELINE, A.IMPLEMENTATION), (A.IMPLEMENTATION, A.FINALISATION), (A.FINALISATION, A.CLOSED),
    (A.SUSPENDED, A.IMPLEMENTATION),
    (A.PIPELINE, A.SUSPENDED), (A.IMPLEMENTATION, A.SUSPENDED), (A.FINALISATION, A.SUSPENDED),
    (A.PIPELINE, A.CANCELLED), (A.IMPLEMENTATION, A.CANCELLED), (A.FINALISATION, A.CANCELLED),
    (A.SUSPENDED, A.CANCELLED),
}
ALL_PAIRS = list(itertools.product(A, A))


def test_the_table_is_exactly_the_documented_moves():
    assert set(STATUS_TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_move(source, target):
    project = ProjectFactory(activity_status=source)
    staff = StaffFactory()
    today = timezone.localdate()

    project_status_change(project=project, to=target, by=staff, note="Flooding on site")

    project.refresh_from_db()
    assert project.activity_status == target
    assert project.actual_start == (today if target == A.IMPLEMENTATION else None)
    assert project.actual_end == (today if target in (A.CLOSED, A.CANCELLED) else None)
    entry = AuditEntry.objects.get(action="project.status")
    assert (entry.actor, entry.data) == (staff, {"from": int(source), "to": int(target), "note": "Flooding on site"})
    assert project.events.filter(params__to=int(target)).count() == 1


@pytest.mark.parametrize(("source", "target"), sorted(set(ALL_PAIRS) - ALLOWED))
def test_refused_move_says_why_and_changes_nothing(source, target):
    project = ProjectFactory(activity_status=source)

    with pytest.raises(TransitionRefused) as refused:
        project_status_change(project=project, to=target, by=StaffFactory(), note="because")

    project.refresh_from_db()
    assert project.activity_status == source
    assert str(refused.value.message)
    assert not AuditEntry.objects.filter(action="project.status").exists()


def test_resuming_keeps_the_first_actual_start():
    project = ProjectFactory()
    staff = StaffFactory()
    project_status_change(project=project, to=A.IMPLEMENTATION, by=staff)
    start = project.actual_start
    project_status_change(project=project, to=A.SUSPENDED, by=staff, note="Elections")
    project_status_change(project=project, to=A.IMPLEMENTATION, by=staff)

    assert project.actual_start == start


@pytest.mark.parametrize("target", [A.SUSPENDED, A.CANCELLED])
def test_suspending_or_cancelling_needs_a_reason(target):
    project = ProjectFactory(activity_status=A.IMPLEMENTATION)

    with pytest.raises(ValidationError) as refused:
        project_status_change(project=project, to=target, by=StaffFactory(), note="  ")

    assert "Say why" in str(refused.value)


@pytest.mark.parametrize("who", ["partner", "contractor"])
def test_only_staff_move_the_status(who):
    project = ProjectFactory()
    person = partner_user(project) if who == "partner" else contractor_user(project=project)

    with pytest.raises(PermissionDenied):
        project_status_change(project=project, to=A.IMPLEMENTATION, by=person)


def test_the_page_offers_the_moves_and_shows_a_refusal(client):
    project = ProjectFactory(activity_status=A.IMPLEMENTATION)
    client.force_login(StaffFactory())
    url = reverse("cooperation:project", args=[project.pk])

    page = client.get(url)
    offered = {m.target for m in page.context["moves"]}
    refused = client.post(reverse("cooperation:project-status", args=[project.pk]), {"to": A.CLOSED})
    moved = client.post(reverse("cooperation:project-status", args=[project.pk]), {"to": A.FINALISATION})

    assert offered == {A.FINALISATION, A.SUSPENDED, A.CANCELLED}
    assert refused.status_code == 400 and "cannot move from implementation to closed" in refused.content.decode()
    assert moved.status_code == 302
    project.refresh_from_db()
    assert project.activity_status == A.FINALISATION


def test_the_partner_is_not_offered_moves_and_cannot_post_one(client):
    project = ProjectFactory()
    client.force_login(partner_user(project))

    assert client.get(reverse("cooperation:project", args=[project.pk])).context["moves"] == []
    assert client.post(reverse("cooperation:project-status", args=[project.pk]),
                       {"to": A.IMPLEMENTATION}).status_code == 403

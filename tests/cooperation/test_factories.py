"""The shared cooperation factories open projects through project_open and put people on them."""

import pytest

from cooperation.models import ActivityStatus, OrganisationRole, Side
from cooperation.rules import side_of
from tests.factories.cooperation import (
    ParticipantFactory,
    ProjectFactory,
    ProjectMemberFactory,
    centre_user,
    contractor_user,
    partner_user,
)

pytestmark = pytest.mark.django_db


def test_project_factory_opens_through_project_open():
    project = ProjectFactory(country="KE", activity_status=ActivityStatus.IMPLEMENTATION)

    assert project.iati_identifier.startswith("KR-GOV-1613000-KCN-2026-T")
    assert str(project.recipient_country) == "KE"
    assert project.activity_status == ActivityStatus.IMPLEMENTATION
    assert sorted(project.participants.values_list("role", flat=True)) == [
        OrganisationRole.FUNDING, OrganisationRole.ACCOUNTABLE, OrganisationRole.EXTENDING]
    assert project.events.get().kind == "project.opened"


def test_people_factories_give_each_side():
    project = ProjectFactory()
    contractor = contractor_user(project=project)
    other = ProjectMemberFactory()

    assert side_of(contractor, project) == Side.CONTRACTOR
    assert side_of(other.user, project) is None
    assert side_of(partner_user(project), project) == Side.PARTNER
    assert side_of(centre_user(country="ID"), project) == Side.CENTRE
    assert side_of(centre_user(country="KE"), project) is None
    assert ParticipantFactory(project=project).side == Side.CONTRACTOR

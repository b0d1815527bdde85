"""seed_demo's cooperation projects: three countries and stages, one for each demo applicant organisation, the
contractor's account on the midway project; idempotent."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from cooperation.demo import DEMO_PROJECTS, demo_project
from cooperation.models import ActivityStatus, Project
from cooperation.selectors import projects_visible_to
from core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_the_three_projects_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    projects = {key: demo_project(key) for key in DEMO_PROJECTS}
    assert Project.objects.filter(proposal__title__in=DEMO_PROJECTS.values()).count() == 3
    assert {key: (str(p.recipient_country), p.activity_status) for key, p in projects.items()} == {
        "just_opened": ("ID", ActivityStatus.PIPELINE), "midway": ("KE", ActivityStatus.IMPLEMENTATION),
        "closed": ("CO", ActivityStatus.CLOSED)}
    assert projects["closed"].actual_end is not None and projects["midway"].actual_start is not None
    for email in ("applicant.id@example.org", "applicant.ke@example.org"):
        assert projects_visible_to(User.objects.get(email=email)).exists()
    contractor = User.objects.get(email="contractor@example.org")
    assert contractor.role == Role.CONTRACTOR
    assert list(projects_visible_to(contractor)) == [projects["midway"]]
    assert contractor.check_password(DEMO_PASSWORD)
    assert projects["midway"].messages.count() == 2
    assert projects["midway"].documents.filter(title="Inception report", category="report").count() == 1

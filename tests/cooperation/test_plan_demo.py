"""seed_plan fills the demo projects' plans once, however often it runs."""

import datetime

import pytest
from django.utils import timezone

from cooperation.demo_plan import seed_plan
from cooperation.models import (
    ActivityStatus,
    DeliverableVersion,
    IndicatorPeriod,
    Milestone,
    OdaFollowUp,
    Project,
    Transaction,
    WorkStatus,
)
from tests.factories.cooperation_plan import plan_project

pytestmark = pytest.mark.django_db


def test_seed_plan_is_idempotent_and_has_what_the_demo_shows():
    first, midway, closed = plan_project(), plan_project(), plan_project()
    Project.objects.filter(pk=closed.project.pk).update(activity_status=ActivityStatus.CLOSED)
    projects = {"just_opened": first.project, "midway": midway.project,
                "closed": Project.objects.get(pk=closed.project.pk)}
    seed_plan(projects, first.staff)
    counts = (Milestone.objects.count(), DeliverableVersion.objects.count(), IndicatorPeriod.objects.count(),
              Transaction.objects.count(), OdaFollowUp.objects.count())
    seed_plan(projects, first.staff)

    assert (Milestone.objects.count(), DeliverableVersion.objects.count(), IndicatorPeriod.objects.count(),
            Transaction.objects.count(), OdaFollowUp.objects.count()) == counts == (4, 1, 6, 2, 1)
    today = timezone.localdate()
    overdue = Milestone.objects.filter(project=midway.project, due_date__lt=today).exclude(status=WorkStatus.ACCEPTED)
    assert list(overdue.values_list("title", flat=True)) == ["Traffic survey completed"]
    assert midway.project.budget_revisions.count() == 1
    assert IndicatorPeriod.objects.filter(actual_value__isnull=False).count() == 4
    assert OdaFollowUp.objects.get().stage == "appraisal"
    assert Milestone.objects.get(project=midway.project, title="Inception").due_date == today - datetime.timedelta(120)

"""committee/0006: meetings move to scheduled/open/closed and their quorum settings into decision rules; a meeting
whose attendance was ticked ahead of its date (the old bug) goes back to scheduled unless it already decided."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("committee", "0005_list_indexes")]
AFTER = [("committee", "0007_secretariat_decision_rules")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_migrations():
    """Leave the database as every other test expects it: at the latest migration of every app (later migrations
    of committee, such as its translated columns, would otherwise be missing for the tests that follow)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_meeting_states_and_quorum_move_into_rules():
    old = _migrate(BEFORE)
    programme = old.get_model("proposals", "Programme").objects.create(
        name="P", slug="p-mig", reference_prefix="PMG", cutoff_month=4, cutoff_day=30)
    cycle = old.get_model("proposals", "Cycle").objects.create(programme=programme, year=2031,
                                                              cutoff=datetime.date(2031, 4, 30))
    meeting_model = old.get_model("committee", "Meeting")
    now = timezone.now()

    def meeting(title, status, days, **kwargs):
        return meeting_model.objects.create(programme=programme, cycle=cycle, title=title, status=status,
                                            starts_at=now + datetime.timedelta(days=days), **kwargs)

    meeting("planned", "planned", 10)
    meeting("ticked ahead", "held", 21)
    held = meeting("held", "held", -3, quorum_fraction=Decimal("0.66"), require_co_chair=False)
    closed = meeting("closed", "closed", -40)

    new = _migrate(AFTER)
    found = {m.title: m for m in new.get_model("committee", "Meeting").objects.select_related("decision_rule")}
    rules = new.get_model("committee", "DecisionRule").objects.all()

    assert (found["planned"].status, found["ticked ahead"].status) == ("scheduled", "scheduled")
    assert (found["held"].status, found["held"].opened_at) == ("open", held.starts_at)
    assert (found["closed"].status, found["closed"].opened_at) == ("closed", closed.starts_at)
    assert found["planned"].decision_rule is None and found["ticked ahead"].decision_rule is None
    assert (found["held"].decision_rule.quorum_fraction, found["held"].decision_rule.require_co_chair) == (
        Decimal("0.66"), False)
    default = rules.get(is_default=True)
    assert (default.name, default.basis, default.quorum_fraction, default.require_co_chair) == (
        "Majority of members present", "members_present", Decimal("0.50"), True)

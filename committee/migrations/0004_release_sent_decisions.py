"""Decisions whose letters were already sent stay visible: mark their proposals released (proposals/0005)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    letter_model = apps.get_model("committee", "DecisionLetter")
    proposal_model = apps.get_model("proposals", "Proposal")
    # A deferral is no outcome to release (the proposal stays in review), and marking it would show the
    # proposal's next decision before its own letter.
    sent = letter_model.objects.filter(status="sent").exclude(decision__outcome="defer").select_related("decision")
    for letter in sent:
        proposal_model.objects.filter(pk=letter.decision.proposal_id, decision_released_at__isnull=True).update(
            decision_released_at=letter.sent_at or letter.approved_at or timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0003_text_limits"),
        ("proposals", "0005_decision_release_and_internal_notes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

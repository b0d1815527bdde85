"""Projects opened before the platform existed get what project_open now fills: the IATI identifier, title,
description, recipient country and city, centre, planned dates and the three participants an approval fixes."""

from django.conf import settings
from django.db import migrations


def backfill(apps, schema_editor):
    Project = apps.get_model("cooperation", "Project")
    Participant = apps.get_model("cooperation", "Participant")
    for project in Project.objects.select_related("proposal", "partner_organisation", "proposal__cooperation_centre"):
        proposal = project.proposal
        if proposal.reference and not project.iati_identifier:
            project.iati_identifier = f"{settings.IATI_REPORTING_ORG_REF}-{proposal.reference}"
        project.title = project.title or proposal.title
        project.description = project.description or proposal.objectives or proposal.problem_statement
        project.recipient_country = project.recipient_country or proposal.country or project.partner_organisation.country
        project.recipient_city = project.recipient_city or proposal.region_city
        project.cooperation_centre_id = project.cooperation_centre_id or proposal.cooperation_centre_id
        project.planned_start = project.planned_start or project.opened_at.date()
        project.save()
        if not Participant.objects.filter(project=project).exists():
            centre = proposal.cooperation_centre
            Participant.objects.bulk_create([
                Participant(project=project, role=1, side="molit", name=settings.IATI_REPORTING_ORG_NAME,
                            iati_ref=settings.IATI_REPORTING_ORG_REF),
                Participant(project=project, role=2, side="partner", organisation=project.partner_organisation,
                            name=project.partner_organisation.name),
                Participant(project=project, role=3, side="centre" if centre else "molit",
                            name=centre.name if centre else "K-City Network secretariat",
                            iati_ref="" if centre else settings.IATI_REPORTING_ORG_REF),
            ])


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0003_platform")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

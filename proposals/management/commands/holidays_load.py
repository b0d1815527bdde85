import datetime

from django.core.management.base import BaseCommand

from proposals.holiday_calendar import holidays_load


class Command(BaseCommand):
    help = "Load Korean public holidays into the service-level calendar (idempotent; staff edits are kept)."

    def add_arguments(self, parser):
        this_year = datetime.date.today().year
        parser.add_argument("years", nargs="*", type=int, default=[this_year, this_year + 1])

    def handle(self, *args, years, **options):
        created = holidays_load(years=years)
        self.stdout.write(f"{created} holidays added for {', '.join(map(str, years))}.")

"""`manage.py seed_demo`: the demo programme, people and proposals, safe to run again and again.

Every app registers its demo builder with an order (core.demo, the "core.demo_data" hook): the proposals app
first (programmes, tracks, cycles, centres, accounts, proposals), then consulting, committee and any other app;
last, demo proposals waiting on another app's data (a pre-consulting report before committee review) move on if
that data now exists. This command knows no app: it runs the registry and prints the demo accounts.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run when DEBUG is off unless --force is given."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Seed even though DEBUG is off (demo accounts share a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production database. The demo accounts all use the published "
                "password 'kcity-demo-2026', so seed_demo refuses to run. Pass --force if you really mean it."
            )
        demo.demo_seed(stdout=self.stdout)
        self.print_accounts()

    def print_accounts(self):
        rows = demo.accounts_rows()
        width = max(len(email) for email, _role, _note in rows)
        role_width = max(len(role) for _email, role, _note in rows)
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {demo.DEMO_PASSWORD}, demo mode only)"))
        for email, role, note in rows:
            self.stdout.write(f"  {email:<{width}}  {role:<{role_width}}  {note}")
        self.stdout.write("")
        self.stdout.write(f"  Portal:   {site}/            Sign in: {site}/accounts/login/")
        self.stdout.write(f"  Back office: {site}/admin/   API docs: {site}/api/docs/   Health: {site}/healthz")

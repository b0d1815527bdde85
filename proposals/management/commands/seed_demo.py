"""`manage.py seed_demo`: the demo programme, people and proposals, safe to run again and again.

The proposals app seeds first (programmes, tracks, cycles, centres, accounts, proposals). Then every other
local app that has a `demo` module with a `seed(stdout=...)` function adds its own demo data, so apps plug in
without editing this command. Last, demo proposals waiting on another app's data (a pre-consulting report
before committee review) move on if that data now exists.
"""

import importlib
import importlib.util
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from proposals import demo


def local_apps_with_demo() -> list[str]:
    """Modules `<app>.demo` of the project's own apps (not third-party ones), in INSTALLED_APPS order."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts or config.name == "proposals":
            continue
        if importlib.util.find_spec(f"{config.name}.demo") is not None:
            found.append(f"{config.name}.demo")
    return found


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
        self.stdout.write("Seeding the demo data: programmes, tracks, cycles, centres, accounts, proposals")
        demo.seed(stdout=self.stdout)
        for module_name in local_apps_with_demo():
            module = importlib.import_module(module_name)
            seed = getattr(module, "seed", None)
            if callable(seed):
                self.stdout.write(f"Seeding {module_name}")
                seed(stdout=self.stdout)
        demo.proposals_seed(stdout=None)  # steps unblocked by the apps above; already-done steps are skipped
        self.print_accounts()

    def print_accounts(self):
        first: dict[str, tuple[str, str, str]] = {}
        for row in demo.accounts_table:  # another app may register an account again: keep the first row
            first.setdefault(row[0], row)
        rows = list(first.values())
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

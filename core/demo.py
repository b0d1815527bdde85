"""Site-wide demo data: the demo people, and the registry of every app's demo builder that `seed_demo` runs.

Core knows no app. Each app registers its builder in its AppConfig.ready() with an order:

    demo_builder_register(demo.seed, order=30)            # consulting: after the proposals it books sessions on

`seed_demo` runs the builders by order (lowest first). A builder is idempotent (it looks before it creates) and
takes `stdout` (it may write progress lines to it). The people are made with `demo_user()`, which every app's
builder uses, so the table `seed_demo` prints lists the demo accounts of every app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from core.hooks import Hook

# Published on purpose (README): demo mode only, seed_demo refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "kcity-demo-2026"  # noqa: S105

# (e-mail, role, note) of every demo account made in this run, in order: the table seed_demo prints.
accounts_table: list[tuple[str, str, str]] = []


def demo_user(*, email: str, full_name: str, role: str, language: str = "en", time_zone: str = "UTC",
              is_staff: bool = False, is_superuser: bool = False, note: str = ""):
    """A demo account with the demo password and a verified primary e-mail, so it can sign in at once.

    `role` is one of the user model's role values (the accounts app's Role); its label goes into the printed table.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, role=role, language=language,
            time_zone=time_zone, is_staff=is_staff, is_superuser=is_superuser,
        )
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    accounts_table.append((email, user.get_role_display(), note))
    return user


def accounts_rows() -> list[tuple[str, str, str]]:
    """The printed table: one row per account (another app may register an account again: the first row stays)."""
    first: dict[str, tuple[str, str, str]] = {}
    for row in accounts_table:
        first.setdefault(row[0], row)
    return list(first.values())


# --- the registry ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoBuilder:
    """One app's demo data. `title` is what seed_demo prints before running it ("Seeding <title>"); None: silent."""

    build: Callable[..., None]
    order: int
    title: str | None

    def __call__(self, *, stdout=None) -> None:
        self.build(stdout=stdout)


demo_data: Hook[DemoBuilder] = Hook(
    "core.demo_data",
    "An app's demo data builder, `builder(stdout=...)`, idempotent; registered through demo_builder_register() "
    "with an order; seed_demo runs them all, lowest order first.",
)


def demo_builder_register(build: Callable[..., None], *, order: int, title: str | None = "") -> DemoBuilder:
    """Register `build(stdout=...)` to run at `order`; the title defaults to its module ("consulting.demo")."""
    builder = DemoBuilder(build=build, order=order, title=build.__module__ if title == "" else title)
    demo_data.register(builder)  # idempotent: an equal builder (same function, order, title) is kept once
    return builder


def demo_builders() -> list[DemoBuilder]:
    """The registered builders in the order they run (ties: in registration order)."""
    return sorted(demo_data.receivers, key=lambda builder: builder.order)


def demo_seed(*, stdout=None) -> None:
    """Run every builder in order; `stdout` (a management command's) gets each title and the builders' lines."""
    accounts_table.clear()
    for builder in demo_builders():
        if stdout is not None and builder.title is not None:
            stdout.write(f"Seeding {builder.title}")
        builder(stdout=stdout)

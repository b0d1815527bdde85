"""The shape the code keeps (issue 9, docs/architecture.md): one API base, no unused permission, every extension
point and notice kind documented, every admin write through a service. Import-linter checks the layer rule itself
(`make lint`)."""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
import rules
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from accounts.models import User
from core.api import PortalAPIView, PortalViewSet
from core.hooks import HOOKS
from notifications import registry

ROOT = Path(settings.BASE_DIR)
DOCS = ROOT / "docs" / "architecture.md"


def _portal_apps() -> list:
    """The project's own apps (not Django's or a library's): those whose code lives in this repository."""
    return [
        config for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    ]


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in {config.name.split(".")[0] for config in _portal_apps()}


def _import_each(module: str) -> None:
    """Import `<app>.<module>` for every portal app that has one (hooks and notice kinds are declared there)."""
    for config in _portal_apps():
        name = f"{config.name}.{module}"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def _mentioned(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text) is not None


# --- (a) every API view derives from the one base ------------------------------------------------------------


def _routed_views(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routed_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None:
                yield prefix + str(pattern.pattern), cls


def test_every_routed_api_view_derives_from_the_portal_base():
    # The base activates the caller's language and time zone (a token caller has no session) and maps errors.
    routed = {}  # each view class once, with the first route it serves
    for route, cls in _routed_views():
        if issubclass(cls, APIView) and _ours(cls):
            routed.setdefault(cls, route)
    assert routed, "no API view found: the URLconf walk is broken"

    outside = sorted(
        f"{cls.__module__}.{cls.__qualname__} (/{route})" for cls, route in routed.items()
        if not issubclass(cls, (PortalViewSet, PortalAPIView))
    )

    assert not outside, "derive these from core.api.PortalViewSet / PortalAPIView:\n" + "\n".join(outside)


# --- (b) every registered permission is asked somewhere -------------------------------------------------------


def _app_sources() -> dict[Path, str]:
    """The portal's code and templates, without the rules that register the names, migrations or tests."""
    folders = [Path(config.path) for config in _portal_apps()] + [ROOT / "templates"]
    files = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or not path.is_file():
                continue
            if path.name == "rules.py" or "migrations" in path.parts or "tests" in path.parts:
                continue
            files[path] = path.read_text(encoding="utf-8")
    return files


def test_every_registered_permission_is_used_outside_rules():
    ours = {config.label for config in _portal_apps()}
    registered = sorted(name for name in rules.permissions.permissions if name.split(".")[0] in ours)
    assert registered, "no permission registered: rules.py modules were not imported"
    sources = _app_sources()

    unused = [name for name in registered if not any(_mentioned(name, text) for text in sources.values())]

    assert not unused, "registered with rules.add_perm, asked nowhere (use it or remove it):\n" + "\n".join(unused)


# --- (c) every hook and notice kind is in docs/architecture.md -------------------------------------------------


def _notice_kinds() -> set[str]:
    """Every kind of notice: those declared (each app's notices.py, kept by the notifications app) and those with an
    e-mail template, wherever the templates live (<app>/templates/notifications/email/<kind>.subject.txt)."""
    _import_each("notices")
    kinds = {kind.name for kind in registry.kinds()}
    folders = [Path(config.path) / "templates" for config in _portal_apps()] + [ROOT / "templates"]
    for folder in folders:
        kinds |= {path.name.removesuffix(".subject.txt") for path in folder.glob("notifications/email/*.subject.txt")}
    return kinds


@pytest.fixture(scope="module")
def docs() -> str:
    return DOCS.read_text(encoding="utf-8")


def test_every_hook_is_documented(docs):
    _import_each("hooks")
    assert HOOKS, "no hook declared (issue 9 asks for the transition guard, visibility providers, ...)"

    missing = sorted(name for name in HOOKS if not _mentioned(name, docs))

    assert not missing, f"hooks not described in {DOCS.relative_to(ROOT)}:\n" + "\n".join(missing)


def test_every_notice_kind_is_documented(docs):
    kinds = _notice_kinds()
    assert kinds, "no notice kind found"

    missing = sorted(kind for kind in kinds if not _mentioned(kind, docs))

    assert not missing, f"notice kinds not described in {DOCS.relative_to(ROOT)}:\n" + "\n".join(missing)


# --- (d) every admin page writes through services or not at all ---------------------------------------------


def _django_does_it(cls, name: str) -> bool:
    """`cls.name` is Django's own (ModelAdmin's or another library class's), not overridden by the portal."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return not _ours(klass)
    return True


def _admin_write_gaps(model_admin, request) -> list[str]:
    """What this admin would write itself, without a service: empty for a converted or read-only page."""
    cls = type(model_admin)
    may = {"add": model_admin.has_add_permission(request), "change": model_admin.has_change_permission(request),
           "delete": model_admin.has_delete_permission(request)}
    inlines = [inline for inline in model_admin.get_inline_instances(request)
               if inline.has_add_permission(request, None) or inline.has_change_permission(request, None)
               or inline.has_delete_permission(request, None)]
    if not any(may.values()) and not inlines:
        return []  # read-only
    gaps = []
    if not getattr(model_admin, "writes_through_services", False):
        gaps.append("derive it from core.admin.ServiceWrites (a refusal becomes a message, not a 500)")
    if (may["add"] or may["change"]) and _django_does_it(cls, "save_model"):
        gaps.append("save_model saves the row itself")
    if may["delete"] and _django_does_it(cls, "delete_model"):
        gaps.append("delete_model deletes the row itself")
    actions = model_admin.get_actions(request)
    if "delete_selected" in actions and _django_does_it(cls, "delete_queryset"):
        gaps.append("'delete selected' deletes the rows itself")
    if inlines and _django_does_it(cls, "save_formset") and _django_does_it(cls, "save_related"):
        gaps.append("inline rows (" + ", ".join(type(i).__name__ for i in inlines) + ") are saved by Django")
    many = {f.name for f in model_admin.model._meta.many_to_many  # a form edits those without a through model
            if f.editable and f.remote_field.through._meta.auto_created}
    if model_admin.fieldsets:  # the change page's fields (as declared: get_fields would build the add form)
        declared = set(flatten_fieldsets(model_admin.fieldsets))
    else:
        declared = set(model_admin.fields or many)
    form_fields = declared - set(model_admin.get_readonly_fields(request)) - set(model_admin.exclude or ())
    if (may["add"] or may["change"]) and many & form_fields and _django_does_it(cls, "save_related"):
        gaps.append(f"many-to-many fields {sorted(many & form_fields)} are saved by Django (save_related)")
    return gaps


@pytest.mark.django_db
def test_every_admin_page_writes_through_services_or_is_read_only():
    # A superuser: what any page offers at most (Django's permissions let a superuser through everything).
    request = RequestFactory().get("/admin/")
    request.user = User(email="root@example.org", is_staff=True, is_superuser=True, is_active=True, role="staff")
    ours = {config.label for config in _portal_apps()}
    pages = {model: model_admin for model, model_admin in admin.site._registry.items()
             if model._meta.app_label in ours}
    assert len(pages) > 20, "the admin site is not loaded"

    gaps = {
        f"{type(model_admin).__module__}.{type(model_admin).__qualname__}": found
        for model_admin in pages.values() if (found := _admin_write_gaps(model_admin, request))
    }

    assert not gaps, "admin pages that write without a service (core.admin, or make them read-only):\n" + "\n".join(
        f"{name}: {'; '.join(found)}" for name, found in sorted(gaps.items()))

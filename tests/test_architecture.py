"""The shape the code keeps (issue 9, docs/architecture.md): one API base, no unused permission, every extension
point and notice kind documented. Import-linter checks the layer rule itself (`make lint`)."""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
import rules
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

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

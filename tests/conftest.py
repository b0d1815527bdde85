import os

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

# CI sets KCITY_NO_SKIP=1: a test that would skip because PostgreSQL, Redis or Chromium is missing fails instead.
NO_SKIP = os.environ.get("KCITY_NO_SKIP") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if NO_SKIP and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, where every service must be present: {report.longrepr}"


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _english_and_default_zone():
    """Start every test in English and the site's zone: a request by a Korean-speaking user leaves its language
    active in the thread, which must not leak into the next test's direct service calls."""
    translation.activate("en")
    timezone.deactivate()
    yield
    translation.activate("en")
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _default_language_and_time_zone():
    # accounts.middleware activates the signed-in user's language and time zone for the thread; without this
    # a Korean staff member's request in one test would leak Korean messages into the next test on that worker.
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _home_catalogue_forgotten():
    # The home page keeps its middle rendered (kcity.site_views.home_catalogue) and forgets it when a row it shows
    # is saved; a test's rollback saves nothing, so the next test would see the rows the last one rolled back.
    from kcity.site_views import home_catalogue_drop

    home_catalogue_drop()
    yield


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    return True


@pytest.fixture
def broker_url():
    return settings.CELERY_BROKER_URL

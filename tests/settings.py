"""Settings for the test run (pyproject's DJANGO_SETTINGS_MODULE): the portal's own settings, with a fast hasher.

Tests create hundreds of users and sign in thousands of times; the production hasher is slow on purpose and its
cost is not what they test. Where a test is about the hasher's work it sets its own (tests/accounts/
test_allauth_mail.py counts hashes with a PBKDF2 subclass); `make bench` times sign-up with kcity.settings.

Processes a test starts (check --deploy, the production shape, Celery workers in tests/processes.py) do not
inherit this module: their environment drops DJANGO_* and names kcity.settings, as an operator's would.
"""

from kcity.settings import *  # noqa: F403  (all of the portal's settings, then the one override)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One session engine in every mode, so the pinned query counts are the same with and without REDIS_URL
# ("cached_db" answers a signed-in request from Redis and saves a query). tests/test_sessions.py switches the
# production choice back on, and tests/test_settings.py checks kcity.settings makes it.
SESSION_ENGINE = "accounts.sessions"

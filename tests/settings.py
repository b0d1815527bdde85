"""Settings for the test run (pyproject's DJANGO_SETTINGS_MODULE): the portal's own settings, with a fast hasher.

Tests create hundreds of users and sign in thousands of times; the production hasher is slow on purpose and its
cost is not what they test. Where a test is about the hasher's work it sets its own (tests/accounts/
test_allauth_mail.py counts hashes with a PBKDF2 subclass); `make bench` times sign-up with kcity.settings.

Processes a test starts (check --deploy, the production shape, Celery workers in tests/processes.py) do not
inherit this module: their environment drops DJANGO_* and names kcity.settings, as an operator's would.
"""

from kcity.settings import *  # noqa: F403  (all of the portal's settings, then the one override)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

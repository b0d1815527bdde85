import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Committee tests create many members; the production hasher's cost is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

import pytest

from tests.factories.consulting import NOW, make_booking, make_consultant, make_session_type

# The builders live in tests/factories/consulting.py; test modules still import them from here too.
__all__ = ["NOW", "make_booking", "make_consultant", "make_session_type"]


@pytest.fixture
def consultant(db):
    return make_consultant()


@pytest.fixture
def session_type(db):
    return make_session_type()

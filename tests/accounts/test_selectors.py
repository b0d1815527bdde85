"""accounts.selectors: reads asked on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.selectors import has_membership
from tests.factories import UserFactory
from tests.factories.accounts import applicant

pytestmark = pytest.mark.django_db


def test_has_membership_says_whether_the_person_belongs_to_an_organisation_in_one_query_each():
    member, loner = applicant(), UserFactory()

    with CaptureQueriesContext(connection) as queries:
        answers = [has_membership(member), has_membership(loner), has_membership(member)]

    assert answers == [True, False, True] == [member.memberships.exists(), loner.memberships.exists(), True]
    assert len(queries) == 3

"""After sign-in each role lands on its own workspace, unless a safe `next` says otherwise; the navigation shows
each role what it uses (issue 12)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, CooperationCentreFactory, StaffFactory, UserFactory, applicant
from tests.factories.committee import member
from tests.factories.consulting import make_consultant

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()


def person(role):
    if role == "applicant":
        user = applicant()
    elif role == "staff":
        user = StaffFactory()
    elif role == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    elif role == Role.CONSULTANT:
        user = make_consultant().user
    elif role == Role.COMMITTEE_MEMBER:
        user = member().user
    else:
        user = UserFactory(role=role)
    if role == Role.CENTRE_STAFF:
        CooperationCentreFactory().staff.add(user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize(("role", "landing"), [
    ("applicant", "proposals:workspace"),
    ("staff", "proposals_staff:inbox"),
    ("superuser", "proposals_staff:inbox"),
    (Role.CONSULTANT, "consulting:consultant-home"),
    (Role.COMMITTEE_MEMBER, "committee:workspace"),
    (Role.CENTRE_STAFF, "cooperation:region"),
    (Role.CONTRACTOR, "cooperation:projects"),
])
def test_each_role_lands_on_its_workspace(client, role, landing):
    user = person(role)

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_wins_over_the_landing_page(client):
    user = person("staff")

    response = client.post(f"{LOGIN}?next=/admin/proposals/proposal/", {"login": user.email, "password": PASSWORD})

    assert response["Location"] == "/admin/proposals/proposal/"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/inbox", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored_for_the_landing_page(client, unsafe):
    user = person(Role.CONSULTANT)

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD, "next": unsafe})

    assert response["Location"] == reverse("consulting:consultant-home")


def test_applicant_without_an_organisation_is_still_sent_to_register_one(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})

    assert response["Location"] == reverse("accounts:organisation-create")


NAV = {
    "inbox": 'id="nav-inbox"',
    "proposals": f'href="{reverse("proposals:workspace")}">',
    "find_consultant": f'href="{reverse("consulting:consultant-list")}"',
    "sessions": f'href="{reverse("consulting:consultant-home")}"',
    "committee": f'href="{reverse("committee:workspace")}"',
    "cooperation": f'href="{reverse("cooperation:projects")}"',
    "staff_week": f'href="{reverse("consulting:staff-week")}"',
}


@pytest.mark.parametrize(("role", "shown"), [
    ("applicant", {"proposals", "find_consultant"}),
    ("staff", {"inbox", "committee", "staff_week", "cooperation"}),
    (Role.CONSULTANT, {"proposals", "sessions"}),
    (Role.COMMITTEE_MEMBER, {"committee"}),
    (Role.CENTRE_STAFF, {"proposals", "cooperation"}),
])
def test_navigation_shows_each_role_what_it_uses(client, role, shown):
    client.force_login(person(role))

    html = client.get(reverse("stats")).content.decode()
    nav = html[html.index('<nav class="navbar'):html.index("</nav>")]

    assert {name for name, marker in NAV.items() if marker in nav} == shown

"""Staff cannot raise anyone above their own rights, nor take over a colleague's or a superuser's account."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_celery_beat.models import PeriodicTask

from accounts import services
from accounts.models import Role, User
from audit.models import AuditEntry
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Exactly what the secretariat does in the back office (accounts/secretariat.py, applied by accounts/0002).
SECRETARIAT_PERMISSIONS = sorted([
    "accounts.add_membership", "accounts.add_organisation", "accounts.add_user", "accounts.change_membership",
    "accounts.change_organisation", "accounts.change_user", "accounts.delete_membership",
    "accounts.view_membership", "accounts.view_organisation", "accounts.view_user", "audit.view_auditentry",
    "committee.add_agendaitem", "committee.add_assignment", "committee.add_attendance",
    "committee.add_committeemember", "committee.add_decisionrule", "committee.change_decisionrule",
    "committee.view_decisionrule", "committee.add_criterion", "committee.add_meeting", "committee.add_rubric",
    "committee.change_agendaitem", "committee.change_assignment", "committee.change_attendance",
    "committee.change_committeemember", "committee.change_criterion", "committee.change_decisionletter",
    "committee.change_meeting", "committee.change_minutes", "committee.change_rubric",
    "committee.delete_agendaitem", "committee.delete_assignment", "committee.delete_criterion",
    "committee.view_agendaitem", "committee.view_assignment", "committee.view_attendance",
    "committee.view_committeemember", "committee.view_conflictdeclaration", "committee.view_criterion",
    "committee.view_decision", "committee.view_decisionletter", "committee.view_meeting", "committee.view_minutes",
    "committee.view_review", "committee.view_rubric", "committee.view_score", "committee.view_vote",
    "consulting.add_availabilityrule", "consulting.add_consultant", "consulting.add_dateoverride",
    "consulting.add_sessiontype", "consulting.change_availabilityrule", "consulting.change_booking",
    "consulting.change_consultant", "consulting.change_dateoverride", "consulting.change_sessiontype",
    "consulting.delete_availabilityrule", "consulting.delete_dateoverride", "consulting.view_availabilityrule",
    "consulting.view_booking", "consulting.view_consultant", "consulting.view_dateoverride",
    "consulting.view_preconsultingreport", "consulting.view_sessiontype", "cooperation.change_project",
    "cooperation.view_project", "django_celery_beat.view_crontabschedule",
    "django_celery_beat.view_intervalschedule", "django_celery_beat.view_periodictask", "notifications.add_notice",
    "notifications.view_notice", "notifications.view_outboxemail", "notifications.view_sentreminder",
    "proposals.add_cooperationcentre", "proposals.add_cycle", "proposals.add_holiday", "proposals.add_message",
    "proposals.add_programme", "proposals.add_servicelevel", "proposals.add_track",
    "proposals.change_cooperationcentre", "proposals.change_cycle", "proposals.change_holiday",
    "proposals.change_programme", "proposals.change_proposal", "proposals.change_servicelevel",
    "proposals.change_track", "proposals.delete_holiday", "proposals.triage_proposal", "proposals.view_attachment",
    "proposals.view_contactperson", "proposals.view_cooperationcentre", "proposals.view_cycle",
    "proposals.view_holiday", "proposals.view_invitation", "proposals.view_message", "proposals.view_programme",
    "proposals.view_proposal", "proposals.view_servicelevel", "proposals.view_statuschange", "proposals.view_track",
])


def _perm_names(group) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type"))


@pytest.fixture
def secretariat():
    return Group.objects.get(name="Secretariat")


@pytest.fixture
def officer(secretariat):
    user = StaffFactory(email="officer@example.org")
    user.groups.add(secretariat)
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def browser(officer):
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def superuser():
    return StaffFactory(email="root@example.org", is_superuser=True)


def _change_data(user, **overrides):
    data = {
        "email": user.email, "full_name": user.full_name, "job_title": "", "phone": "", "language": user.language,
        "time_zone": str(user.time_zone), "role": user.role, "is_active": "on",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_secretariat_group_has_exactly_the_secretariats_permissions(secretariat):
    assert _perm_names(secretariat) == SECRETARIAT_PERMISSIONS


def test_secretariat_cannot_edit_celery_schedules_or_delete_projects(officer):
    assert officer.has_perm("django_celery_beat.view_periodictask")
    assert not officer.has_perm("django_celery_beat.change_periodictask")
    assert not officer.has_perm("django_celery_beat.add_periodictask")
    assert not officer.has_perm("cooperation.delete_project")
    assert not officer.has_perm("auth.change_group")
    assert not officer.has_perm("audit.delete_auditentry")


def test_secretariat_periodic_task_page_is_read_only(browser):
    task = PeriodicTask.objects.first()
    url = f"/admin/django_celery_beat/periodictask/{task.pk}/change/"

    assert browser.get(url).status_code == 200
    response = browser.post(url, {"name": task.name, "task": "proposals.tasks.staff_digest_send", "enabled": ""})

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.enabled


def test_staff_user_form_has_no_superuser_permission_or_password_fields(browser):
    target = UserFactory()

    response = browser.get(f"/admin/accounts/user/{target.pk}/change/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"is_superuser", "user_permissions", "password"}.isdisjoint(
        {name for fieldset in response.context["adminform"] for line in fieldset for field in line
         for name in [field.field["name"] if isinstance(field.field, dict) else field.field.name]}
    )
    assert 'name="is_superuser"' not in response.content.decode()
    assert 'name="user_permissions"' not in response.content.decode()
    assert "password/" not in response.content.decode()
    assert "groups" in form.fields


def test_staff_posting_is_superuser_on_an_applicant_changes_nothing_above_their_rights(browser, officer):
    target = UserFactory(full_name="Rina Wulandari")

    response = browser.post(f"/admin/accounts/user/{target.pk}/change/",
                            _change_data(target, full_name="Rina W.", is_superuser="on"))

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.full_name, target.is_superuser) == ("Rina W.", False)
    entry = AuditEntry.objects.get(action="user.change", target_id=str(target.pk))
    assert entry.actor == officer


def test_superuser_user_form_still_has_the_privilege_fields(superuser):
    client = Client()
    client.force_login(superuser)
    target = UserFactory()

    body = client.get(f"/admin/accounts/user/{target.pk}/change/").content.decode()

    assert 'name="is_superuser"' in body
    assert 'name="user_permissions"' in body
    assert "../password/" in body


def test_staff_cannot_change_a_superusers_account_or_password(browser, superuser):
    before = superuser.password

    page = browser.post(f"/admin/accounts/user/{superuser.pk}/change/",
                        _change_data(superuser, email="me@evil.example"))
    password = browser.post(f"/admin/accounts/user/{superuser.pk}/password/", {
        "password1": "taken-over-pass-phrase-1", "password2": "taken-over-pass-phrase-1", "usable_password": "true",
    })

    assert page.status_code == 403
    assert password.status_code == 403
    superuser.refresh_from_db()
    assert (superuser.email, superuser.password) == ("root@example.org", before)
    assert not superuser.check_password("taken-over-pass-phrase-1")


def test_staff_cannot_change_a_colleagues_account(browser, secretariat):
    colleague = StaffFactory(email="colleague@example.org")
    colleague.groups.add(secretariat)

    response = browser.post(f"/admin/accounts/user/{colleague.pk}/change/",
                            _change_data(colleague, email="colleague@evil.example"))

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.email == "colleague@example.org"
    assert browser.get(f"/admin/accounts/user/{colleague.pk}/change/").status_code == 200  # read-only view


def test_staff_cannot_set_an_applicants_password_in_the_admin(browser):
    target = UserFactory()

    response = browser.get(f"/admin/accounts/user/{target.pk}/password/")

    assert response.status_code == 403


def test_staff_can_grant_only_groups_within_their_own_rights(browser, secretariat):
    operators = Group.objects.create(name="Operators")
    operators.permissions.add(Permission.objects.get(codename="change_periodictask"))
    target = UserFactory(role=Role.COMMITTEE_MEMBER)

    refused = browser.post(f"/admin/accounts/user/{target.pk}/change/", _change_data(target, groups=[operators.pk]))
    granted = browser.post(f"/admin/accounts/user/{target.pk}/change/", _change_data(target, groups=[secretariat.pk]))

    assert refused.status_code == 200
    assert "groups" in refused.context["adminform"].form.errors
    assert granted.status_code == 302
    assert list(target.groups.values_list("name", flat=True)) == ["Secretariat"]


def test_staff_created_account_has_no_password_and_no_privileges(browser, officer):
    response = browser.post("/admin/accounts/user/add/", {
        "email": "new.member@example.org", "full_name": "New Member", "role": Role.COMMITTEE_MEMBER,
        "language": "en", "time_zone": "Asia/Seoul", "is_superuser": "on", "password1": "x", "password2": "x",
    })

    assert response.status_code == 302
    user = User.objects.get(email="new.member@example.org")
    assert (user.is_superuser, user.has_usable_password(), user.role) == (False, False, Role.COMMITTEE_MEMBER)
    assert AuditEntry.objects.filter(action="user.create", target_id=str(user.pk), actor=officer).exists()


def test_service_refuses_staff_making_a_superuser(officer):
    target = UserFactory()
    target.is_superuser = True

    with pytest.raises(PermissionDenied):
        services.user_save_by_staff(by=officer, user=target, changed=["is_superuser"])

    target.refresh_from_db()
    assert not target.is_superuser


def test_service_refuses_staff_setting_a_password(officer):
    target = UserFactory()
    target.set_password("chosen-by-staff-pass-2")

    with pytest.raises(PermissionDenied):
        services.user_save_by_staff(by=officer, user=target, changed=["password"])

    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_service_refuses_staff_granting_single_permissions(officer):
    target = UserFactory()

    with pytest.raises(PermissionDenied):
        services.user_save_by_staff(by=officer, user=target, changed=["user_permissions"],
                                    user_permissions=[Permission.objects.get(codename="change_periodictask")])


def test_profile_service_refuses_role_and_flags():
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        services.user_profile_update(user=user, by=user, data={"full_name": "X", "role": Role.STAFF,
                                                              "is_staff": True})

    user.refresh_from_db()
    assert (user.role, user.is_staff) == (Role.APPLICANT, False)

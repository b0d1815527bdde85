"""Staff put implementing organisations and contractors' staff on a project; an invited person sets a password
from the e-mailed link and then sees only their projects."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role, User
from cooperation.models import ActivityStatus, ProjectMember
from cooperation.services import contractor_invite, participant_add
from core.errors import TransitionRefused
from notifications.models import OutboxEmail
from tests.factories import StaffFactory, applicant
from tests.factories.cooperation import ContractorFactory, ParticipantFactory, ProjectFactory, partner_user

pytestmark = pytest.mark.django_db


def test_staff_add_a_consortium_member_with_its_share():
    project = ProjectFactory(support_amount_krw=500_000_000)
    staff = StaffFactory()

    member = participant_add(project=project, by=staff, name="Hanwha Smart City", share_krw=200_000_000)

    assert (member.role, member.side, member.share_krw) == (4, "contractor", 200_000_000)
    assert project.events.filter(kind="project.participant_added").exists()
    with pytest.raises(ValidationError, match="more than the approved"):
        participant_add(project=project, by=staff, name="KT Corporation", share_krw=400_000_000)
    with pytest.raises(ValidationError, match="already implements"):
        participant_add(project=project, by=staff, name="Hanwha Smart City")
    with pytest.raises(PermissionDenied):
        participant_add(project=project, by=partner_user(project), name="Samsung C&T")


def test_the_invitation_makes_a_contractor_account_and_mails_a_set_password_link(client):
    project = ProjectFactory()
    firm = ParticipantFactory(project=project, name="Dohwa Engineering")
    staff = StaffFactory()

    member = contractor_invite(project=project, participant=firm, email=" Lee.Min@Dohwa.example ",
                               full_name="Lee Min-ho", by=staff)

    user = member.user
    assert (user.email, user.role, user.has_usable_password()) == ("lee.min@dohwa.example", Role.CONTRACTOR, False)
    assert EmailAddress.objects.get(user=user).verified
    assert project.events.filter(kind="project.member_added").exists()
    outbox = OutboxEmail.objects.get(to_email="lee.min@dohwa.example")
    assert "Dohwa Engineering" in outbox.body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", outbox.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    # The link opens allauth's set-password form (it redirects once to hide the key), the password is set,
    # and the person signs in and lands on their projects.
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200 and "password1" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
                       {"password1": "a-Long-new-passw0rd", "password2": "a-Long-new-passw0rd"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.has_usable_password()
    client.logout()
    signed_in = client.post(reverse("account_login"), {"login": user.email, "password": "a-Long-new-passw0rd"})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("cooperation:projects")
    listing = client.get(reverse("cooperation:projects"))
    assert [p.pk for p in listing.context["projects"]] == [project.pk]


def test_an_existing_contractor_is_reused_and_told():
    first, second = ProjectFactory(), ProjectFactory()
    person = ContractorFactory(email="kim@dohwa.example")
    staff = StaffFactory()
    contractor_invite(project=first, participant=ParticipantFactory(project=first), email="kim@dohwa.example",
                      by=staff)

    contractor_invite(project=second, participant=ParticipantFactory(project=second), email="KIM@dohwa.example",
                      by=staff)

    assert User.objects.filter(email="kim@dohwa.example").count() == 1
    assert set(ProjectMember.objects.filter(user=person).values_list("project", flat=True)) == {first.pk, second.pk}
    assert OutboxEmail.objects.filter(to_email="kim@dohwa.example").count() == 2


def test_invitations_refused_with_reasons():
    project = ProjectFactory()
    firm = ParticipantFactory(project=project)
    staff = StaffFactory()
    partner = partner_user(project)
    contractor_invite(project=project, participant=firm, email="a@firm.example", full_name="A", by=staff)

    refusals = {}
    for label, kwargs in {
        "twice": {"email": "a@firm.example"},
        "other_role": {"email": partner.email},
        "no_name": {"email": "new@firm.example"},
        "bad_email": {"email": "not-an-address"},
        "not_implementing": {"email": "b@firm.example", "full_name": "B",
                             "participant": project.participants.get(role=2)},
    }.items():
        with pytest.raises(ValidationError) as refused:
            contractor_invite(project=project, by=staff, **{"participant": firm, **kwargs})
        refusals[label] = " ".join(refused.value.messages)

    assert "already works on this project" in refusals["twice"]
    assert "already has an account as applicant" in refusals["other_role"]
    assert "Give the person's name" in refusals["no_name"]
    assert "valid e-mail" in refusals["bad_email"]
    assert "implementing organisations" in refusals["not_implementing"]
    assert User.objects.get(email=partner.email).role == Role.APPLICANT
    with pytest.raises(PermissionDenied):
        contractor_invite(project=project, participant=firm, email="c@firm.example", full_name="C", by=partner)


def test_no_invitation_onto_a_closed_project():
    project = ProjectFactory(activity_status=ActivityStatus.CLOSED)

    with pytest.raises(TransitionRefused):
        contractor_invite(project=project, participant=ParticipantFactory(project=project), email="x@firm.example",
                          full_name="X", by=StaffFactory())


def test_the_overview_invites_and_shows_a_refusal_in_the_form(client):
    project = ProjectFactory()
    firm = ParticipantFactory(project=project)
    client.force_login(StaffFactory())
    url = reverse("cooperation:member-invite", args=[project.pk])

    refused = client.post(url, {"participant": firm.pk, "email": applicant().email})
    invited = client.post(url, {"participant": firm.pk, "email": "park@firm.example", "full_name": "Park"})

    assert refused.status_code == 400 and "already has an account" in refused.content.decode()
    assert invited.status_code == 302
    assert ProjectMember.objects.filter(project=project, user__email="park@firm.example").exists()
    assert len(mail.outbox) <= 1  # delivery runs from the outbox (notifications); nothing sent twice

"""One error pattern for every form (GOV.UK): after a failed POST the page carries an error summary at the top of
the main content whose links go to the fields, its title starts with "Error: ", and each invalid field is
aria-invalid with aria-describedby pointing at its message. Checked over one form of every family."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from committee.services import assignment_create, conflict_declare
from consulting.models import SessionType
from proposals.models import Proposal
from tests.committee.helpers import member, proposal_in_review, rubric
from tests.consulting.conftest import make_consultant, make_session_type
from tests.factories import PASSWORD, ProposalFactory, StaffFactory, UserFactory, applicant
from tests.factories.cooperation_meetings import project_cast

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The parts of a page these checks read: the title, elements by id, and their attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.title = ""
        self.by_id: dict[str, dict] = {}
        self.summary_links: list[str] = []
        self.described_by: list[str] = []
        self._in_title = False
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        attrs["_tag"] = tag
        if tag == "title":
            self._in_title = True
        if attrs.get("id"):
            self.by_id.setdefault(attrs["id"], attrs)
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())
        if attrs.get("id") == "error-summary":
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._in_summary and tag == "div":
            self._in_summary -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@dataclass
class FailedPost:
    url: str
    data: dict
    field_id: str  # one invalid field the summary must link to (a radio group: its first input)
    group: bool = False  # a radio/checkbox group: the message hangs on its fieldset


def _sign_up(client):
    return FailedPost(
        reverse("account_signup"), {"email": "not-an-address", "password1": "", "password2": ""}, "id_email"
    )


def _sign_in(client):
    UserFactory(email="known@example.org")
    return FailedPost(reverse("account_login"), {"login": "", "password": "wrong" + PASSWORD}, "id_login")


def _organisation(client):
    client.force_login(UserFactory())  # an applicant without an organisation yet
    return FailedPost(reverse("accounts:organisation-create"), {"name": "", "country": "ID", "kind": "city"}, "id_name")


def _proposal_step(client):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)
    return FailedPost(
        reverse("proposals:edit", args=[proposal.pk, "context"]),
        {"version": proposal.version, "population": "-5", "area_km2": "lots"},
        "id_population",
    )


def _booking(client):
    consultant = make_consultant()
    session_type = make_session_type()
    client.force_login(applicant())
    url = reverse("consulting:booking-new", args=[consultant.pk]) + f"?session_type={session_type.pk}"
    return FailedPost(
        url, {"start": "2026-13-45T99:00:00Z", "session_type": session_type.pk, "questions": "x" * 5000}, "id_questions"
    )


def _availability(client):
    consultant = make_consultant()
    client.force_login(consultant.user)
    data = {"action": "rules"}
    for weekday in range(7):
        data[f"day{weekday}-TOTAL_FORMS"] = "1"
        data[f"day{weekday}-INITIAL_FORMS"] = "0"
        data[f"day{weekday}-0-start_time"] = "15:00" if weekday == 2 else ""
        data[f"day{weekday}-0-end_time"] = "14:00" if weekday == 2 else ""
    return FailedPost(reverse("consulting:availability"), data, "id_day2-0-end_time")


def _scoring(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    client.force_login(reviewer.user)
    data = {f"criterion_{c.pk}": "4" for c in criteria[1:]}
    return FailedPost(
        reverse("committee:review", args=[proposal.pk]), data, f"id_criterion_{criteria[0].pk}_0", group=True
    )


def _declaration(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    rubric(proposal.track.programme)
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    client.force_login(reviewer.user)
    # The browser always sends the CSRF token; here a blank reason stands for "nothing chosen".
    return FailedPost(reverse("committee:declare", args=[proposal.pk]), {"reason": ""}, "id_has_conflict_0", group=True)


def _cooperation_meeting(client):
    cast = project_cast()
    client.force_login(cast.staff)
    data = {
        "kind": "site_visit",
        "time_zone": "Asia/Jakarta",
        "starts_at": "2027-01-10T10:00",
        "ends_at": "2027-01-10T09:00",
        "place": "Pier 3",
        "online_link": "",
    }
    return FailedPost(reverse("cooperation:meeting-new", args=[cast.project.pk]), data, "id_ends_at")


FAMILIES = {
    "sign-up": _sign_up,
    "sign-in": _sign_in,
    "organisation": _organisation,
    "proposal-step": _proposal_step,
    "booking": _booking,
    "availability": _availability,
    "scoring": _scoring,
    "declaration": _declaration,
    "cooperation-meeting": _cooperation_meeting,
}


@pytest.mark.parametrize("family", FAMILIES)
def test_failed_post_shows_summary_title_and_field_links(client, family):
    failed = FAMILIES[family](client)

    response = client.post(failed.url, failed.data)

    assert response.status_code in (200, 400), response.status_code
    page = Page(response.content.decode())
    summary = page.by_id["error-summary"]
    assert (summary["role"], summary["tabindex"]) == ("alert", "-1")
    assert page.by_id["error-summary-title"]["_tag"] == "h2"
    assert page.title.startswith("Error: ")
    assert f"#{failed.field_id}" in page.summary_links
    # Every link goes to an element on the page.
    for href in page.summary_links:
        assert href.lstrip("#") in page.by_id, href
    field = page.by_id[failed.field_id]
    if failed.group:
        # The group's message is tied to its fieldset (or radiogroup); the summary link goes to the first input.
        error_id = f"{failed.field_id[:-2]}_error"
        assert error_id in page.described_by
        assert error_id in page.by_id
        assert field["type"] == "radio"
    else:
        assert field.get("aria-invalid") == "true"
        described = field["aria-describedby"].split()
        assert f"{failed.field_id}_error" in described
        assert f"{failed.field_id}_error" in page.by_id


def test_summary_is_not_shown_on_an_unsubmitted_form(client):
    response = client.get(reverse("account_login"))

    page = Page(response.content.decode())
    assert "error-summary" not in page.by_id
    assert not page.title.startswith("Error")


def test_error_title_and_summary_follow_the_language(client):
    client.force_login(UserFactory(language="ko"))
    with translation.override("ko"):
        prefix, heading = gettext("Error: "), gettext("There is a problem")

    response = client.post(reverse("accounts:organisation-create"), {"name": ""})

    page = Page(response.content.decode())
    assert "error-summary" in page.by_id
    assert page.title.startswith(prefix)
    assert heading in response.content.decode()


class _TwoFieldForm(forms.Form):
    name = forms.CharField(label="Name")
    choice = forms.ChoiceField(label="Choice", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def test_summary_lists_non_field_and_hidden_errors_with_links_to_first_inputs():
    form = _TwoFieldForm({"name": "", "choice": "", "token": ""})

    html = Template("{% load error_summary %}{% error_summary %}").render(Context({"form": form, "forms": [form]}))

    items = re.findall(r'<li><a class="alert-link" href="([^"]+)">([^<]+)</a></li>', html)
    assert items == [
        ("#id_name", "Something about the whole form."),
        ("#id_name", "Name: This field is required."),
        ("#id_choice_0", "Choice: This field is required."),
        ("#id_name", "This field is required."),
    ]


def test_availability_inputs_are_labelled_by_day_and_end(client):
    consultant = make_consultant()
    client.force_login(consultant.user)

    html = client.get(reverse("consulting:availability")).content.decode()

    time_inputs = re.findall(r'<input type="time"[^>]*id="([^"]+)"', html)
    labels = dict(re.findall(r'<label class="visually-hidden" for="([^"]+)">([^<]+)</label>', html))
    assert len(time_inputs) >= 40
    assert all(labels.get(i) for i in time_inputs), [i for i in time_inputs if i not in labels]
    assert labels["id_day0-0-start_time"] == "Monday, from"
    assert labels["id_day6-0-end_time"] == "Sunday, until"
    assert labels["id_start_1"] == "Other hours 1, from"


def test_session_type_choice_waits_for_its_button(client):
    consultant = make_consultant()
    make_session_type()
    client.force_login(applicant())

    html = client.get(consultant.get_absolute_url()).content.decode()

    select = re.search(r'<select[^>]*id="session-type-select"[^>]*>', html).group(0)
    assert "data-autosubmit" not in select
    assert 'id="session-type-go"' in html and SessionType.objects.exists()


def test_refused_submit_shows_one_summary_linking_to_each_step(client):
    proposal = ProposalFactory(consent=False, population=None)
    Proposal.objects.filter(pk=proposal.pk).update(population=None)
    client.force_login(proposal.owner)

    response = client.post(reverse("proposals:submit", args=[proposal.pk]), {"version": proposal.version}, follow=True)

    html = response.content.decode()
    page = Page(html)
    assert page.title.startswith("Error: ")
    assert html.count('id="error-summary"') == 1
    assert 'class="alert alert-danger alert-dismissible' not in html  # no flashed alert per reason
    review = reverse("proposals:edit", args=[proposal.pk, "review"])
    assert f"{review}#id_consent" in page.summary_links
    assert reverse("proposals:edit", args=[proposal.pk, "documents"]) in page.summary_links
    # Shown once: reloading the review page shows the checklist, not the summary again.
    again = Page(client.get(review).content.decode())
    assert "error-summary" not in again.by_id


def test_autosave_confirmed_answer_carries_version_and_time(client):
    """autosave.js counts only this answer as a save: 2xx JSON with the new version and the time shown."""
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    response = client.post(
        reverse("proposals:autosave", args=[proposal.pk, "context"]),
        {"version": proposal.version, "city_context": "Typed"},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"version", "saved_at", "saved_at_display"}


def test_autosave_after_the_session_ended_is_a_redirect_not_json(client):
    proposal = ProposalFactory()

    response = client.post(
        reverse("proposals:autosave", args=[proposal.pk, "context"]),
        {"version": proposal.version, "city_context": "Typed"},
    )

    assert response.status_code == 302
    assert not response.get("Content-Type", "").startswith("application/json")
    # The script's refusal of this answer in the browser: tests/e2e/test_forms_a11y.py.

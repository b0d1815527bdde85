"""Every free-text field has a maximum that the browser shows as the person types, the form enforces, the API
enforces with a 400 and the OpenAPI schema publishes."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from committee.forms import DeclarationForm
from proposals.api import TransitionSerializer
from tests.factories import ProposalFactory
from tests.proposals.test_api import api_for

pytestmark = pytest.mark.django_db

OUR_APPS = ["accounts", "audit", "proposals", "consulting", "committee", "notifications", "cooperation"]


def test_no_text_field_in_our_models_is_unbounded():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not field.max_length
    ]

    assert unbounded == []


def test_openapi_schema_publishes_the_maximum(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    proposal = schema["components"]["schemas"]["PatchedProposalUpdateRequest"]["properties"]
    assert (proposal["problem_statement"]["maxLength"], proposal["city_context"]["maxLength"]) == (6000, 6000)


def test_over_long_text_in_a_step_form_gets_the_field_error(client):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    response = client.post(
        reverse("proposals:edit", args=[proposal.pk, "context"]),
        {"version": proposal.version, "city_context": "x" * 6001},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["city_context"] == [
        "Ensure this value has at most 6000 characters (it has 6001)."
    ]
    proposal.refresh_from_db()
    assert proposal.city_context != "x" * 6001


def test_line_breaks_count_once_as_the_browser_counts_them(client):
    # 600 lines of 9 letters: 6000 characters in the box, 6600 as the browser submits them (CRLF).
    proposal = ProposalFactory()
    client.force_login(proposal.owner)
    typed = ("x" * 9 + "\r\n") * 600

    response = client.post(
        reverse("proposals:edit", args=[proposal.pk, "context"]),
        {"version": proposal.version, "city_context": typed},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.city_context == typed.replace("\r\n", "\n").strip()


def test_over_long_text_through_the_api_is_400_with_the_message():
    proposal = ProposalFactory()
    api = api_for(proposal.owner)

    update = api.patch(f"/api/v1/proposals/{proposal.pk}/", {"version": proposal.version,
                                                             "problem_statement": "x" * 6001}, format="json")
    message = api.post(f"/api/v1/proposals/{proposal.pk}/messages/", {"body": "y" * 10001}, format="json")

    assert (update.status_code, update.json()) == (
        400, {"problem_statement": ["Ensure this field has no more than 6000 characters."]}
    )
    assert (message.status_code, message.json()) == (
        400, {"body": ["Ensure this field has no more than 10000 characters."]}
    )
    assert proposal.messages.count() == 0


def test_plain_form_and_serializer_fields_are_bounded_too():
    form = DeclarationForm(data={"has_conflict": "yes", "reason": "z" * 2001})
    note = TransitionSerializer(data={"to": "under_review", "note": "n" * 10001})

    assert not form.is_valid()
    assert form.errors["reason"] == ["Ensure this value has at most 2000 characters (it has 2001)."]
    assert not note.is_valid()
    assert note.errors["note"] == ["Ensure this field has no more than 10000 characters."]


@pytest.mark.parametrize(("language", "text"), [("en", "{count} / {max} characters"),
                                                ("ko", "{count} / {max}자")])
def test_text_boxes_carry_their_maximum_and_the_counter_in_the_page_language(client, language, text):
    proposal = ProposalFactory()
    proposal.owner.language = language
    proposal.owner.save()
    client.force_login(proposal.owner)

    page = client.get(reverse("proposals:edit", args=[proposal.pk, "context"])).content.decode()

    assert re.search(r'<textarea name="city_context"[^>]* maxlength="6000"', page)
    assert f'src="/static/js/char-count.js" data-text="{text}"' in page


def test_back_office_text_boxes_carry_their_maximum_and_the_counter(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/admin/proposals/programme/add/").content.decode()

    # One box per language on the language tabs (proposals.translation), each with the field's limit.
    for code in ("en", "ko", "es", "fr", "ar", "ind"):
        assert re.search(rf'<textarea name="description_{code}"[^>]* maxlength="4000"', page), code
    assert ('src="/static/js/char-count.js" data-text="{count} / {max} characters" data-thousand-separator=","'
            ' data-number-grouping="3" defer') in page  # digits grouped as the page's language groups them

"""seed_demo's projects come out public, so the register is not empty, with one public document to download."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cooperation.demo import DEMO_PROJECTS, demo_project
from opendata.selectors import public_documents, public_projects

pytestmark = pytest.mark.django_db


def test_the_demo_projects_are_in_the_register_with_a_public_document(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())

    assert set(public_projects().values_list("title", flat=True)) == set(DEMO_PROJECTS.values())
    closed = demo_project("closed")
    assert [d.title for d in public_documents(closed)] == ["Mobility master plan: summary"]
    midway = demo_project("midway")
    assert not public_documents(midway).exists()  # the inception report stays with the parties
    body = client.get(reverse("opendata:project", args=[closed.pk])).content.decode()
    assert "Mobility master plan: summary" in body

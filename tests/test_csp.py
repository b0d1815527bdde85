"""The Content-Security-Policy header is on every kind of page, and nothing in our templates needs it relaxed."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import Group

    user = UserFactory(role="staff", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Secretariat")
    user.groups.add(group)
    return user


@pytest.mark.parametrize("path", ["/", "/stats/", "/accounts/login/", "/accounts/signup/", "/admin/login/",
                                  "/api/docs/", "/api/docs/?script="])
def test_anonymous_pages_carry_the_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert _policy(response) == EXPECTED


def test_signed_in_pages_and_the_api_carry_the_policy(client):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    for path in ["/proposals/", f"/proposals/{proposal.pk}/edit/context/", f"/api/v1/proposals/{proposal.pk}/"]:
        response = client.get(path)
        assert (path, response.status_code, _policy(response)) == (path, 200, EXPECTED)


def test_api_docs_load_their_init_script_from_a_file(client):
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert 'src="/api/docs/?script="' in page
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_admin_export_page_binds_its_handler_from_a_file(client, staff):
    client.force_login(staff)

    page = client.get("/admin/proposals/proposal/export/").content.decode()

    assert '<script src="/static/js/admin-export.js" defer></script>' in page
    assert "onchange" not in page and "style=" not in page


def test_no_template_needs_inline_script_handlers_or_style_attributes():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<style"):
            found += [f"{template.relative_to(TEMPLATES)}: {m}" for m in re.findall(pattern, text)]

    # Mail templates are not web pages: the policy does not apply to them.
    assert [f for f in found if not f.startswith(("mail/", "email/", "account/email/"))] == []

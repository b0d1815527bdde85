"""A notice is shown in the language its reader has when they read it, not the one they had when it was written;
its e-mail goes in the recipient's own language."""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import Notice
from notifications.services import notice_create
from tests.factories import StaffFactory, applicant, submitted_proposal

pytestmark = pytest.mark.django_db


def _received(proposal, language: str) -> str:
    with translation.override(language):
        return gettext("Proposal received: %(reference)s (%(programme)s)") % {
            "reference": proposal.reference,
            "programme": proposal.track.programme.name,
        }


def _list(client, user, language: str) -> str:
    """The notice list as `user` reads it in `language` (chosen in the language switcher)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/notices/").content.decode()


def _switch(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_notice_written_in_korean_shows_in_english_when_read_in_english(client):
    proposal = submitted_proposal(owner=applicant(language="ko"))
    owner = proposal.owner
    notice = Notice.objects.get(user=owner, event="proposal_acknowledged")
    korean, english = _received(proposal, "ko"), _received(proposal, "en")
    assert korean != english  # the catalogue has it, so the test tells the two apart

    _switch(owner, "en")
    page = _list(client, owner, "en")

    assert (notice.language, notice.title) == ("ko", korean)
    assert english in page and korean not in page


def test_notice_written_in_english_shows_in_korean_when_read_in_korean(client):
    proposal = submitted_proposal(owner=applicant(language="en"))
    owner = proposal.owner

    _switch(owner, "ko")
    page = _list(client, owner, "ko")

    assert _received(proposal, "ko") in page
    assert _received(proposal, "en") not in page


def test_notice_texts_hold_every_offered_language_and_the_email_the_recipients():
    mail.outbox.clear()
    proposal = submitted_proposal(owner=applicant(language="es"))
    notice = Notice.objects.get(user=proposal.owner, event="proposal_acknowledged")

    assert sorted(notice.texts) == ["ar", "en", "es", "fr", "id", "ko"]
    assert notice.texts["fr"]["title"] == _received(proposal, "fr")
    assert notice.texts["es"] == {"title": notice.title, "body": notice.body}
    outbox = proposal.owner.outbox_emails.get(event="proposal_acknowledged")
    assert outbox.subject == _received(proposal, "es")


def test_a_notice_without_the_readers_language_is_shown_as_written_and_marked(client):
    staff, reader = StaffFactory(), StaffFactory(language="ko")
    notice_create(by=staff, user=reader, title="Please call the secretariat", body="Today.")
    old = Notice.objects.create(
        user=reader, event="proposal_status_changed", title="KCN-2026-0001: 심사", body="본문", language="ko"
    )

    page = _list(client, reader, "en")

    assert "<span>Please call the secretariat</span>" in page  # language unknown: no mark
    assert f'<span lang="ko">{old.title}</span>' in page

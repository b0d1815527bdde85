"""E-mails are plain text: user text arrives as typed, and in-app notices are escaped once, by the page."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notice, OutboxEmail
from notifications.services import notify, outbox_send
from proposals.models import Message
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

TYPED = "We'll send the R&D budget <by Friday> \"as agreed\""


@pytest.fixture
def message_notice():
    author = UserFactory(full_name="Dae-jung O'Neil & Co")
    recipient = UserFactory()
    proposal = ProposalFactory(title="Smart R&D district")
    message = Message.objects.create(proposal=proposal, author=author, body=TYPED)
    notify(event="proposal_message", recipients=[recipient], context={"proposal": proposal, "message": message},
           url="/proposals/")
    return recipient


def test_plain_text_email_keeps_user_text_unescaped(message_notice):
    outbox = OutboxEmail.objects.get(user=message_notice)

    assert outbox_send(outbox_id=outbox.pk) is True

    body = mail.outbox[0].body
    assert TYPED in body
    assert "Dae-jung O'Neil & Co wrote:" in body
    assert "&amp;" not in body and "&#x27;" not in body and "&lt;" not in body and "&quot;" not in body


def test_notice_stores_text_as_typed_and_the_page_escapes_it_once(client, message_notice):
    notice = Notice.objects.get(user=message_notice)
    client.force_login(message_notice)

    html = client.get(reverse("notifications:list")).content.decode()

    assert TYPED in notice.body
    assert "We&#x27;ll send the R&amp;D budget &lt;by Friday&gt;" in html
    assert "&amp;amp;" not in html and "&amp;#x27;" not in html and "&amp;lt;" not in html

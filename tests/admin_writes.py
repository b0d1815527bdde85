"""What the admin-write tests share (tests/<app>/test_admin_writes.py): a signed-in staff superuser, the messages
a page left, the audit rows written, and a service that refuses (to see the refusal arrive as a message).

Each test module makes its own two fixtures from these (`root = staff_superuser()`, `desk = signed_in(root)`)."""

import html
import re

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEntry
from tests.factories import StaffFactory


def staff_superuser():
    return StaffFactory(email="root@example.org", is_superuser=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    """The messages queued by the time `response` was made (those of earlier requests not yet shown, too)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def show_messages(client) -> None:
    """Open the admin index, which shows (and so clears) the queued messages, as the next page a person sees."""
    client.get("/admin/")


def audited(action: str) -> list[tuple]:
    """(actor e-mail, target id, data) of every audit row with `action`, oldest first."""
    return list(AuditEntry.objects.filter(action=action).order_by("id")
                .values_list("actor__email", "target_id", "data"))


def refusing(message: str):
    """A stand-in for a service that refuses whatever it is asked (a rule only the service knows, a race)."""

    def refuse(**kwargs):
        raise ValidationError(message)

    return refuse



def hidden_inputs(client, url: str) -> dict[str, str]:
    """The hidden inputs of the page at `url` (inline management forms), as the browser posts them back."""
    page = client.get(url).content.decode()
    hidden = {name: html.unescape(value)
              for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    hidden.pop("csrfmiddlewaretoken", None)
    return hidden

"""Notices are written and taken back in the back office through notice_create / notice_delete (audit rows, the
reason on the page when refused); the outbox and the reminder ledger are only shown, even to a superuser."""

import pytest
from django.urls import reverse

from notifications import admin as notifications_admin
from notifications.models import Notice, OutboxEmail, SentReminder
from tests.admin_writes import audited, messages_of, refusing, show_messages, signed_in, staff_superuser
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return signed_in(staff_superuser())


def test_notice_written_and_taken_back_through_the_services_never_edited(desk):
    person = UserFactory()

    added = desk.post(reverse("admin:notifications_notice_add"), {
        "user": person.pk, "event": "staff_notice", "title": "Your letter arrived", "body": "", "url": "/proposals/"})
    notice = Notice.objects.get(user=person)
    edited = desk.post(reverse("admin:notifications_notice_change", args=[notice.pk]), {"title": "Changed"})
    deleted = desk.post(reverse("admin:notifications_notice_delete", args=[notice.pk]), {"post": "yes"})

    assert (added.status_code, edited.status_code, deleted.status_code) == (302, 403, 302)
    assert audited("notice.create") == [("root@example.org", str(notice.pk), {"user": person.pk,
                                                                              "url": "/proposals/"})]
    assert audited("notice.delete") == [("root@example.org", str(notice.pk), {
        "user": person.pk, "event": "staff_notice", "title": "Your letter arrived"})]
    assert not Notice.objects.exists()


def test_notice_write_the_service_refuses_shows_the_message(desk, monkeypatch):
    person = UserFactory()
    notice = Notice.objects.create(user=person, event="staff_notice", title="Kept")
    monkeypatch.setattr(notifications_admin, "notice_create", refusing("This person has left."))
    monkeypatch.setattr(notifications_admin, "notice_delete", refusing("Already read; it stays."))
    add_url = reverse("admin:notifications_notice_add")
    delete_url = reverse("admin:notifications_notice_delete", args=[notice.pk])

    added = desk.post(add_url, {"user": person.pk, "event": "staff_notice", "title": "New", "body": "", "url": ""})
    show_messages(desk)
    deleted = desk.post(delete_url, {"post": "yes"})

    assert (added.status_code, added["Location"], messages_of(added)) == (302, add_url, ["This person has left."])
    assert (deleted.status_code, deleted["Location"]) == (302, delete_url)
    assert messages_of(deleted) == ["Already read; it stays."]
    assert list(Notice.objects.values_list("title", flat=True)) == ["Kept"]


@pytest.mark.parametrize("model", [OutboxEmail, SentReminder])
def test_outbox_and_reminder_ledger_are_read_only(desk, model):
    row = (OutboxEmail.objects.create(to_email="a@example.org", event="staff_notice", subject="Hi", body="Hi")
           if model is OutboxEmail else SentReminder.objects.create(key="stale-draft:1:2030-01-01"))
    name = model._meta.model_name

    responses = [
        desk.get(reverse(f"admin:notifications_{name}_add")),
        desk.post(reverse(f"admin:notifications_{name}_change", args=[row.pk]), {"subject": "X", "key": "x"}),
        desk.post(reverse(f"admin:notifications_{name}_delete", args=[row.pk]), {"post": "yes"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert desk.get(reverse(f"admin:notifications_{name}_change", args=[row.pk])).status_code == 200  # shown
    assert model.objects.filter(pk=row.pk).exists()

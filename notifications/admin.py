"""The notifications back office. Staff write an in-app notice to one person through notice_create, and take one
back through notice_delete (each audited); the outbox and the reminder ledger are only shown."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ServiceWriteAdmin, service_call
from notifications.models import Notice, OutboxEmail, SentReminder
from notifications.services import notice_create, notice_delete


@admin.register(Notice)
class NoticeAdmin(ServiceWriteAdmin):
    """Staff write a notice to one person; once written it is a record, not edited (the link is checked by the
    model field's validator, so the form shows why a link is refused)."""

    list_display = ["created_at", "user", "event", "title", "read_at"]
    list_filter = ["event"]
    search_fields = ["user__email", "title"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "event", "title", "body", "url"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields, "read_at", "created_at"] if obj is not None else []

    def get_fields(self, request, obj=None):
        return [*self.fields, "read_at", "created_at"] if obj is not None else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = service_call(notice_create, by=request.user, user=obj.user, title=obj.title, body=obj.body,
                               url=obj.url, event=obj.event)
        obj.pk = created.pk

    def delete_model(self, request, obj):
        service_call(notice_delete, by=request.user, notice=obj)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    """Written by notify() in the caller's transaction and updated by the delivery task only: a row changed or
    removed by hand would send mail nobody asked for, or lose mail without a trace."""

    list_display = ["created_at", "to_email", "event", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "event"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["user", "to_email", "event", "subject", "body", "attachments", "state", "attempts",
                       "last_error", "created_at", "sent_at"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    """The exactly-once ledger of the reminder sweeps: a row added by hand would suppress a reminder, a row
    removed would send it again."""

    list_display = ["key", "sent_at"]
    search_fields = ["key"]

from django.contrib import admin

from notifications.models import Notice, OutboxEmail, SentReminder
from notifications.services import notice_create


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = notice_create(by=request.user, user=obj.user, title=obj.title, body=obj.body, url=obj.url,
                                event=obj.event)
        obj.pk = created.pk


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "event", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "event"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["user", "to_email", "event", "subject", "body", "attachments", "state", "attempts",
                       "last_error", "created_at", "sent_at"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "sent_at"]
    search_fields = ["key"]

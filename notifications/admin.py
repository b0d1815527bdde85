from django.contrib import admin

from notifications.models import Notice, OutboxEmail, SentReminder


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "event", "title", "read_at"]
    list_filter = ["event"]
    search_fields = ["user__email", "title"]
    list_select_related = ["user"]


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

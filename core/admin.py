"""What every back-office page of the portal shares: a page writes only through services or not at all.

`ServiceWrites` goes in front of a ModelAdmin whose save and delete call services. The admin calls each service
through `service_call`, so a refusal the form could not foresee (a rule only the service knows, a race) rolls the
request back and comes back as the reason on the same page, never as a server error. Django's bulk delete would
go round `delete_model`; it is offered only where `bulk_delete` says so, and then deletes row by row through
`delete_model` in one transaction. `ReadOnlyAdmin` and `ReadOnlyInline` show what is written elsewhere.

tests/test_architecture.py walks the admin site: every page of the portal's apps is read-only or says
`writes_through_services` and overrides each write Django would otherwise make itself.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.errors import DomainError


class ServiceRefused(Exception):
    """A service refused an admin write; carries the reason to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refusal_message(exc: Exception) -> str:
    """The reason a refusal gives, in words a person reads (all of a ValidationError's messages)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, DomainError):
        return str(exc.message)
    return str(exc) or str(_("You may not make this change."))


def service_call(write, /, **kwargs):
    """Run a service for the admin. Its refusal becomes `ServiceRefused`, which `ServiceWrites` shows as a message
    (only here: Django's own PermissionDenied, raised before any service runs, stays a 403)."""
    try:
        return write(**kwargs)
    except (ValidationError, DomainError, PermissionDenied) as exc:
        raise ServiceRefused(refusal_message(exc)) from exc


class ServiceWrites:
    """Mixin for a ModelAdmin (or Django's UserAdmin) whose writes call services through `service_call`."""

    writes_through_services = True
    # Offer "delete selected": each row through delete_model, all of them or none.
    bulk_delete = False

    def _refused(self, request, refused: ServiceRefused):
        self.message_user(request, refused.message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Django runs the save in a transaction: the refusal leaving it rolls back the row, its inlines and the log.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            return self._refused(request, refused)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            return self._refused(request, refused)

    def changelist_view(self, request, extra_context=None):
        # A POST saves list_editable rows or runs an action; one transaction, so a refusal undoes all of it
        # (Django's own log rows included). A GET stays outside any transaction (its query counts are pinned).
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changelist_view(request, extra_context)
        except ServiceRefused as refused:
            return self._refused(request, refused)

    def get_actions(self, request):
        # Django asks three times a list (the checkbox column, the action menu, the view): the actions and the
        # permission checks behind them worked out once per request and admin; each caller gets its own dict.
        memo = request.__dict__.setdefault("_admin_actions", {})
        actions = memo.get(self)
        if actions is None:
            actions = memo[self] = super().get_actions(request)
            if not self.bulk_delete:
                actions.pop("delete_selected", None)
        return dict(actions)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                self.delete_model(request, obj)


class ServiceWriteAdmin(ServiceWrites, admin.ModelAdmin):
    """A ModelAdmin whose save and delete call services (override save_model / delete_model / save_formset)."""


class TranslatedServiceWriteAdmin(ServiceWrites, TabbedTranslationAdmin):
    """A ServiceWriteAdmin for a model with translated fields (<app>/translation.py): one tab per language for
    each translated field, English required; saves and deletes still go through the services."""


class ReadOnly:
    """Mixin: nothing is added, changed or deleted on this page, by anyone (a superuser included)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A page that shows records written elsewhere (by services, tasks or other pages)."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False

"""Pieces the back-office admin pages share: who may use them, the read-only inlines of the proposal page, list
filters."""

import functools

from django.contrib import admin
from django.db import router
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.rules import is_staff_member
from core.compiled import CompiledRows
from proposals import triage
from proposals.hooks import Facet
from proposals.models import Attachment, ContactPerson, Cycle, Message, StatusChange
from proposals.triage import facets_filter


class StaffMemberAccess:
    """MOLIT staff (role "staff") run the back office; the same predicate as the rest of the portal."""

    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request, *args):
        return is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_staff_member(request.user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    verbose_name_plural = _("status history")
    fields = ["at", "kind", "from_status", "to_status", "by", "note_kind", "note"]
    readonly_fields = fields

    @admin.display(description=_("note for"))
    def note_kind(self, obj):
        if not obj.note:
            return "—"
        if obj.note_internal:
            return format_html('<strong class="internal-note">{}</strong>', _("Internal note"))
        return _("Applicant")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class MessageInline(ReadOnlyInline):
    model = Message
    verbose_name_plural = _("messages and internal notes")
    fields = ["created_at", "author", "kind", "body"]
    readonly_fields = fields

    @admin.display(description=_("kind"))
    def kind(self, obj):
        if obj.internal:
            return format_html('<strong class="internal-note">{}</strong>', _("Internal note"))
        return _("Message")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class ContactInline(ReadOnlyInline):
    model = ContactPerson
    fields = ["name", "position", "email", "phone"]
    readonly_fields = fields


# --- list filters -----------------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(triage.overdue_q())
        if self.value() == "no":
            return queryset.exclude(triage.overdue_q())
        return queryset


@functools.cache
def facet_list_filter(facet: Facet) -> type[admin.SimpleListFilter]:
    """The changelist filter of a staff list facet another app contributes (proposals.hooks.staff_list_facets)."""

    class FacetFilter(admin.SimpleListFilter):
        title = facet.label
        parameter_name = facet.name

        def lookups(self, request, model_admin):
            return [("yes", facet.yes_label or _("Yes")), ("no", facet.no_label or _("No"))]

        def queryset(self, request, queryset):
            if self.value() in ("yes", "no"):
                return facets_filter(queryset, {facet.name: self.value() == "yes"})
            return queryset

    FacetFilter.__name__ = FacetFilter.__qualname__ = f"{facet.name.title().replace('_', '')}FacetFilter"
    return FacetFilter


class MineFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("My proposals")), ("unassigned", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "unassigned":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


@functools.cache
def country_name(code: str, language: str) -> str:
    """A country's name in `language` (the active one: the argument keys the memo), fixed while the process runs;
    the list's country column and filter ask it for every row and choice."""
    return str(countries.name(code))


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that have proposals (the full ISO list would be 250 links)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        language = get_language()
        return sorted(((code, country_name(code, language)) for code in triage.countries_in_use()),
                      key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


# Each related filter's choices, its SQL compiled once per model, columns, ordering and language: building the
# queryset cost several times the database's answer, on every view of the list.
_NAME_READS: dict[tuple, tuple[CompiledRows, tuple[str, ...]]] = {}


def _name_read(model, columns: tuple[str, ...], ordering: tuple) -> tuple[CompiledRows, tuple[str, ...]]:
    key = (model, columns, ordering)
    read = _NAME_READS.get(key)
    if read is None:
        # The model's own column order, as Model.from_db takes the columns of a deferred instance.
        wanted = {model._meta.pk.attname, *columns}
        attnames = tuple(f.attname for f in model._meta.concrete_fields if f.attname in wanted)
        manager = model._default_manager
        read = _NAME_READS[key] = (CompiledRows(model, lambda: (
            manager.order_by(*ordering) if ordering else manager.all()).values(*attnames)), attnames)
    return read


def names_only_filter(*columns: str) -> type[admin.RelatedFieldListFilter]:
    """Django's related-object filter (the same links and parameter) reading only the `columns` its choices' names
    are made of, not every translated description of each track or centre on every view of the list; each choice's
    name is still the model's own str() of the instance those columns make (as `.only(*columns)` would load it)."""

    class NamesOnlyFilter(admin.RelatedFieldListFilter):
        def field_choices(self, field, request, model_admin):
            ordering = self.field_admin_ordering(field, request, model_admin)
            model = field.remote_field.model
            try:
                rows, attnames = _name_read(model, columns, tuple(ordering))
            except TypeError:  # an ordering that cannot key the compiled reads: the queryset, built each time
                related = model._default_manager.only(*columns)
                return [(obj.pk, str(obj)) for obj in (related.order_by(*ordering) if ordering else related)]
            alias = router.db_for_read(model)
            read = [model.from_db(alias, attnames, [row[name] for name in attnames]) for row in rows()]
            request.__dict__.setdefault(_READ_ON_REQUEST, {})[model] = {obj.pk: obj for obj in read}
            return [(obj.pk, str(obj)) for obj in read]

    return NamesOnlyFilter


_READ_ON_REQUEST = "_names_only_filters"


def names_read_on(request, model) -> dict | None:
    """Every instance of `model` a names-only filter read on this request, by key (each with its name's columns),
    or None if none did."""
    return request.__dict__.get(_READ_ON_REQUEST, {}).get(model)


# A cycle's name is its programme's prefix and its year: those two columns, not a cycle and a programme; in the
# order of the cycles (their programme's, in the reader's language), so compiled per language.
_CYCLES = CompiledRows(Cycle, lambda: Cycle.objects.values("pk", "year", "programme__reference_prefix"))


class CycleFilter(admin.SimpleListFilter):
    title = _("cycle")
    parameter_name = "cycle"

    def lookups(self, request, model_admin):
        return [(str(row["pk"]), Cycle.name_for(row["programme__reference_prefix"], row["year"])) for row in _CYCLES()]

    def queryset(self, request, queryset):
        return queryset.filter(cycle_id=self.value()) if self.value() else queryset

"""The staff back office for proposals: triage list, workflow actions, the proposal page, export.

Every write goes through proposals.services: the status field is never part of a form here, actions call the
workflow service one proposal at a time and report each refusal with its reason.
"""

import datetime
import functools
import html

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_countries.fields import Country
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from accounts.rules import is_staff_member
from core.admin import ServiceWrites, refusal_message, service_call
from core.admin_actions import ActionForm
from core.admin_filters import QuotedOnce
from core.admin_rows import page_cells
from core.errors import DomainError, TransitionRefused
from core.textfields import TextAreaField
from core.translated import translation_columns
from proposals import (
    admin_setup,  # noqa: F401  (registers the programme set-up pages)
    services,
    triage,
)
from proposals.admin_base import (
    AttachmentInline,
    ContactInline,
    CountryFilter,
    CycleFilter,
    MessageInline,
    MineFilter,
    OverdueFilter,
    StaffMemberAccess,
    StatusChangeInline,
    country_name,
    facet_list_filter,
    names_only_filter,
    names_read_on,
)
from proposals.exports import ProposalResource
from proposals.hooks import facets
from proposals.models import InfoRequestTemplate, Message, Proposal, StatusChange
from proposals.selectors import never_submitted_q
from proposals.workflow import (
    MOVES,
    STAFF,
    NoteVisibility,
    Status,
    move_for,
    moves_for,
    moves_named,
    note_visibility_error,
)

# The list's cells that cost most, per row, are lookups whose answer is fixed while the process runs, for a given
# language: a flag's address in the static files' manifest and the country's name (proposals.admin_base.
# country_name) making up the country cell, the "yes/no" icon, a date's and a number's format, the checkbox's
# label.
# Memoised here (a few hundred entries at most), so 50 rows cost 50 dictionary reads instead.


@functools.cache
def flag_url(code: str) -> str:
    return static(f"flags/{code.lower()}.gif")


@functools.cache
def _boolean_icon(value: bool) -> str:
    return display_for_value(value, "", boolean=True)


@functools.lru_cache(maxsize=4096)
def _country_shown(stored: str, language: str) -> str:
    code = Country(code=stored).code  # what obj.country.code says: the stored code as alpha-2
    if not code:
        return "-"
    # django-countries ships the flag images as static files: nothing loads from outside.
    return format_html(
        '<img src="{}" alt="" width="16" height="11" class="country-flag"> {}', flag_url(code),
        country_name(code, language),
    )


@functools.lru_cache(maxsize=16)
def _checkbox_markup(language: str) -> tuple[str, str] | None:
    """Django's row checkbox around its pk: the markup before and after the row's name (escaped), in
    `language`; None if the translated label does not hold the name exactly once."""
    label = format_html(gettext("Select this object for an action - {}"), "\0").split("\0")
    if len(label) != 2:
        return None
    return (f'" class="action-select" aria-label="{label[0]}', f'{label[1]}">')


def _checkbox_cells(cl):
    """action_checkbox for each row of a page: the markup around the row's key and name written once."""
    around = _checkbox_markup(get_language())
    if around is None:
        return cl.model_admin.action_checkbox
    before = f'<input type="checkbox" name="{escape(helpers.ACTION_CHECKBOX_NAME)}" value="'
    return lambda obj: SafeString(f"{before}{html.escape(str(obj.pk))}{around[0]}{html.escape(str(obj))}{around[1]}")


def _country_cells(cl):
    """country_flag for each row of a page, in the page's language."""
    language = get_language()

    def cell(obj):
        stored = obj.__dict__.get("country")
        if stored is None:
            stored = obj.country.code
        return _country_shown(stored or "", language)

    return cell


def _days_cells(cl):
    """days_in_status for each row of a page, in the page's language."""
    language = get_language()

    def cell(obj):
        if obj.status_changed_at is None:
            return "-"
        return _number_shown((timezone.now() - obj.status_changed_at).days, language)

    return cell


def _due_cells(cl):
    """due_date for each row of a page: the day in the page's time zone, written in its language."""
    language, zone = get_language(), timezone.get_current_timezone()
    return lambda obj: "-" if obj.due_at is None else _date_shown(obj.due_at.astimezone(zone).date(), language)


@functools.lru_cache(maxsize=4096)
def _number_shown(number: int, language: str) -> str:
    return number_format(number)


@functools.lru_cache(maxsize=4096)
def _date_shown(day: datetime.date, language: str) -> str:
    return date_format(day, "DATE_FORMAT")


# --- the proposal page --------------------------------------------------------------------------------------


class ProposalAdminForm(forms.ModelForm):
    """Only the assignment is editable; staff reply and internal notes go to message_post."""

    reply = TextAreaField(
        label=_("Reply to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        max_length=Message._meta.get_field("body").max_length,
        help_text=_("Sent to the applicant's team and added to the message thread."),
    )
    internal_note = TextAreaField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Message._meta.get_field("body").max_length,
        help_text=_("Seen by staff only, never by the applicant."),
    )

    move_to = forms.ChoiceField(label=_("Move to"), required=False)
    move_note = TextAreaField(
        label=_("Note with the move"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=StatusChange._meta.get_field("note").max_length,
    )
    move_note_visibility = forms.ChoiceField(
        label=_("Who reads the note"), required=False, choices=NoteVisibility.choices, widget=forms.RadioSelect,
        help_text=_("Choose each time: a note to the applicant is shown in their history and e-mail; an internal "
                    "note only to staff. A request for information always goes to the applicant."),
    )

    class Meta:
        model = Proposal
        fields = ["assigned_to", "cooperation_centre"]

    # Set by ProposalAdmin.get_form: the moves offered are the ones this person may make now.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = triage.staff_members()
        if "move_to" in self.fields:
            moves = moves_for(self.user, self.instance) if self.instance.pk and self.user else []
            self.fields["move_to"].choices = [("", "—"), *((m.target, m.label) for m in moves)]

    def clean(self):
        data = super().clean()
        target, note = data.get("move_to"), (data.get("move_note") or "").strip()
        if note and not target:
            self.add_error("move_to", _("Choose the step this note goes with."))
        if target:
            problem = note_visibility_error(target=target, note=note, visibility=data.get("move_note_visibility"))
            if problem:
                self.add_error("move_note_visibility", problem)
        return data


class RequestInformationForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Start from a template"), required=False, queryset=InfoRequestTemplate.objects.none(),
        help_text=_("Its text is put in the message below, where you can change it before sending."),
    )
    message = TextAreaField(
        label=_("Message to the applicant"), widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        max_length=StatusChange._meta.get_field("note").max_length,
        help_text=_("Say what is missing. The proposal reopens for editing and the applicant is told."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Use this template" (request_information) reloads the form with the template's text in the message.
        self.fields["template"].queryset = InfoRequestTemplate.objects.filter(is_active=True)


class ProposalChangeList(QuotedOnce, ChangeList):
    """The triage list reads a page of the shown columns only, not every proposal's full text (the actions and
    the export build their querysets afresh, with every column)."""

    OWN_COLUMNS = (
        "reference", "title", "country", "status", "status_changed_at", "due_at", "track", "organisation",
        "cooperation_centre",
    )
    COLUMNS = (
        *OWN_COLUMNS, *translation_columns("track__name"), "organisation__name",
        *translation_columns("cooperation_centre__name"), "cooperation_centre__city",
    )

    # The track and centre cells show each one's name, which their filters have just read (every track and centre,
    # a few dozen at most): those instances stand in for two joins and two model instances a row. The organisation
    # cell is its name alone (ProposalAdmin.organisation_name), read beside the row's own columns.
    FROM_FILTERS = ("track", "cooperation_centre")

    def get_results(self, request):
        fields = [Proposal._meta.get_field(name) for name in self.FROM_FILTERS]
        shared = [names_read_on(request, field.related_model) for field in fields]
        if any(read is None for read in shared):
            self.queryset = self.queryset.only(*self.COLUMNS)
            super().get_results(request)
            return
        self.queryset = self.queryset.select_related(None).only(*self.OWN_COLUMNS)
        super().get_results(request)
        # Added to the page's read only: the count needs no organisation.
        self.result_list = self.result_list.annotate(organisation_shown=F("organisation__name"))
        for row in self.result_list:
            for field, read in zip(fields, shared, strict=True):
                key = getattr(row, field.attname)
                if key is None or key in read:  # one added since its filter read: loaded when shown
                    field.set_cached_value(row, None if key is None else read[key])


@admin.register(Proposal)
class ProposalAdmin(StaffMemberAccess, ServiceWrites, ExportMixin, admin.ModelAdmin):
    form = ProposalAdminForm
    change_list_template = "admin/proposals/proposal/change_list.html"
    resource_classes = [ProposalResource]
    list_display = [
        "reference", "title", "country_flag", "track", "organisation_name", "status", "days_in_status", "due_date",
        "overdue", "cooperation_centre",
    ]
    list_display_links = ["reference", "title"]
    # What the columns show (ProposalChangeList.COLUMNS); the cycle and assignee are filters, not columns.
    list_select_related = ["track", "organisation", "cooperation_centre"]
    # Followed by the facets other apps contribute (get_list_filter), e.g. consulting's "report filed".
    list_filter = [
        "status", MineFilter, OverdueFilter, ("track", names_only_filter(*translation_columns("name"))), CountryFilter,
        CycleFilter, ("cooperation_centre", names_only_filter(*translation_columns("name"), "city")),
    ]
    search_fields = ["reference", "title", "organisation__name"]
    search_help_text = _("Reference, title, organisation or country")
    list_per_page = 50
    action_form = ActionForm  # Django's, its widgets written in Python (core.admin_actions)
    # Filtered, the list counts its own rows only, not the whole table again for "of N in total".
    show_full_result_count = False
    ordering = [F("due_at").asc(nulls_last=True), "-id"]
    actions = [
        "start_screening", "request_information", "send_to_pre_consulting", "send_to_committee_review",
        "return_to_screening",
    ]
    inlines = [StatusChangeInline, MessageInline, AttachmentInline, ContactInline]
    fieldsets = [
        (_("Workflow"), {"fields": [
            "reference", "status", "cycle", "track", "organisation", "owner", "collaborator_list", "submitted_at",
            "status_changed_at", "due_at", "overdue", "created_at", "updated_at", "version",
        ]}),
        (_("Assignment"), {"fields": ["assigned_to", "cooperation_centre"]}),
        (_("Move in the workflow"), {"fields": ["move_to", "move_note", "move_note_visibility"]}),
        (_("Staff reply and internal note"), {"fields": ["reply", "internal_note"]}),
        (_("Basics"), {"fields": [
            "title", "country_flag", "region_city", "jurisdiction_level", "lead_organisation", "partner_organisations",
        ]}),
        (_("City context"), {"fields": ["population", "area_km2", "city_context"]}),
        (_("Substance"), {"fields": [
            "problem_statement", "solution_category_list", "proposed_solutions", "objectives", "expected_outcomes",
        ]}),
        (_("Plan and money"), {"fields": [
            "duration_months", "requested_support_krw", "co_financing_krw", "co_financing_description",
            "national_plan_fit", "priority_rank", "earlier_projects", "consent",
        ]}),
    ]
    readonly_fields = [
        "reference", "status", "cycle", "track", "organisation", "owner", "collaborator_list", "submitted_at",
        "status_changed_at", "due_at", "overdue", "created_at", "updated_at", "version", "title", "country_flag",
        "region_city", "jurisdiction_level", "lead_organisation", "partner_organisations", "population", "area_km2",
        "city_context", "problem_statement", "solution_category_list", "proposed_solutions", "objectives",
        "expected_outcomes", "duration_months", "requested_support_krw", "co_financing_krw",
        "co_financing_description", "national_plan_fit", "priority_rank", "earlier_projects", "consent",
    ]

    change_form_template = "admin/proposals/proposal/change_form.html"

    class Media:
        css = {"all": ["proposals/admin.css"]}
        js = ["proposals/info-request-template.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("assigned_to", "cooperation_centre") and formfield is not None:
            # Choosing, not editing: no "add user" / "edit centre" pop-ups next to the assignment.
            for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(formfield.widget, flag, False)
        return formfield

    # Proposals are created by applicants and never deleted; staff triage them.
    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # A draft is the applicant's own until submitted: not listed, opened or exported here (only counted).
        return super().get_queryset(request).exclude(never_submitted_q())

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a class of its own for this request
        form.user = request.user
        return form

    def get_changelist(self, request, **kwargs):
        return ProposalChangeList

    def get_list_filter(self, request):
        return [*self.list_filter, *(facet_list_filter(facet) for facet in facets().values())]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(triage.search_q(search_term)), False

    def has_export_permission(self, request):
        return is_staff_member(request.user)

    def get_export_formats(self):
        return [CSV, XLSX]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related(*triage.STAFF_LIST_RELATED)

    # --- columns ---

    @page_cells(_checkbox_cells)
    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Django's own checkbox, markup for markup, written out: the form widget's template costs about half a
        millisecond a row, the largest part of a 50-row page (and format_html twice a row is most of the rest)."""
        around = _checkbox_markup(get_language())
        if around is None:
            return format_html(
                '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                helpers.ACTION_CHECKBOX_NAME, obj.pk,
                format_html(gettext("Select this object for an action - {}"), str(obj)),
            )
        return mark_safe(
            f'<input type="checkbox" name="{escape(helpers.ACTION_CHECKBOX_NAME)}" value="{escape(obj.pk)}'
            f"{around[0]}{escape(str(obj))}{around[1]}"
        )

    @page_cells(_country_cells)
    @admin.display(description=_("country"), ordering="country")
    def country_flag(self, obj):
        # The stored code: reading obj.country builds a Country object (and looks the code up) each time.
        stored = obj.__dict__.get("country")
        if stored is None:  # deferred: the descriptor reads it
            stored = obj.country.code
        return _country_shown(stored or "", get_language())

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_name(self, obj):
        shown = obj.__dict__.get("organisation_shown")  # the list's rows read the name alone (ProposalChangeList)
        return obj.organisation.name if shown is None else shown

    @page_cells(_days_cells)
    @admin.display(description=_("days in status"), ordering="status_changed_at")
    def days_in_status(self, obj):
        if obj.status_changed_at is None:
            return "-"
        return _number_shown((timezone.now() - obj.status_changed_at).days, get_language())

    @page_cells(_due_cells)
    @admin.display(description=_("due"), ordering="due_at")
    def due_date(self, obj):
        if obj.due_at is None:
            return "-"
        return _date_shown(timezone.localtime(obj.due_at).date(), get_language())

    # Django's yes/no icon (what boolean=True shows), memoised: the column's markup is unchanged.
    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        return _boolean_icon(triage.is_overdue(obj))

    @admin.display(description=_("collaborators"))
    def collaborator_list(self, obj):
        return format_html_join(", ", "{}", ((str(u),) for u in obj.collaborators.all())) or "-"

    @admin.display(description=_("solution categories"))
    def solution_category_list(self, obj):
        return ", ".join(str(label) for label in obj.solution_category_labels()) or "-"

    # --- saving: assignment and messages through the services, nothing else ---

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        service_call(services.proposal_assign, proposal=obj, by=request.user, staff=data.get("assigned_to"),
                     centre=data.get("cooperation_centre"))
        if data.get("reply", "").strip():
            service_call(services.message_post, proposal=obj, by=request.user, body=data["reply"])
        if data.get("internal_note", "").strip():
            service_call(services.message_post, proposal=obj, by=request.user, body=data["internal_note"],
                         internal=True)
        if data.get("move_to"):
            self._move_one(request, obj, target=data["move_to"], note=data.get("move_note", ""),
                           note_internal=data.get("move_note_visibility") == NoteVisibility.INTERNAL)

    def _move_one(self, request, proposal, *, target: str, note: str, note_internal: bool) -> None:
        try:
            services.proposal_transition(proposal=proposal, to=target, by=request.user, note=note,
                                         note_internal=note_internal)
        except (DomainError, PermissionDenied, ValidationError) as exc:
            self.message_user(request, _("The proposal was not moved: %(reason)s") % {"reason": refusal_message(exc)},
                              messages.ERROR)
        else:
            self.message_user(request, _("Moved to %(status)s.") % {"status": Status(target).label}, messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        """Inlines are read-only history: nothing from them is ever saved (the change log still lists them)."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # --- actions: the workflow service, one proposal at a time ---

    def _apply(self, request, queryset, *, name: str, note: str = "") -> None:
        """Make the workflow table's move `name` on each proposal, one at a time through the service."""
        moves = moves_named(name)
        target = moves[0].target
        # "Start" and "return to" screening reach the same state: each action applies only where it means itself.
        narrowed = len({m.name for m in MOVES if m.target == target and m.actor == STAFF}) > 1
        moved = 0
        for proposal in queryset.order_by("pk"):
            label = proposal.reference or proposal.title
            try:
                move = move_for(proposal.status, target)
                if narrowed and (move is None or move.name != name):
                    raise TransitionRefused(
                        _("this action applies to proposals that are %(sources)s; this one is %(status)s.")
                        % {
                            "sources": " / ".join(str(Status(m.source).label).lower() for m in moves),
                            "status": proposal.get_status_display().lower(),
                        }
                    )
                services.proposal_transition(proposal=proposal, to=target, by=request.user, note=note)
            except (DomainError, PermissionDenied, ValidationError) as exc:
                self.message_user(
                    request,
                    _("%(proposal)s was not moved: %(reason)s") % {"proposal": label, "reason": refusal_message(exc)},
                    messages.ERROR,
                )
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d proposal moved to %(status)s.", "%(count)d proposals moved to %(status)s.", moved
                ) % {"count": moved, "status": Status(target).label},
                messages.SUCCESS,
            )

    # One action per staff operation of the workflow table, named after it (the change page offers moves_for).

    def has_triage_permission(self, request):
        return request.user.has_perm("proposals.triage_proposal")

    @admin.action(description=moves_named("start_screening")[0].label, permissions=["triage"])
    def start_screening(self, request, queryset):
        self._apply(request, queryset, name="start_screening")

    @admin.action(description=_("Request information from the applicant…"), permissions=["triage"])
    def request_information(self, request, queryset):
        if "use_template" in request.POST:
            # Without script: put the chosen template's text in the message and show the form again.
            chosen = InfoRequestTemplate.objects.filter(is_active=True, pk=request.POST.get("template") or None).first()
            form = RequestInformationForm(initial={"template": chosen, "message": chosen.body if chosen else ""})
        else:
            form = RequestInformationForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply(request, queryset, name="request_information", note=form.cleaned_data["message"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Request information"),
            "opts": self.model._meta,
            "queryset": queryset.order_by("pk"),
            "form": form,
            "action_name": "request_information",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/proposals/proposal/request_information.html", context)

    @admin.action(description=moves_named("send_to_pre_consulting")[0].label, permissions=["triage"])
    def send_to_pre_consulting(self, request, queryset):
        self._apply(request, queryset, name="send_to_pre_consulting")

    @admin.action(description=moves_named("send_to_committee_review")[0].label, permissions=["triage"])
    def send_to_committee_review(self, request, queryset):
        self._apply(request, queryset, name="send_to_committee_review")

    @admin.action(description=moves_named("return_to_screening")[0].label, permissions=["triage"])
    def return_to_screening(self, request, queryset):
        self._apply(request, queryset, name="return_to_screening")

    # --- the proposal page's own workflow buttons: the moves moves_for offers this person now ---

    def get_urls(self):
        move = self.admin_site.admin_view(require_POST(self.move_view))
        return [path("<path:object_id>/move/", move, name="proposals_proposal_move"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        extra = {}
        if proposal is not None:
            templates = list(InfoRequestTemplate.objects.filter(is_active=True))
            chosen = next((t for t in templates if str(t.pk) == request.GET.get("rfi_template")), None)
            extra = {
                "workflow_moves": moves_for(request.user, proposal),
                "info_request_templates": templates,
                "info_request_chosen": chosen,
                "note_visibilities": NoteVisibility.choices,
                "note_max_length": StatusChange._meta.get_field("note").max_length,
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def move_view(self, request, object_id):
        """One button of the change page: the move to `target`, with its note, through the workflow service; a
        refusal (the table, the rules, another app's guard, a missing note) comes back as a message."""
        proposal = self.get_object(request, object_id)
        if proposal is None:
            raise Http404
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        target = request.POST.get("target", "")
        note = (request.POST.get("note") or "").strip()
        back = HttpResponseRedirect(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
        if target not in Status.values:
            self.message_user(request, _("Choose one of the steps offered."), messages.ERROR)
            return back
        visibility = request.POST.get("note_visibility", "")
        problem = note_visibility_error(target=target, note=note, visibility=visibility)
        if problem:
            self.message_user(request, _("The proposal was not moved: %(reason)s") % {"reason": problem},
                              messages.ERROR)
            return back
        self._move_one(request, proposal, target=target, note=note,
                       note_internal=visibility == NoteVisibility.INTERNAL)
        return back

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard_url": reverse("proposals_staff:dashboard"),
                         "draft_count": triage.draft_count()}
        return super().changelist_view(request, extra_context)

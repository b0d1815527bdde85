"""Forms of the meeting pages. Thin: they parse and bound the input; the services decide (and refuse)."""

import datetime
import zoneinfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.time_zones import TimeZoneChoiceField
from cooperation.models import (
    ActionStatus,
    CooperationMinutes,
    Delegate,
    MeetingKind,
    OutcomeKind,
    Project,
    Side,
)
from cooperation.rules import centre_ids, is_staff_member
from cooperation.selectors_meetings import change_choices, change_from_key, venue_zone_for
from core.dates import BoundedDateFormField, BoundedDateTimeFormField
from proposals.models import CooperationCentre


class VenueDateTimeField(BoundedDateTimeFormField):
    """A wall-clock time at the venue, typed without a zone; the form places it in the venue's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(datetime.UTC):  # parsed as typed: no viewer's zone, no gap or fold to refuse
            moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else None


def project_people(project: Project):
    """Who may own an action item or be a delegate's account: staff, the partner organisation's members, the
    project's contractors and the project's centre staff."""
    return (User.objects.filter(is_active=True).filter(
        Q(role=Role.STAFF) | Q(memberships__organisation_id=project.partner_organisation_id)
        | Q(project_memberships__project_id=project.pk)
        | Q(role=Role.CENTRE_STAFF, cooperation_centres__pk=project.cooperation_centre_id)
    ).distinct().order_by("full_name", "id"))


class FormChoices:
    """What the meeting page's many forms offer, read once per page (not once per agenda item's form)."""

    def __init__(self, project: Project):
        self.project = project
        self._people = self._changes = None

    @property
    def people(self) -> list:
        if self._people is None:
            self._people = list(project_people(self.project))
        return self._people

    @property
    def changes(self) -> list:
        if self._changes is None:
            self._changes = change_choices(self.project)
        return self._changes


class PersonChoiceField(forms.ChoiceField):
    """One of the project's people, chosen by id; cleans to the User (or None)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, choices=[], **kwargs)
        self.people: dict[str, User] = {}

    def offer(self, people) -> None:
        self.people = {str(person.pk): person for person in people}
        self.choices = [("", "---------")] + [
            (str(person.pk), f"{person.get_full_name()} ({person.get_role_display()})") for person in people]

    def clean(self, value):
        value = super().clean(value)
        return self.people.get(value) if value else None


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    time_zone = TimeZoneChoiceField(label=_("Time zone of the venue"),
                                    help_text=_("The start and end below are the local time at the venue."))
    starts_at = VenueDateTimeField(label=_("Starts (local time at the venue)"))
    ends_at = VenueDateTimeField(label=_("Ends (local time at the venue)"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https",
                                 help_text=_("Shown only to the meeting's parties."))
    facilitating_centre = forms.ModelChoiceField(label=_("Facilitating cooperation centre"), required=False,
                                                 queryset=CooperationCentre.objects.none())

    def __init__(self, *args, user, project: Project, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        centres = CooperationCentre.objects.all()
        if not is_staff_member(user):
            centres = centres.filter(pk__in=centre_ids(user))
            self.fields["kind"].choices = [(MeetingKind.CENTRE_CONSULTATION, MeetingKind.CENTRE_CONSULTATION.label)]
            self.fields["facilitating_centre"].required = True
        self.fields["facilitating_centre"].queryset = centres
        if meeting is not None:  # rescheduling: the kind and the facilitator stay
            del self.fields["kind"], self.fields["facilitating_centre"]
            zone = zoneinfo.ZoneInfo(str(meeting.time_zone))
            self.initial.update({
                "time_zone": str(meeting.time_zone), "place": meeting.place, "online_link": meeting.online_link,
                "starts_at": meeting.starts_at.astimezone(zone).replace(tzinfo=None),
                "ends_at": meeting.ends_at.astimezone(zone).replace(tzinfo=None),
            })
        elif not self.is_bound:
            self.initial.setdefault("time_zone", venue_zone_for(project))
            if project.cooperation_centre_id and project.cooperation_centre in centres:
                self.initial.setdefault("facilitating_centre", project.cooperation_centre_id)

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                if data.get(name) is not None:
                    data[name] = data[name].replace(tzinfo=zone)
        return data


class DelegateForm(forms.ModelForm):
    user = PersonChoiceField(label=_("Portal account (if any)"),
                             help_text=_("A head of delegation with an account hears when an action item of their "
                                         "side is escalated."))

    class Meta:
        model = Delegate
        fields = ["side", "name", "position", "organisation", "is_head", "user"]

    def __init__(self, *args, project: Project, choices: FormChoices | None = None, **kwargs):
        super().__init__(*args, prefix="delegate", **kwargs)
        self.fields["user"].offer((choices or FormChoices(project)).people)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="agenda", **kwargs)


class OutcomeForm(forms.Form):
    outcome_kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    outcome = forms.CharField(label=_("What was said or decided"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    approved_change = forms.ChoiceField(label=_("Change approved by this decision"), required=False,
                                        help_text=_("A due-date revision, an indicator target or a budget revision "
                                                    "of this project."))

    def __init__(self, *args, project: Project, item=None, choices: FormChoices | None = None, **kwargs):
        super().__init__(*args, prefix=f"outcome-{item.pk}" if item else "outcome", **kwargs)
        self.project = project
        self.fields["approved_change"].choices = [("", _("None")), *(choices or FormChoices(project)).changes]
        if item is not None and not self.is_bound:
            self.initial.update({"outcome_kind": item.outcome_kind or OutcomeKind.INFORMATION,
                                 "outcome": item.outcome,
                                 "approved_change": f"{item.approved_type.model}:{item.approved_id}"
                                 if item.approved_type_id else ""})

    def clean_approved_change(self):
        key = self.cleaned_data.get("approved_change")
        if not key:
            return None
        change = change_from_key(self.project, key)
        if change is None:
            raise forms.ValidationError(_("Choose a change of this project."))
        return change


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_side = forms.ChoiceField(label=_("Owner side"), choices=Side.choices)
    owner = PersonChoiceField(label=_("Owner (a person with an account)"))
    owner_name = forms.CharField(label=_("Owner's name (if not in the portal)"), max_length=150, required=False)
    due_date = BoundedDateFormField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, project: Project, item=None, choices: FormChoices | None = None, **kwargs):
        super().__init__(*args, prefix=f"action-{item.pk}" if item else "action", **kwargs)
        self.fields["owner"].offer((choices or FormChoices(project)).people)


class MeetingMoveForm(forms.Form):
    note = forms.CharField(label=_("Note (the reason, for a cancellation)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ActionCloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionFilterForm(forms.Form):
    side = forms.ChoiceField(label=_("Owner side"), required=False, choices=[("", _("All sides")), *Side.choices],
                             widget=forms.Select(attrs={"class": "form-select"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *ActionStatus.choices],
                               widget=forms.Select(attrs={"class": "form-select"}))


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Minutes"), max_length=CooperationMinutes._meta.get_field("body").max_length,
                           widget=forms.Textarea(attrs={"rows": 18}))

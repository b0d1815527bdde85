"""Forms of the booking pages. They validate and shape input; every write goes through consulting.services."""

import datetime

from django import forms
from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from consulting.models import SESSION_LANGUAGES, BookingStatus, Recommendation
from consulting.selectors import proposals_bookable_by
from core.dates import BoundedDateFormField, in_range
from core.textfields import TextAreaField
from core.translated import InReadersLanguage
from proposals.models import CooperationCentre, SolutionCategory, Track


def parse_start(value: str) -> datetime.datetime | None:
    """An ISO 8601 instant with its offset (slot links carry UTC, e.g. 2026-03-03T00:00:00Z)."""
    try:
        parsed = parse_datetime((value or "").strip().replace(" ", "+"))
    except ValueError:  # well formed but no such date, e.g. month 13: a message, not a server error
        return None
    if parsed is None or parsed.tzinfo is None or not in_range(parsed):
        return None
    try:
        return parsed.astimezone(datetime.UTC)
    except OverflowError:  # an offset that crosses the calendar's end
        return None


class StartField(forms.CharField):
    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parsed = parse_start(value)
        if parsed is None:
            raise forms.ValidationError(_("Choose a time from the list of free times."), code="invalid")
        return parsed


class ConsultantFilterForm(forms.Form):
    expertise = forms.ChoiceField(label=_("Expertise"), required=False,
                                  choices=[("", _("Any expertise")), *SolutionCategory.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any language")), *SESSION_LANGUAGES])


class BookingForm(forms.Form):
    start = StartField(required=True)
    proposal = forms.ModelChoiceField(
        label=_("Proposal to discuss"), queryset=None, required=False, empty_label=_("No proposal yet"),
        help_text=_("Drafts are fine: the consultant can help before you submit."),
    )
    questions = TextAreaField(
        label=_("Questions to discuss"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would you like the consultant to look at? They see this before the session."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals_bookable_by(user)


class RescheduleForm(forms.Form):
    start = StartField(required=True)


class CancelForm(forms.Form):
    reason = TextAreaField(label=_("Reason (shared with the other side)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=[(BookingStatus.HELD, BookingStatus.HELD.label),
                                        (BookingStatus.NO_SHOW, BookingStatus.NO_SHOW.label)])


class ReportForm(forms.Form):
    summary = TextAreaField(label=_("Summary of the session"), widget=forms.Textarea(attrs={"rows": 6}),
                              max_length=10000, help_text=_("Seen by staff and the committee."))
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices,
                                       widget=forms.RadioSelect)
    suggested_changes = TextAreaField(
        label=_("Suggested changes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Seen by the applicant together with the recommendation."),
    )


class WeekForm(forms.Form):
    start = BoundedDateFormField(required=False, input_formats=["%Y-%m-%d"])


WAITING_CHOICES = [("", _("Any waiting time")), ("7", _("Waiting 7 days or more")),
                   ("14", _("Waiting 14 days or more")), ("30", _("Waiting 30 days or more"))]


class QueueFilterForm(forms.Form):
    """Filters of the pre-consulting queue; an unknown value is simply not applied (the form says so)."""

    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.filter(is_active=True)
                                   .select_related("programme")
                                   .order_by(InReadersLanguage("programme__name").asc(), "order",
                                             InReadersLanguage("name").asc()),
                                   required=False, empty_label=_("Any track"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    centre = forms.ModelChoiceField(label=_("Cooperation centre"), queryset=CooperationCentre.objects.all(),
                                    required=False, empty_label=_("Any centre"))
    language = forms.ChoiceField(label=_("Applicant's language"), required=False,
                                 choices=[("", _("Any language")), *settings.LANGUAGES])
    waited = forms.ChoiceField(label=_("Waiting time"), required=False, choices=WAITING_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]


class ScheduleForm(forms.Form):
    start = StartField(required=True)
    meeting_url = forms.URLField(
        label=_("Online meeting link"), required=False, max_length=300, assume_scheme="https",
        help_text=_("Empty: the consultant's default link. Only the people in the session see it."),
    )
    note = TextAreaField(
        label=_("Note to the applicant's team"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the session will look at; the team sees it with the invitation."),
    )

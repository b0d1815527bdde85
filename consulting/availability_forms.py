"""Forms of the consultant's own availability and profile pages. They validate and shape input; consulting.services
writes. Times are wall-clock times in the consultant's own time zone."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import TimeZoneChoiceField
from consulting.models import SESSION_LANGUAGES, Weekday
from core.dates import BoundedDateFormField, time_in
from core.textfields import TextAreaField
from proposals.models import CooperationCentre, SolutionCategory

EXTRA_RANGE_ROWS = 2
OVERRIDE_RANGES = 3
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M")


def _overlap_errors(pairs):
    """Pairs (index, start, end) of one day: the indexes of rows that overlap an earlier row, with that row."""
    ordered = sorted(pairs, key=lambda p: (p[1], p[2]))
    clashes, widest = [], None
    for index, start, end in ordered:
        if widest is not None and start < widest[1]:
            clashes.append((index, f"{time_in(widest[0])}–{time_in(widest[1])}"))
        if widest is None or end > widest[1]:
            widest = (start, end)
    return clashes


class RangeForm(forms.Form):
    """One range of working hours on a weekday. Both times empty: an unused row."""

    start_time = forms.TimeField(label=_("From"), required=False, widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Until"), required=False, widget=TIME_WIDGET)

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        if day is not None:
            # Each of the grid's inputs is named by its day (the visually hidden label and the error summary).
            self.fields["start_time"].label = _("%(day)s, from") % {"day": day}
            self.fields["end_time"].label = _("%(day)s, until") % {"day": day}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if self.errors:
            return data
        if start and not end:
            self.add_error("end_time", _("Give the end of this range."))
        elif end and not start:
            self.add_error("start_time", _("Give the start of this range."))
        elif start and end and not end > start:
            self.add_error("end_time", _("The end must be after the start."))
        return data

    @property
    def range(self):
        if not hasattr(self, "cleaned_data") or self.cleaned_data.get("DELETE"):
            return None
        start, end = self.cleaned_data.get("start_time"), self.cleaned_data.get("end_time")
        return (start, end) if start and end else None


class BaseDayFormSet(forms.BaseFormSet):
    """The ranges of one weekday: rows may not overlap each other."""

    def clean(self):
        if any(self.errors):
            return
        pairs = [(i, *form.range) for i, form in enumerate(self.forms) if form.range]
        clashes = _overlap_errors(pairs)
        for index, other in clashes:
            self.forms[index].add_error(
                "start_time", _("Overlaps %(other)s on the same day.") % {"other": other}
            )
        if clashes:
            # Row errors alone would not make the formset invalid at this stage: say it for the whole day too.
            raise forms.ValidationError(_("Ranges on one day may not overlap."), code="overlap")


DayFormSet = forms.formset_factory(RangeForm, formset=BaseDayFormSet, extra=EXTRA_RANGE_ROWS, can_delete=True)


def day_prefix(weekday: int) -> str:
    return f"day{weekday}"


def weekly_formsets(*, rules, data=None) -> list[tuple]:
    """(weekday, formset) for Monday..Sunday, each filled with that day's rules plus empty rows."""
    result = []
    for weekday in Weekday:
        initial = [{"start_time": r.start_time, "end_time": r.end_time} for r in rules if r.weekday == weekday.value]
        # A bound formset gets no initial: every posted row then counts as typed, even one equal to the old rule.
        formset = DayFormSet(data=data, initial=None if data is not None else initial, prefix=day_prefix(weekday.value),
                             form_kwargs={"day": weekday.label})
        result.append((weekday, formset))
    return result


def weekly_ranges(formsets) -> list[tuple[int, datetime.time, datetime.time]]:
    """The (weekday, start, end) rows of valid formsets, ready for services.availability_rules_set."""
    return [(weekday.value, *form.range) for weekday, formset in formsets for form in formset.forms if form.range]


class OverrideForm(forms.Form):
    date = BoundedDateFormField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    unavailable = forms.BooleanField(label=_("Day off (no sessions that day)"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=200,
        help_text=_("Why, e.g. 'public holiday'. Shown in your list of overrides; applicants do not see it."),
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for n in range(1, OVERRIDE_RANGES + 1):
            self.fields[f"start_{n}"] = forms.TimeField(
                label=_("Other hours %(n)s, from") % {"n": n}, required=False, widget=TIME_WIDGET
            )
            self.fields[f"end_{n}"] = forms.TimeField(
                label=_("Other hours %(n)s, until") % {"n": n}, required=False, widget=TIME_WIDGET
            )

    def range_fields(self):
        return [(self[f"start_{n}"], self[f"end_{n}"]) for n in range(1, OVERRIDE_RANGES + 1)]

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value < self.today:
            raise forms.ValidationError(_("Choose today or a later date."), code="past")
        return value

    def clean(self):
        data = super().clean()
        pairs = []
        for n in range(1, OVERRIDE_RANGES + 1):
            if f"start_{n}" in self.errors or f"end_{n}" in self.errors:
                continue
            start, end = data.get(f"start_{n}"), data.get(f"end_{n}")
            if start and not end:
                self.add_error(f"end_{n}", _("Give the end of this range."))
            elif end and not start:
                self.add_error(f"start_{n}", _("Give the start of this range."))
            elif start and end:
                if not end > start:
                    self.add_error(f"end_{n}", _("The end must be after the start."))
                else:
                    pairs.append((n, start, end))
        for index, other in _overlap_errors(pairs):
            self.add_error(f"start_{index}", _("Overlaps %(other)s on the same day.") % {"other": other})
        if not data.get("unavailable") and not pairs and not self.errors:
            raise forms.ValidationError(_("Mark the day off or give at least one range of hours."), code="empty")
        data["ranges"] = [] if data.get("unavailable") else [(s, e) for _n, s, e in sorted(pairs, key=lambda p: p[1])]
        return data


class ConsultantProfileForm(forms.Form):
    expertise = forms.MultipleChoiceField(label=_("Expertise"), choices=SolutionCategory.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages spoken in sessions"), choices=SESSION_LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    time_zone = TimeZoneChoiceField(
        label=_("Time zone"),
        help_text=_("Your weekly hours and date overrides are read as local times in this zone."),
    )
    cooperation_centre = forms.ModelChoiceField(
        label=_("Cooperation centre"), queryset=CooperationCentre.objects.all(), required=False,
        empty_label=_("None"),
    )
    bio = TextAreaField(label=_("About you"), required=False, max_length=4000,
                          widget=forms.Textarea(attrs={"rows": 5}))
    meeting_url = forms.URLField(
        label=_("Default online meeting link"), required=False, max_length=300, assume_scheme="https",
        help_text=_("Used for your sessions that have no link of their own; shown only to the people in a session."),
    )

    @classmethod
    def initial_for(cls, consultant) -> dict:
        return {
            "expertise": consultant.expertise, "languages": consultant.languages,
            "time_zone": str(consultant.time_zone), "cooperation_centre": consultant.cooperation_centre_id,
            "bio": consultant.bio, "meeting_url": consultant.meeting_url,
        }

"""Forms of the report pages: the draft (text, ratings, one row per milestone, indicator period and consortium
member), its risks (a formset), attachments, and the partner's and staff's answers. They check input; the services
decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Rating, ReportFrequency, RiskRating, RiskState
from core.textfields import TextAreaField


def _text(label, max_length, *, rows=4, required=False, help_text=""):
    return TextAreaField(label=label, max_length=max_length, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _choices(scale):
    return [("", _("Not rated yet"))] + [(str(value), label) for value, label in scale.choices]


class ReportDraftForm(forms.Form):
    summary = _text(_("Progress in the period"), 8000, rows=6,
                    help_text=_("What was done, what changed, what is next."))
    issues_and_needs = _text(_("Issues and needs"), 4000)
    rating_objectives = forms.TypedChoiceField(label=_("Progress towards objectives"), required=False,
                                               choices=_choices(Rating), coerce=int, empty_value=None)
    rating_implementation = forms.TypedChoiceField(label=_("Implementation progress"), required=False,
                                                   choices=_choices(Rating), coerce=int, empty_value=None)
    rating_risk = forms.TypedChoiceField(label=_("Overall risk"), required=False, choices=_choices(RiskRating),
                                         coerce=int, empty_value=None)

    def __init__(self, *args, milestones=(), indicator_periods=(), participants=(), writable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones, self.indicator_periods = list(milestones), list(indicator_periods)
        self.participants = [p for p in participants if writable is None or p.pk in writable]
        for milestone in self.milestones:
            self.fields[f"ms-{milestone.pk}-percent"] = forms.IntegerField(
                label=_("Per cent complete"), min_value=0, max_value=100, required=False)
            self.fields[f"ms-{milestone.pk}-note"] = _text(_("Progress note"), 2000, rows=2)
        for period in self.indicator_periods:
            self.fields[f"ip-{period.pk}-actual"] = forms.DecimalField(
                label=_("Actual"), max_digits=16, decimal_places=2, required=False)
            self.fields[f"ip-{period.pk}-comment"] = _text(_("Comment"), 2000, rows=2)
        for participant in self.participants:
            self.fields[f"co-{participant.pk}-narrative"] = _text(_("Progress on its share"), 4000, rows=3)
            self.fields[f"co-{participant.pk}-spent"] = forms.IntegerField(
                label=_("Spent in the period (KRW)"), min_value=0, max_value=10**15, required=False)

    def milestone_rows(self):
        return [(m, self[f"ms-{m.pk}-percent"], self[f"ms-{m.pk}-note"]) for m in self.milestones]

    def indicator_rows(self):
        return [(p, self[f"ip-{p.pk}-actual"], self[f"ip-{p.pk}-comment"]) for p in self.indicator_periods]

    def contribution_rows(self):
        return [(p, self[f"co-{p.pk}-narrative"], self[f"co-{p.pk}-spent"]) for p in self.participants]

    def clean(self):
        data = super().clean()
        for participant in self.participants:
            narrative = data.get(f"co-{participant.pk}-narrative")
            spent = data.get(f"co-{participant.pk}-spent")
            if spent and not narrative:
                self.add_error(f"co-{participant.pk}-narrative", _("Say what the amount was spent on."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        milestones = [
            {"milestone": m.pk, "percent_complete": data[f"ms-{m.pk}-percent"], "note": data[f"ms-{m.pk}-note"]}
            for m in self.milestones if data.get(f"ms-{m.pk}-percent") is not None
        ]
        indicators = [
            {"period": p.pk, "actual_value": data[f"ip-{p.pk}-actual"], "comment": data[f"ip-{p.pk}-comment"]}
            for p in self.indicator_periods if data.get(f"ip-{p.pk}-actual") is not None
        ]
        contributions = [
            {"participant": p.pk, "narrative": data[f"co-{p.pk}-narrative"],
             "spent_krw": data.get(f"co-{p.pk}-spent") or 0}
            for p in self.participants if data.get(f"co-{p.pk}-narrative")
        ]
        return {
            "summary": data["summary"], "issues_and_needs": data["issues_and_needs"],
            "rating_objectives": data["rating_objectives"], "rating_implementation": data["rating_implementation"],
            "rating_risk": data["rating_risk"], "milestones": milestones, "indicators": indicators,
            "contributions": contributions,
        }


class RiskForm(forms.Form):
    description = _text(_("Risk"), 2000, rows=2)
    state = forms.ChoiceField(label=_("State of play"), choices=RiskState.choices, initial=RiskState.OPEN)
    mitigation = _text(_("Mitigation"), 2000, rows=2)

    def clean(self):
        data = super().clean()
        if data.get("mitigation") and not data.get("description"):
            self.add_error("description", _("Describe the risk."))
        return data


RiskFormSet = forms.formset_factory(RiskForm, extra=1, can_delete=True, max_num=50, validate_max=True)


def risk_rows(formset) -> list[dict]:
    return [
        {"description": f.cleaned_data["description"], "state": f.cleaned_data["state"],
         "mitigation": f.cleaned_data["mitigation"]}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("description")
    ]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"),
                           help_text=_("PDF, DOCX, XLSX, PNG or JPEG; photos are shown with the report."))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class AcknowledgeForm(forms.Form):
    comment = _text(_("Comments of the partner government"), 4000, rows=4,
                    help_text=_("Optional. Shown with the report to every party."))


class ReviewForm(forms.Form):
    note = _text(_("Note to the implementing side"), 4000, rows=3,
                 help_text=_("Required when asking for changes."))


class ScheduleForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Progress reports"), choices=ReportFrequency.choices)

"""The results framework's forms: they only validate and shape input; cooperation.services.results writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.forms_workplan import DATE
from core.textfields import TextAreaField
from proposals.attachments import ALLOWED_LABEL

REASON_HELP = _("Required once the framework is agreed.")


def _reason():
    return TextAreaField(label=_("Reason for the change"), max_length=2000, required=False, help_text=REASON_HELP,
                         widget=forms.Textarea(attrs={"rows": 2}))


def _amount(label):
    return forms.DecimalField(label=label, max_digits=16, decimal_places=2)


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Objective"), max_length=300)
    description = TextAreaField(label=_("Description"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    reason = _reason()


class IndicatorForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50, help_text=_("For example: people trained, %, km."))
    is_percentage = forms.BooleanField(label=_("Measured in per cent"), required=False)
    ascending = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    baseline_value = _amount(_("Baseline value"))
    baseline_date = forms.DateField(label=_("Baseline date"), widget=DATE)
    reason = _reason()

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    target_value = _amount(_("Target"))
    reason = _reason()


class TargetChangeForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, empty_label=None)
    target_value = _amount(_("New target"))
    reason = TextAreaField(label=_("Reason for the change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class ActualForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, empty_label=None)
    value = _amount(_("Actual value"))
    comment = TextAreaField(label=_("Comment"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False,
                               help_text=_("Accepted: %(types)s.") % {"types": ALLOWED_LABEL})

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods

"""The budget and ODA forms: they only validate and shape input; cooperation.services.finance writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.forms_workplan import DATE
from cooperation.models import OdaPartner, OdaStage, RelationKind, TransactionKind
from core.textfields import TextAreaField


def _krw(label, required=True):
    return forms.IntegerField(label=label, min_value=0, max_value=10**15, required=required)


class BudgetRevisionForm(forms.Form):
    amount_krw = _krw(_("Revised budget (KRW)"))
    reason = TextAreaField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReceiverForm(forms.Form):
    receiver = forms.ModelChoiceField(label=_("Receiving organisation"), queryset=None, empty_label=None)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = participants


class PlannedDisbursementForm(ReceiverForm):
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    amount_krw = _krw(_("Amount (KRW)"))


class TransactionForm(ReceiverForm):
    kind = forms.TypedChoiceField(label=_("Kind"), coerce=int, choices=TransactionKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount_krw = _krw(_("Amount (KRW)"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    field_order = ["kind", "receiver", "date", "amount_krw", "description"]


class OdaForm(forms.Form):
    title = forms.CharField(label=_("Follow-on project"), max_length=200)
    partner = forms.ChoiceField(label=_("Funding partner"), choices=OdaPartner.choices)
    partner_name = forms.CharField(label=_("Partner's name"), max_length=200, required=False)
    amount_krw = _krw(_("Amount (KRW)"), required=False)
    stage_date = forms.DateField(label=_("Date"), widget=DATE)
    note = TextAreaField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OdaMoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=[c for c in OdaStage.choices if c[0] != OdaStage.IDEA])
    stage_date = forms.DateField(label=_("Reached on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class RelatedForm(forms.Form):
    kind = forms.TypedChoiceField(label=_("Relation"), coerce=int, choices=RelationKind.choices)
    to_project = forms.ModelChoiceField(label=_("A project in the portal"), queryset=None, required=False)
    iati_identifier = forms.CharField(label=_("Or an IATI identifier"), max_length=100, required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_project"].queryset = projects

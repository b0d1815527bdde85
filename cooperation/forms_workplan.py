"""The work plan's forms: they only validate and shape input; cooperation.services.workplan writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Side
from core.textfields import TextAreaField
from proposals.attachments import ALLOWED_LABEL

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = TextAreaField(label=_("Description"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    owner_side = forms.ChoiceField(label=_("Responsible side"), choices=Side.choices)


class ItemEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = TextAreaField(label=_("Description"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    owner_side = forms.ChoiceField(label=_("Responsible side"), choices=Side.choices)


class MilestoneSubmitForm(forms.Form):
    late_justification = TextAreaField(
        label=_("Reason for the delay"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when it is submitted after its due date."))


class DeliverableSubmitForm(MilestoneSubmitForm):
    file = forms.FileField(label=_("The deliverable's file"),
                           help_text=_("Accepted: %(types)s. Each upload is kept as a new version.")
                           % {"types": ALLOWED_LABEL})
    note = TextAreaField(label=_("What changed in this version"), max_length=2000, required=False,
                         widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["file", "note", "late_justification"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("accept", _("Accept")), ("changes", _("Ask for changes"))])
    note = TextAreaField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                         help_text=_("Required when you ask for changes."))


class DueDateRequestForm(forms.Form):
    new_date = forms.DateField(label=_("Proposed due date"), widget=DATE)
    reason = TextAreaField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DueDateDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve the new date")), ("refuse", _("Refuse"))])
    note = TextAreaField(label=_("Note on the decision"), max_length=2000, required=False,
                         widget=forms.Textarea(attrs={"rows": 2}))

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import (
    CommitteeMember,
    ConflictDeclaration,
    Decision,
    DecisionLetter,
    Meeting,
    Minutes,
    Outcome,
    Review,
    Score,
    VoteChoice,
)
from committee.services.assignments import CONFLICT_REASON_NEEDED
from core.dates import BoundedDateTimeFormField
from core.textfields import TextAreaField


def _limit(model, name: str) -> int:
    # Plain form fields keep the model's bound, so the browser, the form and the API all say the same.
    return model._meta.get_field(name).max_length


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this proposal?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )
    reason = TextAreaField(
        label=_("If yes, what is it?"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=_limit(ConflictDeclaration, "reason"),
        help_text=_("For example: you advised the applicant, hold shares in a partner firm, or are related to staff."),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and "reason" not in self.errors and not (data.get("reason") or "").strip():
            self.add_error("reason", CONFLICT_REASON_NEEDED)
        return data


class ReviewForm(forms.Form):
    """One 1–5 score and a comment per rubric criterion, plus an overall comment."""

    SCORE_CHOICES = [(str(v), str(v)) for v in range(1, 6)]

    def __init__(self, *args, criteria, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {s.criterion_id: s for s in review.scores.all()} if review else {}
        for criterion in criteria:
            score = existing.get(criterion.pk)
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name, help_text=criterion.description, choices=self.SCORE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=str(score.value) if score else None,
                error_messages={"required": _("Give a score from 1 to 5.")},
            )
            self.fields[f"comment_{criterion.pk}"] = TextAreaField(
                label=_("Comment"), required=False, max_length=_limit(Score, "comment"),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                initial=score.comment if score else "",
            )
        self.fields["comment"] = TextAreaField(
            label=_("Overall comment"), required=False, max_length=_limit(Review, "comment"),
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            initial=review.comment if review else "",
        )

    def rows(self):
        return [(c, self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, dict]:
        return {
            c.pk: {"value": self.cleaned_data[f"criterion_{c.pk}"], "comment": self.cleaned_data[f"comment_{c.pk}"]}
            for c in self.criteria
        }


class MeetingForm(forms.ModelForm):
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    starts_at = BoundedDateTimeFormField(
        label=_("Date and time (your time zone)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = Meeting
        fields = ["programme", "cycle", "title", "starts_at", "place", "video_link", "decision_rule", "voting_mode"]


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"), queryset=CommitteeMember.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, serving, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = CommitteeMember.objects.filter(pk__in=[m.pk for m in serving]).select_related(
            "user"
        )


class AssignForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=CommitteeMember.objects.filter(is_active=True).select_related("user")
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    support_amount_krw = forms.IntegerField(label=_("Support amount (KRW)"), required=False, min_value=1)
    conditions = TextAreaField(label=_("Conditions (approval)"), required=False,
                                 max_length=_limit(Decision, "conditions"),
                                 widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    reasons = TextAreaField(label=_("Reasons for the applicant (rejection, deferral)"), required=False,
                              max_length=_limit(Decision, "reasons"),
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    votes_for = forms.IntegerField(label=_("Counted for"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("Counted against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Counted abstaining"), min_value=0, initial=0)

    def __init__(self, *args, in_room: bool = True, **kwargs):
        # On a meeting that votes online the counts are the members' own votes: staff do not type them.
        super().__init__(*args, **kwargs)
        if not in_room:
            for name in ("votes_for", "votes_against", "votes_abstain"):
                del self.fields[name]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "class": "font-monospace"})}


class LetterForm(forms.ModelForm):
    class Meta:
        model = DecisionLetter
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

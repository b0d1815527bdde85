"""The applicant's forms. They only validate and shape input; every write goes through proposals.services."""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from core.amounts import krw
from core.textfields import TextAreaField
from core.translated import TranslatedOptionsSelect
from proposals.attachments import ALLOWED_LABEL
from proposals.models import AttachmentKind, Proposal, SolutionCategory, Track

# The form's steps, in order: (slug, label). eligibility.Problem.step names one of these slugs.
STEPS: tuple[tuple[str, str], ...] = (
    ("basics", _("Basics")),
    ("context", _("City context")),
    ("solutions", _("Problem and solutions")),
    ("budget", _("Plan and budget")),
    ("documents", _("Documents")),
    ("review", _("Review and submit")),
)
STEP_SLUGS = tuple(slug for slug, _label in STEPS)
STEP_LABELS = dict(STEPS)


def step_after(step: str) -> str | None:
    index = STEP_SLUGS.index(step)
    return STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None


def step_before(step: str) -> str | None:
    index = STEP_SLUGS.index(step)
    return STEP_SLUGS[index - 1] if index > 0 else None


class WholeNumberField(forms.IntegerField):
    """An integer typed the way people write amounts: `500,000,000` or `500 000 000` are accepted."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("_", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


class StepForm(forms.ModelForm):
    """One step of the proposal. `version` is the version the person started editing from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    step: str = ""

    def __init__(self, *args, proposal: Proposal, **kwargs):
        self.proposal = proposal
        # Validation builds a model instance from the input; keep the displayed proposal untouched.
        kwargs["instance"] = copy.copy(proposal)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", proposal.version)
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def service_data(self) -> dict:
        """What to hand to proposal_update: every field of this step, typed values as cleaned."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def warnings(self) -> dict[str, str]:
        """Per-field notes that do not stop a draft from being saved."""
        return {}


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class BasicsForm(StepForm):
    step = "basics"
    country = CountryField(blank=True, blank_label=_("(select a country)")).formfield(
        label=_("Country"), required=False
    )

    class Meta:
        model = Proposal
        fields = [
            "title", "track", "country", "region_city", "jurisdiction_level", "lead_organisation",
            "partner_organisations",
        ]
        widgets = {"partner_organisations": _textarea(3)}
        help_texts = {
            "title": _("A short name for the project, e.g. “Smart mobility master plan for Surabaya”."),
            "region_city": _("The city or region the project is for."),
            "lead_organisation": _("The government body or organisation that leads the project."),
            "partner_organisations": _("Other organisations taking part, one per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = (
            Track.objects.filter(Q(is_active=True, programme__is_active=True) | Q(pk=self.proposal.track_id))
            .select_related("programme")
        )
        self.fields["track"].empty_label = None
        self.fields["track"].widget = TranslatedOptionsSelect(field="name")
        self.fields["track"].widget.choices = self.fields["track"].choices
        self.helper.layout = Layout(
            "version", "title", "track",
            Div(Div(Field("country"), css_class="col-md-4"), Div(Field("region_city"), css_class="col-md-4"),
                Div(Field("jurisdiction_level"), css_class="col-md-4"), css_class="row"),
            "lead_organisation", "partner_organisations",
        )


class ContextForm(StepForm):
    step = "context"
    population = WholeNumberField(
        label=_("Population"), required=False, min_value=0,
        help_text=_("Number of inhabitants of the city or region."),
        error_messages={"min_value": _("The population cannot be negative.")},
    )
    area_km2 = forms.DecimalField(
        label=_("Area (km²)"), required=False, min_value=0, max_digits=10, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"min_value": _("The area cannot be negative.")},
    )

    class Meta:
        model = Proposal
        fields = ["population", "area_km2", "city_context"]
        widgets = {"city_context": _textarea(6)}
        help_texts = {
            "city_context": _("Geography, economy, urban challenges and the digital infrastructure already in place."),
        }


class SolutionsForm(StepForm):
    step = "solutions"
    solution_categories = forms.MultipleChoiceField(
        label=_("Solution categories"), choices=SolutionCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Tick every area the project covers."),
    )

    class Meta:
        model = Proposal
        fields = ["problem_statement", "solution_categories", "proposed_solutions", "objectives", "expected_outcomes"]
        widgets = {
            "problem_statement": _textarea(5),
            "proposed_solutions": _textarea(5),
            "objectives": _textarea(4),
            "expected_outcomes": _textarea(4),
        }


class BudgetForm(StepForm):
    step = "budget"
    duration_months = WholeNumberField(
        label=_("Duration (months)"), required=False, min_value=1, max_value=60,
        error_messages={
            "min_value": _("The duration must be between 1 and 60 months."),
            "max_value": _("The duration must be between 1 and 60 months."),
        },
    )
    requested_support_krw = WholeNumberField(
        label=_("Requested support (KRW)"), required=False, min_value=0,
        error_messages={"min_value": _("The amount cannot be negative.")},
    )
    co_financing_krw = WholeNumberField(
        label=_("Co-financing (KRW)"), required=False, min_value=0,
        error_messages={"min_value": _("The amount cannot be negative.")},
    )
    priority_rank = WholeNumberField(
        label=_("Priority rank within the country"), required=False, min_value=1,
        help_text=_("If your country sends several proposals, 1 is the most important."),
        error_messages={"min_value": _("The rank starts at 1.")},
    )

    class Meta:
        model = Proposal
        fields = [
            "duration_months", "requested_support_krw", "co_financing_krw", "co_financing_description",
            "national_plan_fit", "priority_rank", "earlier_projects",
        ]
        widgets = {
            "co_financing_description": _textarea(3),
            "national_plan_fit": _textarea(4),
            "earlier_projects": _textarea(3),
        }
        help_texts = {
            "earlier_projects": _("Earlier K-City Network projects in your country or city, if any."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cap = self.proposal.track.support_cap_krw
        self.fields["requested_support_krw"].help_text = _(
            "Support pays for planning, training and consulting by Korean contractors; it is never paid to the "
            "applicant. The %(track)s track's cap is %(cap)s."
        ) % {"track": self.proposal.track.name, "cap": krw(cap)}

    def warnings(self) -> dict[str, str]:
        if self.is_bound and self.is_valid():
            requested = self.cleaned_data.get("requested_support_krw")
        elif self.is_bound:
            requested = None
        else:
            requested = self.proposal.requested_support_krw
        cap = self.proposal.track.support_cap_krw
        if requested and requested > cap:
            return {
                "requested_support_krw": _(
                    "%(requested)s is above the track's cap of %(cap)s. You can save the draft, but it "
                    "cannot be submitted until the amount is within the cap."
                ) % {"requested": krw(requested), "cap": krw(cap)}
            }
        return {}


class ReviewForm(StepForm):
    step = "review"

    class Meta:
        model = Proposal
        fields = ["consent"]
        labels = {
            "consent": _(
                "I confirm that the information is correct, that I am authorised to send this proposal on behalf "
                "of my organisation, and I agree that MOLIT and its secretariat process it for the K-City Network "
                "programme."
            )
        }


STEP_FORMS: dict[str, type[StepForm]] = {
    "basics": BasicsForm,
    "context": ContextForm,
    "solutions": SolutionsForm,
    "budget": BudgetForm,
    "review": ReviewForm,
}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


ContactFormSet = forms.formset_factory(ContactForm, extra=1, can_delete=True, max_num=10, validate_max=True)


def contact_formset(proposal: Proposal, data=None) -> forms.BaseFormSet:
    initial = [
        {"name": c.name, "position": c.position, "email": c.email, "phone": c.phone} for c in proposal.contacts.all()
    ]
    return ContactFormSet(data, initial=initial, prefix="contacts")


def contacts_from(formset) -> list[dict[str, str]]:
    """The contacts a valid formset describes: filled rows not marked for deletion."""
    return [
        {k: form.cleaned_data[k] for k in ("name", "position", "email", "phone")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ProposalStartForm(forms.Form):
    track = forms.ModelChoiceField(
        label=_("Track"), queryset=Track.objects.none(), widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Choose the kind of project.")},
    )
    title = forms.CharField(
        label=_("Project title"), max_length=200,
        help_text=_("You can change it later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = (
            Track.objects.filter(is_active=True, programme__is_active=True).select_related("programme")
        )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=[("", _("(choose)")), *AttachmentKind.choices])
    file = forms.FileField(
        label=_("File"),
        help_text=_("Accepted: %(types)s.") % {"types": ALLOWED_LABEL},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The class-level `%` ran at import time (in English): format again in the request's language.
        limit = settings.ATTACHMENT_MAX_PER_PROPOSAL
        self.fields["file"].help_text = " ".join([
            _("Accepted: %(types)s.") % {"types": ALLOWED_LABEL},
            ngettext("At most %(count)s document per proposal.", "At most %(count)s documents per proposal.", limit)
            % {"count": limit},
        ])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Div(Div(Field("kind"), css_class="col-md-4"),
                                        Div(Field("file"), css_class="col-md-8"), css_class="row"))


class MessageForm(forms.Form):
    body = TextAreaField(label=_("Your message"), widget=_textarea(3), max_length=5000)


class WithdrawForm(forms.Form):
    reason = TextAreaField(
        label=_("Why are you withdrawing the proposal?"), widget=_textarea(3), max_length=2000,
        error_messages={"required": _("Please give a reason.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn proposal cannot be reopened."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ResubmitForm(forms.Form):
    note = TextAreaField(
        label=_("Your answer to the request"), widget=_textarea(4), max_length=5000, required=False,
        help_text=_("It is added to the message thread."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"))

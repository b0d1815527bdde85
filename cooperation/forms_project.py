"""Forms of the project concept: the list's filters, staff's edit of a project, its status move, an implementing
organisation, a contractor's invitation, a document and a message. Forms only read input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Organisation, OrganisationKind
from cooperation.models import ActivityStatus, DocumentCategory, Project, ProjectMessage
from proposals.models import CooperationCentre


class ProjectFilterForm(forms.Form):
    status = forms.TypedChoiceField(label=_("Activity status"), required=False, coerce=int, empty_value=None,
                                    choices=[("", _("Any status")), *ActivityStatus.choices])
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")),
                                          *sorted(((c, countries.name(c)) for c in country_codes), key=lambda x: x[1])]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class ProjectEditForm(forms.ModelForm):
    """Staff keep a project's details; the Korean title and description go into `translations["ko"]`."""

    title_ko = forms.CharField(label=_("Title in Korean"), max_length=200, required=False)
    description_ko = forms.CharField(label=_("Description in Korean"), max_length=8000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = Project
        fields = ["title", "description", "sector_code", "recipient_city", "planned_start", "planned_end",
                  "report_frequency", "cooperation_centre", "conditions"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "planned_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperation_centre"].queryset = CooperationCentre.objects.all()
        korean = (self.instance.translations or {}).get("ko") or {}
        self.fields["title_ko"].initial = korean.get("title", "")
        self.fields["description_ko"].initial = korean.get("description", "")

    def clean_sector_code(self):
        code = (self.cleaned_data.get("sector_code") or "").strip()
        if not (code.isdigit() and len(code) == 5):
            raise forms.ValidationError(_("An OECD DAC purpose code has five digits, e.g. 43030."))
        return code

    def changed_fields(self) -> list[str]:
        """The model fields to save, with `translations` when a Korean text changed (set on the instance)."""
        changed = [name for name in self.changed_data if name in self.Meta.fields]
        korean = {"title": self.cleaned_data.get("title_ko", ""),
                  "description": self.cleaned_data.get("description_ko", "")}
        before = (self.instance.translations or {}).get("ko") or {}
        if {k: v for k, v in korean.items() if v} != {k: v for k, v in before.items() if v}:
            translations = dict(self.instance.translations or {})
            translations["ko"] = {k: v for k, v in korean.items() if v}
            self.instance.translations = translations
            changed.append("translations")
        return changed


class StatusForm(forms.Form):
    to = forms.TypedChoiceField(choices=ActivityStatus.choices, coerce=int, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=200)
    share_krw = forms.IntegerField(label=_("Share (KRW)"), min_value=0, required=False,
                                   help_text=_("A consortium member's share of the work, if it reports one."))
    iati_ref = forms.CharField(label=_("IATI organisation reference"), max_length=100, required=False)

    def organisation(self):
        """The portal organisation of that name, if a Korean company of that name is registered."""
        return Organisation.objects.filter(name__iexact=self.cleaned_data["name"],
                                           kind=OrganisationKind.KOREAN_COMPANY).first()


class InviteForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Works for"), queryset=None, empty_label=None)
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False,
                                help_text=_("Needed when the person has no account yet."))

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the file's name."))
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices,
                                 initial=DocumentCategory.GENERAL)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel, PNG or JPEG."))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=ProjectMessage._meta.get_field("body").max_length,
                           widget=forms.Textarea(attrs={"rows": 4}))

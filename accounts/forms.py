import json
import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation, OrganisationKind, User
from accounts.time_zones import UTC, TimeZoneChoiceField, zone_aliases

# Every IANA name with an area, flat: what the API accepts (the pages offer TimeZoneChoiceField's grouped list).
TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form: how to address the person and when and how to write to them."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES, initial="en")
    time_zone = TimeZoneChoiceField(
        label=_("Time zone"), initial=UTC,
        help_text=_("Times of sessions and deadlines are shown in this time zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The sign-up page preselects the browser's time zone, but never over a choice the person already made.
        self.fields["time_zone"].widget.attrs["data-bound"] = "true" if self.is_bound else "false"
        # Old names some browsers still report ("Asia/Calcutta"), so the detected zone finds its entry.
        self.fields["time_zone"].widget.attrs["data-aliases"] = json.dumps(
            {alias: zone for alias, zone in zone_aliases().items() if "/" in alias}, separators=(",", ":"))
        # Someone reading the page in Korean most likely wants Korean e-mails too.
        current = (get_language() or "").split("-")[0]
        if current in dict(settings.LANGUAGES):
            self.fields["language"].initial = current

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.language = self.cleaned_data["language"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["full_name", "language", "time_zone"])


class OrganisationForm(forms.ModelForm):
    country = CountryField(blank_label=_("(select a country)")).formfield(label=_("Country"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "country", "kind", "region_city", "website"]
        help_texts = {
            "name": _("The official name of your government body, organisation or company."),
            "region_city": _("For regional and city governments: the region or city you represent."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "---------"), *OrganisationKind.choices]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Register organisation")))


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneChoiceField(label=_("Time zone"))

    class Meta:
        model = User
        fields = ["full_name", "job_title", "phone", "language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["time_zone"] = str(self.instance.time_zone)
        self.fields["time_zone"].keep(self.initial["time_zone"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save settings")))

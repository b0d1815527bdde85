"""The register's filters (year, country, track, IATI activity status), one form for the page, the CSV and the
JSON; the API's filter set (opendata.api) checks the same names the same way.

The selects offer what the public projects have, but a link may name any real value (a country with no project
yet is an empty list, not an error); what is not a year, a country code, a track or a status is refused with a
sentence saying what to give."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cooperation.models import ActivityStatus
from opendata.selectors import RegisterFilters
from proposals.models import Track

FILTER_NAMES = ("year", "country", "track", "status")
YEARS = range(2000, 2101)


class OpenChoiceField(forms.ChoiceField):
    """A select whose offered choices are a convenience: `accepts(value)` says what is valid."""

    def __init__(self, *args, accepts, message, **kwargs):
        self.accepts = accepts
        super().__init__(*args, error_messages={"invalid_choice": message}, **kwargs)

    def valid_value(self, value):
        return self.accepts(value)


def _is_year(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) in YEARS


def _is_country(value: str) -> bool:
    return value.upper() in dict(countries)


def _is_track(value: str) -> bool:
    return Track.objects.filter(slug=value).exists()


def _is_status(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) in ActivityStatus.values


class RegisterFilterForm(forms.Form):
    year = OpenChoiceField(
        label=_("Year"), required=False, accepts=_is_year, message=_("Give a year as four digits, e.g. 2025.")
    )
    country = OpenChoiceField(
        label=_("Country"),
        required=False,
        accepts=_is_country,
        message=_("Give a country by its two-letter ISO code, e.g. KE."),
    )
    track = OpenChoiceField(
        label=_("Track"), required=False, accepts=_is_track, message=_("There is no track with that short name.")
    )
    status = OpenChoiceField(
        label=_("Status"),
        required=False,
        accepts=_is_status,
        message=_("Give an IATI activity status code from 1 to 6."),
        choices=[("", _("Any status")), *((str(v), label) for v, label in ActivityStatus.choices)],
    )

    def __init__(self, *args, choices: dict, **kwargs):
        """`choices` is opendata.selectors.register_choices(): what the public projects have."""
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *((str(y), str(y)) for y in choices["years"])]
        self.fields["country"].choices = [
            ("", _("Any country")),
            *sorted(((c, countries.name(c)) for c in choices["countries"]), key=lambda item: str(item[1])),
        ]
        self.fields["track"].choices = [("", _("Any track")), *choices["tracks"]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> RegisterFilters:
        """The accepted filters (after is_valid(); a refused one counts as "any")."""
        data = getattr(self, "cleaned_data", {})
        year, status = data.get("year"), data.get("status")
        return RegisterFilters(
            year=int(year) if year else None,
            country=(data.get("country") or "").upper() or None,
            track=data.get("track") or None,
            status=int(status) if status else None,
        )

    def error_messages(self) -> list[str]:
        """One sentence per refused filter, naming it: "Year: Give a year as four digits, e.g. 2025."."""
        return [f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()]


def register_filters(data, *, choices: dict) -> tuple[RegisterFilterForm, RegisterFilters, list[str]]:
    """The form bound to `data` (request.GET), the filters it accepts, and the messages for those it refuses."""
    form = RegisterFilterForm({name: data.get(name) for name in FILTER_NAMES if name in data}, choices=choices)
    form.is_valid()
    return form, form.filters(), form.error_messages()

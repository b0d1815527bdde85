"""List filters shared by the API's viewsets."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

# An id is a positive 64-bit number (BigAutoField). A filter or parameter that names one refuses anything past that
# (400, in the client's language) rather than send the database a number it cannot hold (SQLite: OverflowError).
ID_MAX = 2**63 - 1


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": ID_MAX})
class IdFilter(filters.NumberFilter):
    """A filter on a related row's id that compares the number and never looks the row up.

    django-filter's default for a foreign key (a choice among every row) answered 400 for an id that does not exist
    and 200 for one that does, which told anyone who may list which rows exist; an unknown id now simply matches
    nothing. Point it at the column: `IdFilter(field_name="track_id")`.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class StrictFilterSet(filters.FilterSet):
    """An API filter set that refuses what django-filter quietly ignores: a filter given twice (only the last
    would count) or given empty (`?track=` would mean "any"). A client that sent either meant something else,
    and is told so (400, a message on the filter) instead of getting an unfiltered list."""

    def is_valid(self):
        valid = super().is_valid()
        getlist = getattr(self.data, "getlist", None)
        for name in self.filters:
            if name not in self.data:
                continue
            values = getlist(name) if getlist else [self.data[name]]
            if len(values) > 1:
                self.form.add_error(name, _("Give this filter once."))
                valid = False
            elif values[0] in ("", None):
                self.form.add_error(name, _("Give a value, or leave this filter out."))
                valid = False
        return valid

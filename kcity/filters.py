"""List filters shared by the API's viewsets."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A filter on a related row's id that compares the number and never looks the row up.

    django-filter's default for a foreign key (a choice among every row) answered 400 for an id that does not exist
    and 200 for one that does, which told anyone who may list which rows exist; an unknown id now simply matches
    nothing. Point it at the column: `IdFilter(field_name="track_id")`.
    """

    field_class = forms.IntegerField

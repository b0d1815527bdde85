"""The OpenAPI schema says what every operation can answer, refusals included.

drf-spectacular documents only the success answer unless an operation lists more; but every operation of this
API can refuse: 400 (invalid input, messages per field), 401 (no or a bad token), 403 (not yours to do) and 404
(not there, or not visible to you; also an unknown page of a list). Listing those once here keeps the schema true
for every viewset, instead of repeating them on each action (an action may still describe its own).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


def _standard_errors():
    from core.api import ErrorSerializer  # noqa: PLC0415  (core.api imports DRF views, which read this class)

    return {
        "400": OpenApiResponse(OpenApiTypes.OBJECT, description=_("Invalid input: messages per field.")),
        "401": OpenApiResponse(ErrorSerializer, description=_("No valid credentials were given.")),
        "403": OpenApiResponse(ErrorSerializer, description=_("You may not do this.")),
        "404": OpenApiResponse(ErrorSerializer, description=_("Not found, or not visible to you.")),
    }


class PortalAutoSchema(AutoSchema):
    def map_parsers(self):
        # The API speaks JSON. DRF's form parsers also read a body, but form encodings cannot say null, nested or
        # "false" (a missing checkbox reads as false), so documenting them promises what the serializers then read
        # differently. Operations that take only forms (uploads) keep theirs.
        media_types = super().map_parsers()
        return [m for m in media_types if m == "application/json"] or media_types

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in _standard_errors().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A required text is trimmed before it is checked, so one of only white space is blank and refused with
        # a message: say so in the schema (a non-space character somewhere), rather than promise it is taken.
        if (direction == "request" and isinstance(field, serializers.CharField) and not field.allow_blank
                and field.trim_whitespace and schema.get("type") == "string" and "pattern" not in schema
                and "enum" not in schema and "format" not in schema):
            schema["pattern"] = r"\S"
        if (direction == "request" and isinstance(field, serializers.DecimalField)
                and schema.get("pattern", "").startswith("^-?\\d{0,")):
            # drf-spectacular's pattern lets "", "-" and "-." through, which are no numbers: at least one digit
            # before the point, and at least one after it if there is a point.
            schema["pattern"] = schema["pattern"].replace("^-?\\d{0,", "^-?\\d{1,").replace("\\.\\d{0,", "\\.\\d{1,")
            if field.min_value is not None and field.min_value >= 0:
                schema["pattern"] = schema["pattern"].replace("^-?", "^", 1)  # and no sign where none is taken
        return schema

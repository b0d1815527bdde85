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


def _standard_errors():
    from kcity.api import ErrorSerializer

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

"""Request parsers of the API: JSON with a nesting limit.

DRF's JSONParser turns only ValueError into a 400; a deeply nested document (`[[[[...]]]]`, 1,000 levels) makes
Python's decoder raise RecursionError instead, which surfaced as a 500. No request of this API nests more than a
few levels, so anything deeper than MAX_DEPTH is refused as malformed before a serializer sees it.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _depth(value) -> int:
    """How deeply lists and objects nest (iterative: the check itself must not recurse)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            pending.extend((child, level + 1) for child in item)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("Malformed JSON: lists and objects may nest at most %(depth)s levels deep.") % {
            "depth": MAX_DEPTH
        }
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(message) from exc
        if _depth(data) > MAX_DEPTH:
            raise ParseError(message)
        return data

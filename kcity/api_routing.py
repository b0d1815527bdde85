"""How `/api/v1/` URLs are matched: ids are digits, and a URL that matches nothing answers in JSON
(core.api.handler404).

Ids are matched by the URL pattern (`[0-9]+`), not by the view: `/committee/proposals/abc/` is simply not an
address, so no view ever turns "abc" into a database lookup (which raised ValueError, a 500). Such an address
answers 404 like any other unknown one, and under `/api/` that 404 is JSON, as every API answer is.
"""

from rest_framework.routers import DefaultRouter

ID_PATTERN = "[0-9]+"


class IdRouter(DefaultRouter):
    """A router whose detail routes take only numeric ids (a viewset may still set its own lookup_value_regex)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = ID_PATTERN


"""URL converters shared by the apps' URLconfs.

`<token:...>` matches what `secrets.token_urlsafe` makes (letters, digits, `-` and `_`, at most 64 characters:
the tokens' column width). Anything else (`%00`, which PostgreSQL refuses in a query, spaces, dots, a token too
long to exist) is not an address at all and answers 404 before any view or query runs.
"""

from django.urls import register_converter


class TokenConverter:
    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

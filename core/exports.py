"""Spreadsheet exports: text that a spreadsheet would run as a formula is written as text.

A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip before
looking for one) is read by Excel and LibreOffice as a formula: a proposal titled `=HYPERLINK("https://evil",
"Click")` became a live link in the staff's export (CSV injection, OWASP). Such text gets a leading apostrophe,
the spreadsheet convention for "this is text"; numbers and dates are left as they are. Every export goes through
`spreadsheet_safe`, through `SafeResource` for django-import-export resources.
"""

from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeResource(resources.ModelResource):
    """A ModelResource whose every exported cell goes through spreadsheet_safe."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))

"""A change list's filter sidebar written in Python, markup for markup what Django's `admin_list_filter` tag writes
with admin/filter.html.

Django renders that template once per filter, a template context and four nodes for every choice: on the proposal
list's eight filters and ninety choices that was a tenth of the page's time. The choices are still the filter's own
(`spec.choices(cl)`: its links, its selection, its counts when facets are shown); only the writing is done here. A
filter with a template of its own is left to Django's tag, unchanged.
"""

import html
import re
from urllib.parse import quote_plus

from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

DJANGO_FILTER_TEMPLATE = "admin/filter.html"
# The template's {% blocktranslate with filter_title=title %} By {{ filter_title }} {% endblocktranslate %}.
_HEADING = " By %(filter_title)s "


class QuotedOnce:
    """A ChangeList mixin: get_query_string's links written as Django writes them (`?` and the list's filter
    parameters, changed and removed as asked, sorted, urlencoded with doseq), each key and value quoted once per
    list. Django urlencodes the whole query again for every link: a filter's choices, the sort headers, the pages
    (about 130 links on the proposal list, a tenth of its time in urllib)."""

    def get_query_string(self, new_params=None, remove=None):
        params = dict(self.filter_params)
        for prefix in remove or ():
            for key in [key for key in params if key.startswith(prefix)]:
                del params[key]
        for key, value in (new_params or {}).items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        quoted = self.__dict__.setdefault("_quoted_pairs", {})
        pairs = []
        for key, value in sorted(params.items()):
            for item in (value,) if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") else value:
                try:
                    pair = quoted.get((key, item))
                except TypeError:  # an unhashable value: quoted each time
                    pair, item = None, str(item)
                if pair is None:
                    pair = quoted[(key, item)] = f"{_quoted(key)}={_quoted(item)}"
                pairs.append(pair)
        return "?" + "&".join(pairs)


def _quoted(value) -> str:
    """As urlencode quotes a key or a value (quote_plus; bytes as they are, anything else as its str())."""
    return quote_plus(value if isinstance(value, (str, bytes)) else str(value))


def _heading(title: str) -> str:
    """The summary's text, as blocktranslate writes it: in English where the translation's placeholder is wrong."""
    try:
        return translation.gettext(_HEADING) % {"filter_title": title}
    except (KeyError, ValueError):
        with translation.override(None):
            return translation.gettext(_HEADING) % {"filter_title": title}


# What iri_to_uri leaves as it is (its safe characters and those quote() never quotes): a filter's query string,
# already urlencoded, is nearly always only these, and then needs no quoting again.
_URI_AS_IT_IS = re.compile(r"[A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@'-]*")


def _choice(choice: dict) -> str:
    selected = ' class="selected"' if choice["selected"] else ""
    query = choice["query_string"]
    href = html.escape(query if _URI_AS_IT_IS.fullmatch(query) else iri_to_uri(query))  # escape(), as a str
    display = choice["display"]
    if isinstance(display, Promise):
        display = str(display)
    shown = display.__html__() if hasattr(display, "__html__") else html.escape(str(display))  # conditional_escape
    return f'\n    <li{selected}>\n    <a href="{href}">{shown}</a></li>\n  '


def list_filter(cl, spec) -> str:
    """One filter's <details> block; Django's own tag for a filter that names another template."""
    if spec.template != DJANGO_FILTER_TEMPLATE:
        return admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    choices = "".join(_choice(choice) for choice in spec.choices(cl))
    return mark_safe(
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {_heading(title)}\n  </summary>\n'
        f"  <ul>\n  {choices}\n  </ul>\n</details>\n"
    )

"""An admin change list's rows built in Python, markup for markup what Django's `items_for_result` writes.

Django works out, for every cell of every row, which field or method the column is, its classes, whether it
links and where, its empty value, its choices' labels, and passes it all through format_html: on a 50-row page of
ten columns that was about a third of the proposal list's time. Here what is the same for every row is worked out
once per page (`_Column`) and each row is one string. The template is Django's change_list_results.html, given
each row as a single item, so `<tr>{% for item in result %}{{ item }}{% endfor %}</tr>` writes the same bytes.

A page this does not cover (editable rows, a popup, a column that is a callable or a model's attribute) is left to
Django's own `items_for_result`, unchanged.

A ModelAdmin method may say, with `page_cells`, how to read its value for every row of a page at once: a function
of the changelist giving a function of the row, the same value the method gives, with what every row shares (the
language, the time zone) read once. Django's own path still calls the method.

`results_table` writes what Django's change_list_results.html writes with these rows, its headers and table, for
the `{% quick_result_list %}` tag when that template is Django's own file (not one the project or an app
overrides): the template's loops cost about as much as the rows themselves.
"""

import datetime
import html
import operator
import re
from pathlib import Path

import django.contrib.admin
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, override

# Kinds of column: a ModelAdmin method, a model field shown as a value (an auto-created one, like the id), a
# foreign key (its object), a field with choices (its label), a plain text field, any other field.
METHOD, VALUE, RELATED, CHOICES, TEXT, FIELD = range(6)

# A primary key whose admin-quoted form reverse() writes as it is (no percent-encoding): the change address is
# then the page's one pattern with the key put in.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.~-]+")
_KEY_MARK = "ROWKEYMARK"


def page_cells(cells):
    """`@page_cells(lambda cl: lambda obj: ...)` on a list_display method: its value for each row of a page, read
    with what the rows share worked out once (see the module's docstring)."""

    def mark(method):
        method.page_cells = cells
        return method

    return mark


class _Column:
    __slots__ = ("attr", "avoid_link", "boolean", "choices", "empty", "field", "kind", "link", "name", "open",
                 "open_nowrap", "seen", "tag")

    def reader(self, cl):
        """A function of a row to this column's value on this page."""
        if self.kind != METHOD:
            return operator.attrgetter(self.name)
        cells = getattr(self.attr, "page_cells", None)
        return self.attr if cells is None else cells(cl)

    def __init__(self, name, kind, *, attr=None, field=None, empty, classes, nowrap=False, tag=None):
        self.name, self.kind, self.attr, self.field, self.empty = name, kind, attr, field, empty
        self.boolean = getattr(attr, "boolean", False) if kind == METHOD else False
        self.choices = dict(field.flatchoices) if kind == CHOICES else None
        self.seen = {}  # markup already written on this page: a related object's or a choice's
        self.link, self.tag, self.avoid_link = tag is not None, tag or "td", tag is not None
        self.open = mark_safe(f'<{self.tag} class="{" ".join(classes + (["nowrap"] if nowrap else []))}">')
        # A method's date or time value is the one case where a cell's class depends on the row.
        self.open_nowrap = mark_safe(f'<{self.tag} class="{" ".join([*classes, "nowrap"])}">')


def _columns(cl) -> list[_Column] | None:
    """Each column's fixed facts, in Django's own terms; None where a column needs Django's per-cell lookup."""
    model_admin, opts = cl.model_admin, cl.lookup_opts
    default_empty = model_admin.get_empty_value_display()
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if callable(name):
            return None
        classes = [f"field-{_coerce_field_name(name, index)}"]
        links = cl.list_display_links is not None and (
            (first and not cl.list_display_links) or name in cl.list_display_links
        )
        tag = None
        if links:
            tag, first = "th" if first else "td", False
        try:
            field = _get_non_gfk_field(opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if not (hasattr(model_admin, name) and name != "__str__" and callable(getattr(model_admin, name))):
                return None
            attr = getattr(model_admin, name)
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            empty = getattr(attr, "empty_value_display", default_empty)
            columns.append(_Column(name, METHOD, attr=attr, empty=empty, classes=classes, tag=tag))
            continue
        nowrap = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
        if field.auto_created:
            kind, nowrap = VALUE, False
        elif isinstance(field.remote_field, models.ManyToOneRel):
            kind = RELATED
        elif getattr(field, "flatchoices", None):
            try:
                dict(field.flatchoices)
            except TypeError:  # list-like choices: Django's own handling
                kind = FIELD
            else:
                kind = CHOICES
        elif isinstance(field, models.CharField | models.TextField) and not isinstance(field, models.URLField):
            kind = TEXT
        else:
            kind = FIELD
        columns.append(_Column(name, kind, field=field, empty=default_empty, classes=classes, nowrap=nowrap,
                               tag=tag))
    return columns


def _markup(value) -> str:
    """conditional_escape's text without its lazy-argument wrapper (the row is marked safe as a whole)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _cell(column: _Column, read, result, default_empty) -> tuple[str, str]:
    """(the cell's opening tag, its content's markup), as items_for_result decides them."""
    name, kind = column.name, column.kind
    try:
        value = read(result)
    except ObjectDoesNotExist:
        return mark_safe(f'<{column.tag} class="field-{name}">'), _markup(default_empty)
    if isinstance(value, str) and value.strip() == "":
        value = ""
    if kind in (METHOD, VALUE):
        if type(value) is SafeString and value != "" and not column.boolean:
            return column.open, value
        if not column.boolean and isinstance(value, str):
            shown = str(value) if value != "" else column.empty
        else:
            shown = display_for_value(value, column.empty, column.boolean)
        if isinstance(value, datetime.date | datetime.time):
            return column.open_nowrap, _markup(shown)
        return column.open, _markup(shown)
    if kind == RELATED:
        if value is None:
            return column.open, _markup(column.empty)
        # A page shows a few tracks or centres many times: each one's text once per page.
        key = (type(value), value.pk)
        markup = column.seen.get(key) if value.pk is not None else None
        if markup is None:
            markup = column.seen[key] = _markup(value)
        return column.open, markup
    if kind == CHOICES:
        try:
            markup = column.seen.get(value)
        except TypeError:  # an unhashable value: Django's own handling
            return column.open, _markup(display_for_field(value, column.field, column.empty))
        if markup is None:
            markup = column.seen[value] = _markup(column.choices.get(value, column.empty))
        return column.open, markup
    if kind == TEXT:
        if value in column.field.empty_values:
            return column.open, _markup(column.empty)
        if isinstance(value, str):
            return column.open, _markup(value)
    return column.open, _markup(display_for_field(value, column.field, column.empty, avoid_link=column.avoid_link))


def _change_url(cl):
    """A function of a row to its change page's address with the list's filters kept (what items_for_result
    writes in each link), reversed and merged with the filters once for the page where it can be."""
    context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}

    def each(result):
        return add_preserved_filters(context, cl.url_for_result(result))

    if type(cl).url_for_result is not ChangeList.url_for_result:
        return each
    try:
        marked = reverse(f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change", args=(_KEY_MARK,),
                         current_app=cl.model_admin.admin_site.name)
    except NoReverseMatch:
        return each
    before, mark, after = add_preserved_filters(context, marked).partition(_KEY_MARK)
    if not mark or _KEY_MARK in after:
        return each
    pk_attname = cl.pk_attname

    def fast(result):
        key = quote(getattr(result, pk_attname))
        if not isinstance(key, str) or not _PLAIN_KEY.fullmatch(key):
            key = str(key)
            if not _PLAIN_KEY.fullmatch(key):
                return each(result)
        return before + key + after

    return fast


def _rows_markup(cl) -> list[str] | None:
    """Each row's cells as one string of markup; None where Django's own items_for_result writes them."""
    columns = None if cl.formset or cl.is_popup else _columns(cl)
    if columns is None:
        return None
    default_empty = cl.model_admin.get_empty_value_display()
    change_url = _change_url(cl) if any(column.link for column in columns) else None
    readers = [(column, column.reader(cl)) for column in columns]
    built = []
    for result in cl.result_list:
        cells = []
        url = None
        for column, read in readers:
            opening, markup = _cell(column, read, result, default_empty)
            if column.link:
                try:
                    url = url or html.escape(change_url(result))
                except NoReverseMatch:
                    pass
                else:
                    markup = f'<a href="{url}">{markup}</a>'
            cells.append(f"{opening}{markup}</{column.tag}>")
        built.append("".join(cells))
    return built


def rows(cl) -> list[ResultList]:
    """The change list's rows, each as one item of markup; Django's own where this module does not apply."""
    built = _rows_markup(cl)
    if built is None:
        return list(results(cl))
    return [ResultList(None, [mark_safe(row)]) for row in built]


def result_list(cl):
    """Django's result_list tag's context (admin/change_list_results.html) with the rows built above."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }


DJANGO_RESULTS_TEMPLATE = str(Path(django.contrib.admin.__file__).parent / "templates/admin/change_list_results.html")


def _priority_title(priority: int) -> str:
    """The template's blocktranslate: in English where the translation's placeholder is wrong."""
    try:
        return gettext(_PRIORITY) % {"priority_number": priority}
    except (KeyError, ValueError):
        with override(None):
            return gettext(_PRIORITY) % {"priority_number": priority}


_PRIORITY = "Sorting priority: %(priority_number)s"


def _header(header: dict, sorted_fields: int) -> str:
    """One <th> of change_list_results.html, as its loop writes it."""
    raw = header["text"]
    # The capfirst filter keeps marked-safe text (the select-all box) as it is and escapes the rest.
    text = capfirst(str(raw))
    text = text if hasattr(raw, "__html__") else html.escape(text)
    if not header["sortable"]:
        return (f'\n<th scope="col"{_markup(header["class_attrib"])}>\n   \n   <div class="text"><span>'
                f'{text}</span></div>\n   <div class="clear"></div>\n</th>')
    options = ""
    if header["sort_priority"] > 0:
        priority = ""
        if sorted_fields > 1:
            priority = (f'<span class="sortpriority" title="{_priority_title(header["sort_priority"])}">'
                        f'{header["sort_priority"]}</span>')
        order = "ascending" if header["ascending"] else "descending"
        options = (
            f'\n       <div class="sortoptions">\n         <a class="sortremove" '
            f'href="{html.escape(header["url_remove"])}" title="{_markup(gettext("Remove from sorting"))}"></a>'
            f'\n         {priority}\n         <a href="{html.escape(header["url_toggle"])}" class="toggle '
            f'{order}" title="{_markup(gettext("Toggle sorting"))}"></a>\n       </div>\n   '
        )
    return (f'\n<th scope="col"{_markup(header["class_attrib"])}>\n   {options}\n   <div class="text"><a '
            f'href="{html.escape(header["url_primary"])}">{text}</a></div>\n   <div class="clear"></div>'
            f"\n</th>")


def results_table(cl) -> str | None:
    """What Django's change_list_results.html writes for this page's rows; None where the rows are Django's."""
    built = _rows_markup(cl)
    if built is None:
        return None
    if not built:
        return mark_safe("\n\n\n")
    headers = list(result_headers(cl))
    sorted_fields = sum(1 for h in headers if h["sortable"] and h["sorted"])
    head = "".join(_header(header, sorted_fields) for header in headers)
    body = "".join(f"\n\n<tr>{row}</tr>\n" for row in built)
    return mark_safe(
        f'\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n{head}\n</tr>\n</thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>\n</div>\n\n"
    )

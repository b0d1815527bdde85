"""An admin change list's rows built in Python, markup for markup what Django's `items_for_result` writes.

Django works out, for every cell of every row, which field or method the column is, its classes, whether it
links and where, its empty value, its choices' labels, and passes it all through format_html: on a 50-row page of
ten columns that was about a third of the proposal list's time. Here what is the same for every row is worked out
once per page (`_Column`) and each row is one string. The template is Django's change_list_results.html, given
each row as a single item, so `<tr>{% for item in result %}{{ item }}{% endfor %}</tr>` writes the same bytes.

A page this does not cover (editable rows, a popup, a column that is a callable or a model's attribute) is left to
Django's own `items_for_result`, unchanged.
"""

import datetime
import html
import re

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
from django.utils.safestring import mark_safe

# Kinds of column: a ModelAdmin method, a model field shown as a value (an auto-created one, like the id), a
# foreign key (its object), a field with choices (its label), a plain text field, any other field.
METHOD, VALUE, RELATED, CHOICES, TEXT, FIELD = range(6)

# A primary key whose admin-quoted form reverse() writes as it is (no percent-encoding): the change address is
# then the page's one pattern with the key put in.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.~-]+")
_KEY_MARK = "ROWKEYMARK"


class _Column:
    __slots__ = ("attr", "avoid_link", "boolean", "choices", "empty", "field", "kind", "link", "name", "open",
                 "open_nowrap", "seen", "tag")

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


def _cell(column: _Column, result, default_empty) -> tuple[str, str]:
    """(the cell's opening tag, its content's markup), as items_for_result decides them."""
    name, kind = column.name, column.kind
    try:
        value = column.attr(result) if kind == METHOD else getattr(result, name)
    except ObjectDoesNotExist:
        return mark_safe(f'<{column.tag} class="field-{name}">'), _markup(default_empty)
    if isinstance(value, str) and value.strip() == "":
        value = ""
    if kind in (METHOD, VALUE):
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


def rows(cl) -> list[ResultList]:
    """The change list's rows, each as one item of markup; Django's own where this module does not apply."""
    columns = None if cl.formset or cl.is_popup else _columns(cl)
    if columns is None:
        return list(results(cl))
    default_empty = cl.model_admin.get_empty_value_display()
    change_url = _change_url(cl) if any(column.link for column in columns) else None
    built = []
    for result in cl.result_list:
        cells = []
        url = None
        for column in columns:
            opening, markup = _cell(column, result, default_empty)
            if column.link:
                try:
                    url = url or html.escape(change_url(result))
                except NoReverseMatch:
                    pass
                else:
                    markup = f'<a href="{url}">{markup}</a>'
            cells.append(f"{opening}{markup}</{column.tag}>")
        built.append(ResultList(None, [mark_safe("".join(cells))]))
    return built


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

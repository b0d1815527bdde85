"""`{% quick_result_list cl %}`: Django's `{% result_list cl %}` (the same template, found the same way) with the
rows built by core.admin_rows; `{% quick_list_filter cl spec %}`: Django's `{% admin_list_filter cl spec %}`
written by core.admin_filters."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from core.admin_filters import list_filter
from core.admin_rows import result_list

register = template.Library()


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html",
                              takes_context=False)


register.simple_tag(list_filter, name="quick_list_filter")

"""`{% quick_result_list cl %}`: Django's `{% result_list cl %}` (the same template, found the same way) with the
rows built by core.admin_rows; `{% quick_list_filter cl spec %}`: Django's `{% admin_list_filter cl spec %}`
written by core.admin_filters."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from core.admin_filters import list_filter
from core.admin_rows import DJANGO_RESULTS_TEMPLATE, result_list, results_table

register = template.Library()


class ResultListNode(InclusionAdminNode):
    """Django's result_list tag; the whole table written by core.admin_rows where the template it finds is
    Django's own file."""

    def render(self, context):
        opts = context["opts"]
        found = context.template.engine.select_template([
            f"admin/{opts.app_label.lower()}/{opts.model_name}/{self.template_name}",
            f"admin/{opts.app_label.lower()}/{self.template_name}", f"admin/{self.template_name}",
        ])
        if found.origin.name == DJANGO_RESULTS_TEMPLATE:
            written = results_table(self.args[0].resolve(context))
            if written is not None:
                return written
        return super().render(context)


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return ResultListNode(parser, token, func=result_list, template_name="change_list_results.html",
                          takes_context=False)


register.simple_tag(list_filter, name="quick_list_filter")

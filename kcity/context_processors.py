"""The section of the portal a page belongs to, for its <title> ("Page – Section – K-City Network").

In the composition root because it names every app's URL namespace; only settings refers to it.
"""

from django.utils.translation import gettext_lazy as _

# URL namespace -> the section's name, as the navigation bar calls it.
SECTIONS = {
    "proposals": _("Proposals"),
    "proposals_staff": _("Secretariat"),
    "consulting": _("Pre-consulting"),
    "committee": _("Committee"),
    "cooperation": _("Cooperation"),
    "notifications": _("Notices"),
    "help": _("Help"),
    "accounts": _("Account"),
}
# The pages whose own title is the section's name: their title is "Section – K-City Network", not twice.
LANDING_PAGES = {
    "proposals:workspace", "consulting:consultant-list", "committee:workspace", "notifications:list",
}


def site_section(request):
    # Always named, empty outside a section: base.html asks for it on every page, and a name missing from the
    # context costs the template engine an exception each time.
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name in LANDING_PAGES:
        return {"site_section": ""}
    namespace = match.namespaces[0] if match.namespaces else ""
    if not namespace and (match.url_name or "").startswith("account_"):
        namespace = "accounts"  # allauth's pages have no namespace, only their "account_" names
    return {"site_section": SECTIONS.get(namespace, "")}

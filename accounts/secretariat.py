"""What the Secretariat group may do in the back office: exactly the secretariat's work, nothing more.

The single source of the group's permissions. A data migration applies it (accounts/0002), so every install has
the same group; seed_demo only looks the group up through `secretariat_group_sync`. Changing the list means a
new migration that calls the sync again, so installs never drift from what is written here.

Left out on purpose: deleting anything that carries history (proposals, decisions, projects, audit rows), Celery
beat schedules (a periodic task can run any registered task with any arguments: operators only), tokens, groups
and per-user permissions (only a superuser hands out privileges).
"""

SECRETARIAT_GROUP = "Secretariat"

SECRETARIAT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # People and organisations: create and correct applicant, consultant and member accounts.
    "accounts": (
        "add_user", "change_user", "view_user",
        "add_organisation", "change_organisation", "view_organisation",
        "add_membership", "change_membership", "delete_membership", "view_membership",
    ),
    "audit": ("view_auditentry",),
    "notifications": ("add_notice", "view_notice", "view_outboxemail", "view_sentreminder"),
    "proposals": (
        "add_programme", "change_programme", "view_programme",
        "add_track", "change_track", "view_track",
        "add_cycle", "change_cycle", "view_cycle",
        "add_cooperationcentre", "change_cooperationcentre", "view_cooperationcentre",
        "add_servicelevel", "change_servicelevel", "view_servicelevel",
        "add_holiday", "change_holiday", "delete_holiday", "view_holiday",
        "change_proposal", "view_proposal", "triage_proposal",
        "view_contactperson", "view_attachment", "view_statuschange",
        "add_message", "view_message", "view_invitation",
    ),
    "consulting": (
        "add_consultant", "change_consultant", "view_consultant",
        "add_availabilityrule", "change_availabilityrule", "delete_availabilityrule", "view_availabilityrule",
        "add_dateoverride", "change_dateoverride", "delete_dateoverride", "view_dateoverride",
        "add_sessiontype", "change_sessiontype", "view_sessiontype",
        "change_booking", "view_booking",
        "view_preconsultingreport",
    ),
    "committee": (
        "add_committeemember", "change_committeemember", "view_committeemember",
        "add_meeting", "change_meeting", "view_meeting",
        "add_agendaitem", "change_agendaitem", "delete_agendaitem", "view_agendaitem",
        "add_attendance", "change_attendance", "view_attendance",
        "add_assignment", "change_assignment", "delete_assignment", "view_assignment",
        "view_conflictdeclaration",
        "add_rubric", "change_rubric", "view_rubric",
        "add_decisionrule", "change_decisionrule", "view_decisionrule",
        "add_criterion", "change_criterion", "delete_criterion", "view_criterion",
        "view_review", "view_score", "view_vote", "view_decision",
        "change_minutes", "view_minutes",
        "change_decisionletter", "view_decisionletter",
    ),
    "cooperation": ("change_project", "view_project"),
    # Reminder schedules are read, not edited, by the secretariat: see the module docstring.
    "django_celery_beat": ("view_periodictask", "view_crontabschedule", "view_intervalschedule"),
}


def secretariat_group_sync(apps):
    """Create the group and give it exactly SECRETARIAT_PERMISSIONS (extra permissions are taken away).

    `apps` is a migration's app registry or django.apps.apps. Permissions are created first: in a fresh database
    Django makes them only after all migrations (post_migrate), too late for this one.
    """
    from django.contrib.auth.management import create_permissions  # noqa: PLC0415  (only where migrations run)

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = []
    for app_label, codenames in SECRETARIAT_PERMISSIONS.items():
        # A model a later migration adds (committee's decision rules) has no permissions yet in an earlier
        # migration's registry: that migration leaves it out, the later one's sync adds it.
        existing = {model._meta.model_name for model in apps.get_app_config(app_label).get_models()}
        codenames = tuple(c for c in codenames if c.split("_", 1)[1] in existing)
        found = list(permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise LookupError(f"Permissions not found for the Secretariat group: {app_label} {sorted(missing)}")
        wanted.extend(found)
    group.permissions.set(wanted)
    return group

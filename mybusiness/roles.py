"""The portal's roles, named in one place.

Staff roles are Django groups (created by a data migration); partner roles are a
field on the user, since a partner user belongs to exactly one partner company.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# The groups' names are stored as they are; marked so that the admin shows them translated.
SALES_ADMIN_GROUP = gettext_noop("Administration des ventes")
CLOUD_TEAM_GROUP = gettext_noop("Équipe cloud")


class Role(models.TextChoices):
    PARTNER_USER = "partner_user", _("Utilisateur partenaire")
    PARTNER_ADMIN = "partner_admin", _("Administrateur partenaire")
    STAFF = "staff", _("Personnel de l'éditeur")


def staff_group_permissions() -> dict[str, list[str]]:
    """Each staff group's permissions, as "app_label.codename", as each app declares them for its own
    models on its AppConfig (``staff_permissions``: {group name: [codename, ...]}).

    Permissions of models that do not exist yet are skipped by ``sync_staff_groups``: each migration
    that adds such a model calls it again.
    """
    from django.apps import apps as installed

    wanted: dict[str, list[str]] = {SALES_ADMIN_GROUP: [], CLOUD_TEAM_GROUP: []}
    for config in installed.get_app_configs():
        for group_name, codenames in getattr(config, "staff_permissions", {}).items():
            wanted[group_name].extend(f"{config.label}.{codename}" for codename in codenames)
    return wanted


def sync_staff_groups(apps, schema_editor=None) -> None:
    """Create the staff groups and give them every permission of theirs that exists (for migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, wanted in staff_group_permissions().items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)

"""The portal's roles, named in one place.

Staff roles are Django groups (created by a data migration); partner roles are a
field on the user, since a partner user belongs to exactly one partner company.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SALES_ADMIN_GROUP = "Administration des ventes"
CLOUD_TEAM_GROUP = "Équipe cloud"


class Role(models.TextChoices):
    PARTNER_USER = "partner_user", _("Utilisateur partenaire")
    PARTNER_ADMIN = "partner_admin", _("Administrateur partenaire")
    STAFF = "staff", _("Personnel de l'éditeur")


# The permissions each staff group needs for its work, as "app_label.codename".
# Permissions of models that do not exist yet are skipped: each migration that
# adds such a model calls ``sync_staff_groups`` again.
_CATALOG_MODELS = ["ordertype", "origin", "generation", "solution", "productreference"]
STAFF_GROUP_PERMISSIONS: dict[str, list[str]] = {
    SALES_ADMIN_GROUP: [
        "mybusiness.view_partner",
        "mybusiness.add_partner",
        "mybusiness.change_partner",
        "mybusiness.view_user",
        "mybusiness.view_outboxemail",
        "orders.view_order",
        "orders.change_order",
        "orders.view_orderline",
        "orders.view_orderevent",
        "orders.review_order",
        *[f"catalog.{action}_{model}" for model in _CATALOG_MODELS for action in ("view", "add", "change", "delete")],
        "customer_sites.view_site",
        "customer_sites.add_site",
        "customer_sites.change_site",
        "customer_sites.view_sitechangerequest",
        "customer_sites.change_sitechangerequest",
        "customer_sites.review_sitechangerequest",
        "customer_sites.view_sitechangerequestfield",
        "customer_sites.view_siteevent",
        "opportunities.view_opportunity",
        "opportunities.add_opportunity",
        "opportunities.change_opportunity",
        "orders.view_ordercomment",
        "orders.add_ordercomment",
        "orders.view_orderdocument",
        "orders.view_activation",
        "certificates.view_certificate",
        "certificates.resend_certificate",
    ],
    CLOUD_TEAM_GROUP: [
        "orders.view_activation",
        "orders.change_activation",
        "orders.work_activation",
        "customer_sites.view_site",
    ],
}


def sync_staff_groups(apps, schema_editor=None) -> None:
    """Create the staff groups and give them every permission of theirs that exists (for migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, wanted in STAFF_GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)

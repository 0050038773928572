"""Give the sales-admin group its certificate permissions (view, resend)."""

from django.db import migrations

from mybusiness.roles import sync_staff_groups


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(sync_staff_groups, migrations.RunPython.noop)]

"""Joins the back office's and the wizard steps' migrations (both 0004, made on parallel branches)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_activation_ordercomment"),
        ("orders", "0004_order_document"),
    ]

    operations = []

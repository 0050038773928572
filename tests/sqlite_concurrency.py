"""Child process of tests/test_sqlite_concurrency.py: five threads submit one order at once on a SQLite file.

Prints one JSON line: how many submissions succeeded, and the refusals and errors of the others.
"""

import json

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from orders.errors import InvalidTransition, OrderError  # noqa: E402
from orders.models import Order  # noqa: E402
from orders.services.submission import order_submit  # noqa: E402
from tests.concurrency import at_once  # noqa: E402
from tests.factories import PartnerFactory, UserFactory  # noqa: E402
from tests.factories_steps import complete_draft  # noqa: E402

THREADS = 5
REFUSALS = {OrderError.__name__, InvalidTransition.__name__}

call_command("migrate", verbosity=0)
partner = PartnerFactory()
user = UserFactory(partner=partner)
order_id = complete_draft(partner=partner, user=user).pk
connection.close()


def submit() -> str:
    order_submit(order=Order.objects.get(pk=order_id), user=user)
    return "submitted"


# A refusal of the domain (no longer a draft) is « refused »; a database error keeps its class name.
results = ["refused" if outcome in REFUSALS else outcome for outcome in at_once(submit, times=THREADS)]
order = Order.objects.get(pk=order_id)
print(json.dumps({"results": sorted(results), "status": order.status, "events": order.events.count()}))

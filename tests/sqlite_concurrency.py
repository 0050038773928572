"""Child process of tests/test_sqlite_concurrency.py: five threads submit one order at once on a SQLite file.

Prints one JSON line: how many submissions succeeded, and the refusals and errors of the others.
"""

import json
import threading

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from orders.errors import OrderError  # noqa: E402
from orders.models import Order  # noqa: E402
from orders.services.submission import order_submit  # noqa: E402
from tests.factories import PartnerFactory, UserFactory  # noqa: E402
from tests.factories_steps import complete_draft  # noqa: E402

THREADS = 5

call_command("migrate", verbosity=0)
partner = PartnerFactory()
user = UserFactory(partner=partner)
order_id = complete_draft(partner=partner, user=user).pk
connection.close()

start = threading.Barrier(THREADS)
results: list[str] = []


def submit() -> None:
    try:
        order = Order.objects.get(pk=order_id)
        start.wait()
        order_submit(order=order, user=user)
        results.append("submitted")
    except OrderError:
        results.append("refused")  # the draft is no longer a draft: the domain's answer
    except Exception as error:  # « database is locked » and any other failure
        results.append(f"{type(error).__name__}: {error}")
    finally:
        connection.close()


threads = [threading.Thread(target=submit) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
order = Order.objects.get(pk=order_id)
print(json.dumps({"results": sorted(results), "status": order.status, "events": order.events.count()}))

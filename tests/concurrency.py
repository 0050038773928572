"""Run the same call from several threads released at once (each on its own database connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(call: Callable[[], object], times: int = 2) -> list[object]:
    """Each thread's result, or the class name of the exception it raised (the loser's refusal)."""
    barrier = threading.Barrier(times)
    outcomes: list[object] = []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as error:  # a refusal is an outcome to assert on, not a crash
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

"""The columns a user chose for each browse list, remembered across sessions.

They live on the user's row (``User.browse_columns``, ``{list key: [column, ...]}``): every request
loads that row anyway, so a list reads the choice without a query or a cache round trip, and a
change made in one browser shows in the next request of any other.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction


def chosen_columns(user, list_key: str) -> list[str] | None:
    """The columns ``user`` chose for the list, or None if they chose none."""
    columns = (user.browse_columns or {}).get(list_key)
    return list(columns) if isinstance(columns, list) else None


def choose(user, list_key: str, columns: list[str]) -> None:
    _change(user, lambda chosen: {**chosen, list_key: list(columns)})


def forget(user, list_key: str) -> None:
    _change(user, lambda chosen: {key: value for key, value in chosen.items() if key != list_key})


def _change(user, change: Callable[[dict], dict]) -> None:
    """Apply ``change`` to the stored choices under a row lock, so that two lists changed at once in
    two tabs both keep their choice; ``user`` (the request's) sees the result at once."""
    users = get_user_model().objects
    with transaction.atomic():
        stored = users.select_for_update().values_list("browse_columns", flat=True).get(pk=user.pk)
        user.browse_columns = change(dict(stored or {}))
        users.filter(pk=user.pk).update(browse_columns=user.browse_columns)

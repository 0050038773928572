"""Small reference tables (the catalog), read from Django's cache.

The catalog's labels appear in every order row and its entries fill the lists' select filters,
yet it changes a few times a year. Read from the database, it cost each list page two or three
queries and their model instances, and the order list three more joins.

An app registers its reference models (``register``, from its ``AppConfig.ready``); a save or a
delete of one of them drops its cached rows. With a shared cache (``CACHE_URL``, Redis) every
process sees the change within a second; with the default per-process memory cache, other
processes see it within ``CACHE_SECONDS``. In front of Django's cache each process keeps the rows
it read for ``LOCAL_SECONDS``, so that a page asking for them row after row (an admin column)
reads the cache once.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import django_filters
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

CACHE_SECONDS = 60
LOCAL_SECONDS = 1.0


class Reference(NamedTuple):
    pk: int
    text: str  # str(row): what a select shows
    label: str  # row.label: what a list's cell shows
    is_active: bool


_registered: set[type] = set()
_local: dict[type, tuple[float, list[Reference]]] = {}


def _key(model) -> str:
    return f"references:{model._meta.label_lower}"


def _forget(sender, **kwargs) -> None:
    _local.pop(sender, None)
    cache.delete(_key(sender))


def forget_all() -> None:
    """Drop every process-local copy (the tests call it with ``cache.clear()``)."""
    _local.clear()


def register(*models) -> None:
    """Cache these models' rows, forgotten whenever one of them is saved or deleted."""
    for model in models:
        _registered.add(model)
        post_save.connect(_forget, sender=model, dispatch_uid=f"references-save-{_key(model)}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"references-delete-{_key(model)}")


def references(model) -> list[Reference]:
    """Every row of a registered model, in its default ordering, inactive ones included."""
    if model not in _registered:
        raise LookupError(f"{model._meta.label} is not a registered reference model")
    now = time.monotonic()
    local = _local.get(model)
    if local is not None and now - local[0] < LOCAL_SECONDS:
        return local[1]
    key = _key(model)
    rows = cache.get(key)
    if rows is None:
        rows = [
            Reference(row.pk, str(row), getattr(row, "label", str(row)), getattr(row, "is_active", True))
            for row in model._default_manager.all()
        ]
        cache.set(key, rows, CACHE_SECONDS)
    _local[model] = (now, rows)
    return rows


def is_registered(model) -> bool:
    return model in _registered


def labels(model) -> dict[int, str]:
    """A registered model's labels by primary key."""
    return {row.pk: row.label for row in references(model)}


def texts(model) -> dict[int, str]:
    """A registered model's rows as ``str()`` shows them, by primary key."""
    return {row.pk: row.text for row in references(model)}


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """A select filter on a registered reference model whose options come from the cache.

    The queryset still checks a submitted value; ``active_only`` must match it (the filter offers
    what the queryset accepts)."""

    def __init__(self, *args, active_only: bool = False, **kwargs):
        self.active_only = active_only
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        built = hasattr(self, "_field")
        field = super().field
        if not built:
            rows = references(field.queryset.model)
            empty = [] if field.empty_label is None else [("", field.empty_label)]
            choices = empty + [(row.pk, row.text) for row in rows if row.is_active or not self.active_only]
            # What ModelChoiceField reads before querying; its ``choices`` setter would wrap the list
            # in django-filter's model iterator, which queries again.
            field._choices = field.widget.choices = choices
        return field

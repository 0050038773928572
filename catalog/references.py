"""Small reference tables (the catalog), read from Django's cache.

The catalog's labels appear in every order row and its entries fill the lists' select filters,
yet it changes a few times a year. Read from the database, it cost each list page two or three
queries and their model instances, and the order list three more joins.

The rows' texts are in the active language (a catalog row has a French and an English label), so
they are cached once per language of ``settings.LANGUAGES``; the instances once for all.

An app registers its reference models (``register``, from its ``AppConfig.ready``); a save or a
delete of one of them drops its cached rows. With a shared cache (``CACHE_URL``, Redis) every
process sees the change within a second; with the default per-process memory cache, other
processes see it within ``CACHE_SECONDS``. In front of Django's cache each process keeps the rows
it read for ``LOCAL_SECONDS``, so that a page asking for them row after row (an admin column)
reads the cache once.
"""

from __future__ import annotations

import copy
import time
from functools import partial
from typing import Any, NamedTuple

import django_filters
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from django_filters.constants import EMPTY_VALUES

CACHE_SECONDS = 60
LOCAL_SECONDS = 1.0


class Reference(NamedTuple):
    pk: int
    text: str  # str(row): what a select shows, in the active language
    label: str  # row.display_label: what a list's cell shows, in the active language
    is_active: bool


_registered: set[type] = set()
_local: dict[str, tuple[float, Any]] = {}


def _rows_key(model, language: str | None) -> str:
    return f"references:{model._meta.label_lower}:{language or settings.LANGUAGE_CODE}"


def _objects_key(model) -> str:
    return f"references:{model._meta.label_lower}:objects"


def _keys(model) -> list[str]:
    """Every key a model's rows are cached under: its texts in each language, its instances."""
    return [*(_rows_key(model, code) for code, _name in settings.LANGUAGES), _objects_key(model)]


def _forget(sender, **kwargs) -> None:
    # A registered model pointing to the changed one caches copies of its rows too (a solution's
    # generation): forgotten with it.
    dependents = [model for model in _registered if any(_points_to(field, sender) for field in model._meta.fields)]
    for model in [sender, *dependents]:
        for key in _keys(model):
            _local.pop(key, None)
            cache.delete(key)


def _points_to(field, model) -> bool:
    return field.many_to_one and field.related_model is model


def forget_all() -> None:
    """Drop every process-local copy (the tests call it with ``cache.clear()``)."""
    _local.clear()


def register(*models) -> None:
    """Cache these models' rows, forgotten whenever one of them is saved or deleted."""
    for model in models:
        _registered.add(model)
        uid = f"references:{model._meta.label_lower}"
        post_save.connect(_forget, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"{uid}-delete")


def _cached(key: str, build):
    now = time.monotonic()
    local = _local.get(key)
    if local is not None and now - local[0] < LOCAL_SECONDS:
        return local[1]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    _local[key] = (now, value)
    return value


def _check(model) -> None:
    if model not in _registered:
        raise LookupError(f"{model._meta.label} is not a registered reference model")


def references(model) -> list[Reference]:
    """Every row of a registered model, in its default ordering, inactive ones included, its texts
    in the active language."""
    _check(model)
    return _cached(
        _rows_key(model, get_language()),
        lambda: [
            Reference(row.pk, str(row), getattr(row, "display_label", str(row)), getattr(row, "is_active", True))
            for row in model._default_manager.all()
        ],
    )


def instances(model) -> dict[int, Any]:
    """Every row of a registered model as an instance, by primary key, with its relations to other
    registered models loaded. Shared: ``attach`` hands out copies."""
    _check(model)
    related = [field.name for field in model._meta.fields if field.many_to_one and field.related_model in _registered]
    return _cached(
        _objects_key(model), lambda: {row.pk: row for row in model._default_manager.select_related(*related)}
    )


def code_of(model, pk) -> str | None:
    """The code of the row ``pk`` of a registered model (the API names the catalog by code), or None."""
    row = instances(model).get(pk) if pk is not None else None
    return row.code if row is not None else None


def pk_for_code(model, code: str, *, unknown):
    """The id of the row coded ``code`` of a registered model, or ``unknown``."""
    return next((pk for pk, row in instances(model).items() if row.code == code), unknown)


def filter_value(model, code: str | None):
    """A list filter's value for a catalog code: its id; none asked, ""; an unknown code, an id no row has."""
    return pk_for_code(model, code, unknown=-1) if code else ""


def attach(instance, *names: str) -> None:
    """Give ``instance`` its catalog relations ``names`` from the cache instead of a join: the
    order pages read them on every request, and joining them cost PostgreSQL more to plan than
    the query to run."""
    for name in names:
        field = instance._meta.get_field(name)
        pk = getattr(instance, field.attname)
        related = instances(field.related_model).get(pk) if pk is not None else None
        if related is not None:
            field.set_cached_value(instance, copy.copy(related))


def is_registered(model) -> bool:
    return model in _registered


def labels(model) -> dict[int, str]:
    """A registered model's labels in the active language, by primary key."""
    return {row.pk: row.label for row in references(model)}


def texts(model) -> dict[int, str]:
    """A registered model's rows as ``str()`` shows them, by primary key."""
    return {row.pk: row.text for row in references(model)}


def cached_choices(model, active_only: bool) -> list[tuple[int, str]]:
    """A select's options for a registered model's rows, read from the cache."""
    return [(row.pk, row.text) for row in references(model) if row.is_active or not active_only]


class ReferenceChoiceFilter(django_filters.ChoiceFilter):
    """A select filter on a foreign key to a registered reference model: its options, and the values
    it accepts, are the cached rows (the active ones only with ``active_only``), so neither listing
    nor checking them queries the database. It filters on the foreign key's column. The catalog is
    reached through the foreign key, so an app using it names no catalog model."""

    def __init__(self, *args, active_only: bool = False, **kwargs):
        self.active_only = active_only
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        # The choices are a callable, which Django's ChoiceField calls each time the options are
        # listed or a value checked, so a field built once follows the catalog. It holds the model
        # and the flag only, not the filter: each form deep-copies its fields, and a filter leads
        # to its filter set and the request.
        self.extra["choices"] = partial(cached_choices, self._foreign_key().related_model, self.active_only)
        return super().field

    def _foreign_key(self):
        return self.model._meta.get_field(self.field_name)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return self.get_method(qs)(**{self._foreign_key().attname: value})

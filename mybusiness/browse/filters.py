"""The filter sets of the portal's lists."""

from __future__ import annotations

from typing import ClassVar

import django_filters


class ListFilterSet(django_filters.FilterSet):
    """A list's filter set whose form class is built once per class, not on every request.

    django-filter builds a new form class each time a list is shown (``get_form_class``, its
    documented hook): about a millisecond for a list's header filters. A form class only holds the
    fields its forms start from (Django copies them into each form), so it can be kept when no
    field depends on who asks: a filter set says so with ``fields_depend_on_request = False``.
    """

    fields_depend_on_request: ClassVar[bool] = True

    def get_form_class(self):
        cls = type(self)
        if cls.fields_depend_on_request:
            return super().get_form_class()
        form_class = cls.__dict__.get("kept_form_class")  # this class's own, never a parent's
        if form_class is None:
            form_class = super().get_form_class()
            cls.kept_form_class = form_class
        return form_class

"""The interface every wizard step implements.

A step is a small class: it says whether it applies to an order, whether it is
complete (and if not, what is missing, in words a partner understands), builds
its form and saves it. The dispatcher in ``engine`` decides which step a user
may see; the step never has to check that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django import forms
from django.http import HttpRequest

from orders.completeness import Section
from orders.models import Order


@dataclass(frozen=True)
class ReviewWarning:
    """A summary value shown as a warning (``orders/includes/section.html`` styles it)."""

    text: str
    is_review_warning = True

    def __str__(self) -> str:
        return str(self.text)


class WizardStep:
    #: The step's address in URLs (stable, ASCII).
    identifier: ClassVar[str]
    #: The step's name in the progress bar and the review page.
    title: ClassVar[str]
    #: The template that renders the step's body inside the wizard layout.
    template_name: ClassVar[str] = "orders/wizard/step_form.html"
    #: The form; it receives ``order`` (and ``user``) as keyword arguments.
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    #: The part of the order this step fills: its rules (``orders.completeness``); None for the review.
    section: ClassVar[Section | None] = None

    def is_applicable(self, order: Order) -> bool:
        return self.section.applies(order) if self.section else True

    def missing(self, order: Order) -> list[str]:
        """What the order still lacks for this step, as sentences; empty when complete."""
        return self.section.missing(order) if self.section else []

    def is_completed(self, order: Order) -> bool:
        return not self.missing(order)

    def get_form(self, request: HttpRequest, order: Order, data=None, files=None) -> forms.BaseForm | None:
        if self.form_class is None:
            return None
        return self.form_class(data=data, files=files, order=order, user=request.user)

    def save(self, request: HttpRequest, order: Order, form: forms.BaseForm) -> list[str]:
        """Write the valid form onto the draft; return the sentences describing anything cleared."""
        return form.save()

    def side_task_url(self, order: Order, action: str) -> str | None:
        """Where a side task started from the step goes once the step is saved (``action``: the button's
        value), coming back to the step afterwards; None: not a side task of this step."""
        return None

    def get_context(self, request: HttpRequest, order: Order) -> dict:
        """Extra template context for the step's page."""
        return {}

    def summary(self, order: Order) -> list[tuple[str, object]]:
        """(label, value) pairs shown for this step on the review page."""
        return []

    @property
    def review_template(self) -> str | None:
        """A template for the review section, when (label, value) pairs are not enough."""
        return None

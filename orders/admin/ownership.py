"""The queues' shared pieces: age and due date, the owner column with its buttons, the owner and late
filters, and the take / release / take-over views (``orders.services.ownership``).

The buttons sit inside the changelist's ``<form id="changelist-form">``: they are that form's submit
buttons with their own ``formaction`` (no nested form), and post the owner the row showed (``vu``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mybusiness.workdays import add_working_days, late_before
from orders.errors import OrderError
from orders.services.ownership import TAKEABLE, can_take, owner_name, release, take


def age_label(start, now) -> str:
    """« depuis 3 j », « depuis 5 h », « depuis 12 min »: how long a row has waited."""
    seconds = max(0, int((now - start).total_seconds()))
    if seconds >= 86400:
        return gettext("depuis %(days)d j") % {"days": seconds // 86400}
    if seconds >= 3600:
        return gettext("depuis %(hours)d h") % {"hours": seconds // 3600}
    return gettext("depuis %(minutes)d min") % {"minutes": seconds // 60}


def waiting_cell(start, working_days: int, now):
    """The age, the due date and, past it, « En retard » (a word and a class, not a colour alone)."""
    if start is None:
        return "—"
    due = add_working_days(start, working_days)
    return render_to_string("admin/orders/waiting_cell.html", {
        "age": age_label(start, now),
        "due": date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT"),
        "late": due < now,
    })


class OwnerFilter(admin.SimpleListFilter):
    title = _("attribution")
    parameter_name = "attribution"
    mine_label = _("Mes commandes")

    def lookups(self, request, model_admin):
        return [("moi", self.mine_label), ("personne", _("Non attribuées"))]

    def queryset(self, request, queryset):
        if self.value() == "moi":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "personne":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class LateFilter(admin.SimpleListFilter):
    """Rows past their due date: ``start_field`` before the cut-off of ``late_before``, on its index."""

    title = _("échéance")
    parameter_name = "retard"
    start_field = "submitted_at"
    working_days_setting = "ORDER_REVIEW_WORKING_DAYS"
    waiting_statuses: tuple[str, ...] = ()

    def lookups(self, request, model_admin):
        return [("oui", _("En retard"))]

    def queryset(self, request, queryset):
        if self.value() != "oui":
            return queryset
        cutoff = late_before(timezone.now(), getattr(settings, self.working_days_setting))
        return queryset.filter(**{f"{self.start_field}__lt": cutoff, "status__in": self.waiting_statuses})


class OwnershipAdminMixin:
    """The owner column, its buttons and views, for a queue whose rows have ``assigned_to``."""

    # The URL names' prefix (« orders_order ») and the row's start and service level.
    ownership_url_prefix = ""
    take_over_template = "admin/orders/take_over.html"

    @admin.display(description=_("pris en charge par"))
    def owner(self, row):
        """The owner's name; the list shows ``owner_column``'s instead, with its buttons (``get_list_display``)."""
        return owner_name(row.assigned_to) if row.assigned_to_id else gettext("Personne")

    def owner_column(self, request):
        """A column function bound to this request's user (``list_display`` takes callables)."""
        user = request.user
        may_take = can_take(user, self.model)
        prefix = self.ownership_url_prefix

        @admin.display(description=_("pris en charge par"))
        def owner(row):
            name = owner_name(row.assigned_to) if row.assigned_to_id else gettext("Personne")
            if not may_take or row.status not in TAKEABLE[self.model]:
                return name
            seen = row.assigned_to_id or ""
            if row.assigned_to_id is None:
                action = {"url": reverse(f"admin:{prefix}_take", args=[row.pk]), "label": gettext("Prendre en charge")}
            elif row.assigned_to_id == user.pk:
                action = {"url": reverse(f"admin:{prefix}_release", args=[row.pk]), "label": gettext("Libérer")}
            else:
                # Someone else's: a confirmation page first, reached by a link.
                action = {"url": reverse(f"admin:{prefix}_take_over", args=[row.pk]) + f"?vu={seen}",
                          "label": gettext("Reprendre"), "is_link": True}
            return render_to_string("admin/orders/owner_cell.html", {"name": name, "seen": seen, **action})

        return owner

    def ownership_urls(self):
        wrap = self.admin_site.admin_view
        prefix = self.ownership_url_prefix
        return [
            path("<int:object_id>/prendre/", wrap(self.take_view), name=f"{prefix}_take"),
            path("<int:object_id>/liberer/", wrap(self.release_view), name=f"{prefix}_release"),
            path("<int:object_id>/reprendre/", wrap(self.take_over_view), name=f"{prefix}_take_over"),
        ]

    def _row_or_404(self, request, object_id):
        row = self.get_queryset(request).select_related("assigned_to").filter(pk=object_id).first()
        if row is None or not self.has_view_permission(request, row):
            raise Http404
        return row

    def _back(self, request):
        """Back to the list the button was on (its filters kept), else the queue."""
        referer = request.headers.get("referer", "")
        if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
            return redirect(referer)
        return redirect(f"admin:{self.ownership_url_prefix}_changelist")

    @staticmethod
    def _seen(request) -> int | None:
        value = request.POST.get("vu", "") or request.GET.get("vu", "")
        return int(value) if value.isdigit() and len(value) < 12 else None

    def _label(self, row) -> str:
        order = getattr(row, "order", row)
        return order.display_number

    def take_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        row = self._row_or_404(request, object_id)
        if not can_take(request.user, self.model):
            raise PermissionDenied
        try:
            take(row=row, user=request.user, seen_owner_id=None)
        except OrderError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Vous avez pris en charge %(number)s.") % {"number": self._label(row)})
        return self._back(request)

    def release_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        row = self._row_or_404(request, object_id)
        try:
            release(row=row, user=request.user)
        except OrderError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("%(number)s est libérée.") % {"number": self._label(row)})
        return self._back(request)

    def take_over_view(self, request, object_id):
        row = self._row_or_404(request, object_id)
        if not can_take(request.user, self.model):
            raise PermissionDenied
        changelist_url = reverse(f"admin:{self.ownership_url_prefix}_changelist")
        seen = self._seen(request)
        if request.method == "POST":
            try:
                take(row=row, user=request.user, seen_owner_id=seen)
            except OrderError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, gettext("Vous avez repris %(number)s.") % {"number": self._label(row)})
            return redirect(changelist_url)
        if row.assigned_to_id is None or row.assigned_to_id == request.user.pk:
            # Nobody's, or already yours: nothing to take over.
            return redirect(changelist_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Reprendre %(number)s ?") % {"number": self._label(row)},
            "row": row,
            "number": self._label(row),
            "owner": owner_name(row.assigned_to),
            "seen": row.assigned_to_id,
            "changelist_url": changelist_url,
        }
        return TemplateResponse(request, self.take_over_template, context)

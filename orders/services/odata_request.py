"""« Demander l'activation OData » from a site's page: a draft with everything the site tells."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog import selectors as catalog
from catalog.models import ODataQuota, OrderType, ProductReference, ReferenceKind, SiteMode
from orders.errors import OrderError
from orders.models import Order, OrderLine, OrderStatus
from orders.selectors import SITE_MEMORY_FIELDS, site_last_answers
from orders.services.lifecycle import record_event
from sites.models import Hosting, Site

# The site's last contact is taken over; its recipients are not (the request goes to the person asking).
CONTACT_FIELDS = [name for name in SITE_MEMORY_FIELDS if name.startswith("contact_")]


def _odata_type_and_origin():
    """The catalog's OData-eligible order type and its existing-site origin (data, not labels)."""
    for order_type in OrderType.objects.filter(is_active=True, is_odata_eligible=True).prefetch_related("origins"):
        origin = next(
            (o for o in order_type.origins.all() if o.is_active and o.site_mode == SiteMode.EXISTING), None
        )
        if origin is not None:
            return order_type, origin
    raise OrderError(_("Aucun type de commande du catalogue ne permet encore une activation OData."))


def _odata_lines_to_offer(*, site) -> list[ProductReference]:
    """The standard-quota connector of each target of the site's solution not active yet."""
    from orders.selectors import site_active_odata

    if site.solution_id is None:
        return []
    active = site_active_odata(site=site)
    wanted = [t for t in (site.solution.odata_targets or []) if t not in active]
    references = catalog.references_for(solution=site.solution).filter(
        kind=ReferenceKind.ODATA, odata_quota=ODataQuota.STANDARD, odata_target__in=wanted
    )
    return list(references)


def open_odata_request(*, user, site) -> Order | None:
    """The user's draft OData request for ``site`` not yet submitted, if any: asking again resumes it."""
    order_type, _origin = _odata_type_and_origin()
    return (
        Order.objects.filter(
            partner_id=user.partner_id,
            created_by=user,
            site=site,
            status=OrderStatus.DRAFT,
            number__isnull=True,
            order_type=order_type,
            lines__reference__kind=ReferenceKind.ODATA,
        )
        .order_by("-created_at")
        .first()
    )


def order_odata_request_create(*, user, site) -> tuple[Order, bool]:
    """A draft « Commande additionnelle / Site existant » for ``site``, pre-filled for an OData activation,
    and whether it was an open draft resumed.

    Asking twice (a double click, a second visit) gives back the same open draft.
    """
    if not user.is_partner or site.partner_id != user.partner_id:
        raise OrderError(_("Ce site n'appartient pas à votre société."))
    if site.hosting != Hosting.SAAS:
        raise OrderError(
            _("Le service OData n'est proposé qu'aux sites hébergés dans le cloud Divalto (SaaS) : "
              "le site %(number)s est hébergé « %(hosting)s ».")
            % {"number": site.number, "hosting": site.get_hosting_display()}
        )
    order_type, origin = _odata_type_and_origin()
    with transaction.atomic():
        # The site's row, locked: two clicks at once wait for each other, and the second finds the first's draft.
        Site.objects.select_for_update().get(pk=site.pk)
        existing = open_odata_request(user=user, site=site)
        if existing is not None:
            return existing, True
        generation = solution = None
        if site.generation_id and catalog.generations_for(order_type=order_type, origin=origin).filter(
            pk=site.generation_id
        ).exists():
            generation = site.generation
            solution = site.solution if site.solution_id and site.solution.generation_id == generation.pk else None
        # The end customer's main contact of the site's latest order: the same people, most of the time.
        last = site_last_answers(site=site, partner_id=user.partner_id)
        previous = {name: last[name] for name in CONTACT_FIELDS if name in last}
        order = Order.objects.create(
            **previous,
            partner_id=user.partner_id,
            created_by=user,
            order_type=order_type,
            origin=origin,
            site=site,
            customer_name=site.company_name,
            generation=generation,
            solution=solution,
            # As soon as possible, and to the person asking; both are changed at the delivery step.
            delivery_date=timezone.localdate(),
            certificate_recipients=[user.email],
            updated_at=timezone.now(),
        )
        if solution is not None:
            for reference in _odata_lines_to_offer(site=site):
                OrderLine.objects.create(order=order, reference=reference, quantity=1)
        record_event(
            order=order,
            actor=user,
            to_status=OrderStatus.DRAFT,
            message=gettext_noop("Brouillon de demande d'activation OData créé depuis le site %(number)s."),
            message_params={"number": site.number},
        )
    return order, False

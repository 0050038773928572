"""What an order still lacks before it can be submitted, section by section.

These are the order's rules, not the wizard's: submission (``orders.services.submission``) checks
them, and each wizard step shows its section's (``orders.wizard.steps``). A section answers whether
it applies to the order and, if so, what is missing, in words a partner understands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import OpportunityRule, SiteMode
from opportunities.models import OpportunityStage
from orders.fit import site_product_mismatch
from orders.models import Order
from orders.odata import PRODUCT, PRODUCT_AND_SITE, odata_conflicts, saved_lines
from orders.services.documents import order_has_purchase_order
from sites import validators

MAX_RECIPIENTS = 5
REQUIRED_NEW_SITE_FIELDS = [
    "new_site_company_name",
    "new_site_siret",
    "new_site_address",
    "new_site_postal_code",
    "new_site_city",
    "new_site_country",
    "new_site_hosting",
]


def site_mode(order: Order) -> str | None:
    return order.origin.site_mode if order.origin_id else None


def missing_type_origin(order: Order) -> list[str]:
    lacks = []
    if not order.order_type_id:
        lacks.append(_("le type de commande"))
    if not order.origin_id:
        lacks.append(_("l'origine"))
    elif order.origin.opportunity_rule == OpportunityRule.REQUIRED and not order.opportunity_id:
        lacks.append(_("l'opportunité"))
    if order.opportunity_id and order.opportunity.stage == OpportunityStage.LOST:
        lacks.append(_("une opportunité qui ne soit pas perdue (celle liée l'est devenue)"))
    return [str(lack) for lack in lacks]


def missing_product(order: Order) -> list[str]:
    lacks = []
    if not order.generation_id:
        lacks.append(_("la génération"))
    if not order.solution_id:
        lacks.append(_("la solution"))
    lines = saved_lines(order)
    if not lines:
        lacks.append(_("au moins une référence avec sa quantité"))
    # OData activation orders: the rules of design §7 within the product step (orders/odata.py); those
    # between the product and another step are conflicts (``order_conflicts``).
    lacks.extend(text for text, steps in odata_conflicts(order, lines) if steps == PRODUCT)
    return [str(lack) for lack in lacks]


def site_applies(order: Order) -> bool:
    return order.origin_id is not None


def missing_site(order: Order) -> list[str]:
    if site_mode(order) == SiteMode.EXISTING:
        if not order.site_id:
            return [str(_("le site existant"))]
        if order.site.partner_id != order.partner_id or order.site.status != "active":
            return [str(_("un site actif de votre société"))]
        return []
    lacks = [
        str(Order._meta.get_field(name).verbose_name) for name in REQUIRED_NEW_SITE_FIELDS if not getattr(order, name)
    ]
    if order.new_site_siret:
        try:
            validators.validate_siret(order.new_site_siret)
        except ValidationError:
            lacks.append(str(_("un SIRET valide")))
    return lacks


def missing_contact(order: Order) -> list[str]:
    lacks = []
    if not order.contact_civility:
        lacks.append(_("la civilité de l'interlocuteur"))
    if not order.contact_first_name:
        lacks.append(_("le prénom de l'interlocuteur"))
    if not order.contact_last_name:
        lacks.append(_("le nom de l'interlocuteur"))
    if not order.contact_email:
        lacks.append(_("l'e-mail de l'interlocuteur"))
    if not order.contact_phone:
        lacks.append(_("le téléphone de l'interlocuteur"))
    return [str(lack) for lack in lacks]


def missing_delivery(order: Order) -> list[str]:
    lacks = []
    if not order.delivery_date:
        lacks.append(_("la date de livraison souhaitée"))
    elif order.delivery_date < timezone.localdate():
        # Checked again at submission: a draft may wait until its date has passed.
        lacks.append(_("une date de livraison à partir d'aujourd'hui (celle choisie est passée)"))
    recipients = order.certificate_recipients or []
    if not recipients:
        lacks.append(_("au moins un destinataire du certificat"))
    elif len(recipients) > MAX_RECIPIENTS:
        lacks.append(_("5 destinataires du certificat au plus"))
    return [str(lack) for lack in lacks]


def missing_documents(order: Order) -> list[str]:
    if not order_has_purchase_order(order):
        return [str(_("le bon de commande signé"))]
    return []


def always(order: Order) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    identifier: str  # the wizard step showing it has the same identifier
    title: str  # lazy
    applies: Callable[[Order], bool]
    missing: Callable[[Order], list[str]]


SECTIONS: tuple[Section, ...] = (
    Section("type", _("Type et origine"), always, missing_type_origin),
    Section("produit", _("Produit et références"), always, missing_product),
    Section("site", _("Site"), site_applies, missing_site),
    Section("contact", _("Interlocuteur et données complémentaires"), always, missing_contact),
    Section("livraison", _("Livraison du certificat"), always, missing_delivery),
    Section("documents", _("Documents et informations"), always, missing_documents),
)
SECTION_BY_IDENTIFIER = {section.identifier: section for section in SECTIONS}


@dataclass(frozen=True)
class Conflict:
    """Two answers that disagree (an OData connector and an on-premise site): neither step alone is wrong,
    so the conflict is shown on each step it names, with links to the others, and locks none of them."""

    text: str
    identifiers: tuple[str, ...]  # the sections whose answers disagree, in the order of SECTIONS

    def __str__(self) -> str:
        return self.text


def order_conflicts(order: Order) -> list[Conflict]:
    """Every conflict between the answers of two sections of the order, as saved."""
    lines = saved_lines(order)
    conflicts = [Conflict(str(text), steps) for text, steps in odata_conflicts(order, lines) if steps != PRODUCT]
    mismatch = site_product_mismatch(order, order.site, lines) if order.site_id else None
    if mismatch:
        conflicts.append(Conflict(str(mismatch), PRODUCT_AND_SITE))
    return conflicts


def order_missing(order: Order) -> list[tuple[Section, list[str]]]:
    """Each section that applies to the order and is incomplete, with what it lacks, in order; a conflict
    counts against the last section it names (where the order's answers stop agreeing)."""
    conflicts = order_conflicts(order)
    gaps = []
    for section in SECTIONS:
        if not section.applies(order):
            continue
        lacks = section.missing(order)
        lacks += [c.text for c in conflicts if c.identifiers[-1] == section.identifier]
        if lacks:
            gaps.append((section, lacks))
    return gaps

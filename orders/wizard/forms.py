"""Forms of the wizard's steps 1, 2 (the other steps keep theirs beside their step class)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalog import selectors as catalog
from catalog.models import Generation, OpportunityRule, OrderType, Origin, ReferenceKind, Solution
from opportunities.models import normalize_opportunity_number
from opportunities.selectors import opportunity_find_for_partner
from orders.models import Order
from orders.odata import odata_order_refusal
from orders.services import drafts
from orders.services.opportunity import (
    opportunity_refusal,
    opportunity_warnings,
    order_link_opportunity,
    order_unlink_opportunity,
)


class StepForm(forms.Form):
    """A step's form: knows its order and user; ``save()`` returns what it cleared."""

    #: Conflicts the submitted answers would create with another step (``completeness.Conflict``), shown
    #: with links to that step in the error summary (``orders.wizard.summary``).
    conflicts: list = []
    #: The element a general error's summary item links to, by the error's code.
    error_anchors: dict[str, str] = {}

    def __init__(self, *args, order: Order, user, **kwargs):
        self.order = order
        self.user = user
        super().__init__(*args, **kwargs)

    def save(self) -> list[str]:
        raise NotImplementedError


def _pick(form: forms.Form, name: str, model, current_id):
    """The object chosen in the submitted data (or the order's current one), for dependent choices."""
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else None
    pk = raw if raw not in (None, "") else current_id
    if pk in (None, ""):
        return None
    try:
        return model.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


class TypeOriginForm(StepForm):
    order_type = forms.ModelChoiceField(
        label=_("Type de commande"),
        queryset=OrderType.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez le type de commande."),
            "invalid_choice": _("Ce type de commande n'existe pas ou n'est plus proposé."),
        },
    )
    origin = forms.ModelChoiceField(
        label=_("Origine"),
        queryset=Origin.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez l'origine de la commande."),
            "invalid_choice": _("Cette origine n'est pas permise pour le type de commande choisi."),
        },
    )

    # The opportunity (design §4: required for the origin « Opportunité », optional for others).
    opportunity = forms.CharField(
        label=_("Opportunité"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Choisissez l'opportunité de la commande : saisissez son numéro ou utilisez « Parcourir »."),
            "max_length": _("Ce numéro d'opportunité est trop long : vérifiez-le ou utilisez « Parcourir »."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_type"].queryset = catalog.order_types()
        chosen_type = _pick(self, "order_type", OrderType, self.order.order_type_id)
        self.fields["origin"].queryset = catalog.origins_for(order_type=chosen_type)
        if not self.is_bound:
            self.initial = {
                "order_type": self.order.order_type_id,
                "origin": self.order.origin_id,
                "opportunity": self.order.opportunity.number if self.order.opportunity_id else "",
            }
        self.chosen_type = chosen_type
        chosen_origin = _pick(self, "origin", Origin, self.order.origin_id)
        if chosen_origin is not None and chosen_type is not None and chosen_origin.order_types.filter(
            pk=chosen_type.pk
        ).exists():
            self.opportunity_rule = chosen_origin.opportunity_rule
        else:
            self.opportunity_rule = OpportunityRule.NONE
        self.fields["opportunity"].required = self.opportunity_rule == OpportunityRule.REQUIRED
        self.link = None  # the OpportunityLink once saved

    def _typed_opportunity_number(self) -> str:
        if self.is_bound:
            return normalize_opportunity_number(self.data.get(self.add_prefix("opportunity"), ""))
        return self.order.opportunity.number if self.order.opportunity_id else ""

    def opportunity_preview(self) -> dict | None:
        """The opportunity typed or chosen so far, with its refusal or warnings (shown under the field)."""
        if self.opportunity_rule == OpportunityRule.NONE:
            return None
        number = self._typed_opportunity_number()
        if not number:
            return None
        opportunity = opportunity_find_for_partner(partner_id=self.order.partner_id, number=number)
        refusal = opportunity_refusal(order=self.order, opportunity=opportunity, number=number)
        if refusal:
            return {"refusal": refusal}
        return {"opportunity": opportunity, "warnings": opportunity_warnings(opportunity=opportunity, order=self.order)}

    def clean_opportunity(self) -> str:
        return normalize_opportunity_number(self.cleaned_data.get("opportunity", ""))

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("opportunity") or ""
        cleaned["opportunity"] = None
        if self.opportunity_rule == OpportunityRule.NONE or "origin" in self.errors:
            return cleaned
        if not number:
            if self.opportunity_rule == OpportunityRule.REQUIRED and "opportunity" not in self.errors:
                self.add_error("opportunity", self.fields["opportunity"].error_messages["required"])
            return cleaned
        opportunity = opportunity_find_for_partner(partner_id=self.order.partner_id, number=number)
        refusal = opportunity_refusal(order=self.order, opportunity=opportunity, number=number)
        if refusal:
            self.add_error("opportunity", refusal)
        else:
            cleaned["opportunity"] = opportunity
        return cleaned

    def save(self) -> list[str]:
        opportunity = self.cleaned_data["opportunity"]
        origin = self.cleaned_data["origin"]
        # One transaction: a refused link leaves the type and origin as they were.
        with transaction.atomic():
            cleared = drafts.order_set_type_origin(
                order=self.order,
                user=self.user,
                order_type=self.cleaned_data["order_type"],
                origin=origin,
            )
            if opportunity is not None:
                self.link = order_link_opportunity(order=self.order, user=self.user, opportunity=opportunity)
                cleared += self.link.cleared
            elif origin.opportunity_rule != OpportunityRule.NONE:
                cleared += order_unlink_opportunity(order=self.order, user=self.user)
        return cleared


class ProductForm(StepForm):
    """Generation, solution, and one quantity field per reference of the chosen solution."""

    generation = forms.ModelChoiceField(
        label=_("Génération"),
        queryset=Generation.objects.none(),
        empty_label=_("— Choisir une génération —"),
        error_messages={
            "required": _("Choisissez la génération du produit."),
            "invalid_choice": _("Cette génération n'est pas permise pour ce type de commande et cette origine."),
        },
    )
    solution = forms.ModelChoiceField(
        label=_("Solution"),
        queryset=Solution.objects.none(),
        empty_label=_("— Choisir une solution —"),
        error_messages={
            "required": _("Choisissez la solution."),
            "invalid_choice": _("Cette solution n'appartient pas à la génération choisie."),
        },
    )
    MAX_QUANTITY = 9999

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.order
        self.locked_by_opportunity = bool(order.opportunity_id and order.opportunity.solution_id)
        self.fields["generation"].queryset = catalog.generations_for(order_type=order.order_type, origin=order.origin)
        if self.locked_by_opportunity:
            generation = order.opportunity.generation
            solution = order.opportunity.solution
            self.fields["generation"].disabled = True
            self.fields["solution"].disabled = True
            self.initial.update({"generation": generation and generation.pk, "solution": solution.pk})
        else:
            generation = _pick(self, "generation", Generation, order.generation_id)
            solution = _pick(self, "solution", Solution, order.solution_id)
            if not self.is_bound:
                self.initial.update({"generation": order.generation_id, "solution": order.solution_id})
        self.fields["solution"].queryset = catalog.solutions_for(generation=generation)
        if solution is not None and solution.generation_id != getattr(generation, "pk", None):
            solution = None
        self.references = list(catalog.references_for(solution=solution))
        current = {line.reference_id: line.quantity for line in order.lines.all()}
        # OData connectors are offered only to an order that can take them (journeys.md, rule 3); one
        # already on the order stays shown, so that it can be removed. The step says why there are none.
        self.odata_refusal = None
        if any(reference.kind == ReferenceKind.ODATA for reference in self.references):
            self.odata_refusal = odata_order_refusal(order)
            if self.odata_refusal:
                self.references = [
                    reference for reference in self.references
                    if reference.kind != ReferenceKind.ODATA or current.get(reference.pk)
                ]
        for reference in self.references:
            self.fields[self.quantity_field(reference.pk)] = forms.IntegerField(
                label=reference.display_label,
                required=False,
                min_value=0,
                max_value=self.MAX_QUANTITY,
                initial=current.get(reference.pk),
                widget=forms.NumberInput(attrs={"min": 0, "max": self.MAX_QUANTITY, "inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Saisissez un nombre entier."),
                    "min_value": _("La quantité ne peut pas être négative."),
                    "max_value": _("La quantité est limitée à %(limit_value)s."),
                },
            )
        self.chosen_solution = solution

    @staticmethod
    def quantity_field(reference_id: int) -> str:
        return f"qty_{reference_id}"

    def quantity_fields(self):
        return [(reference, self[self.quantity_field(reference.pk)]) for reference in self.references]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        quantities = {ref.pk: cleaned.get(self.quantity_field(ref.pk)) or 0 for ref in self.references}
        if cleaned.get("solution") and not any(quantities.values()):
            raise forms.ValidationError(_("Indiquez une quantité d'au moins 1 pour une référence au moins."))
        cleaned["quantities"] = quantities
        return cleaned

    def save(self) -> list[str]:
        return drafts.order_set_product(
            order=self.order,
            user=self.user,
            generation=self.cleaned_data["generation"],
            solution=self.cleaned_data["solution"],
            quantities=self.cleaned_data["quantities"],
        )

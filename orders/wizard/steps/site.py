"""Step 3, « Site »: an existing site of the partner, or the data of a new one (by the order's origin)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.forms.models import fields_for_model
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from catalog.models import SiteMode
from orders.completeness import REQUIRED_NEW_SITE_FIELDS, SECTION_BY_IDENTIFIER, Conflict, site_mode
from orders.fit import site_fit_reasons, site_product_reasons
from orders.models import Order
from orders.odata import PRODUCT_AND_SITE
from orders.selectors import site_last_answers
from orders.services import drafts
from orders.wizard.base import WizardStep
from orders.wizard.forms import StepForm
from sites import fields as site_fields
from sites import selectors as site_selectors
from sites.forms import clean_company_data
from sites.models import CHANGEABLE_FIELDS, Hosting
from sites.validators import format_phone

NEW_SITE_FORM_FIELDS = [
    "new_site_company_name",
    "new_site_siret",
    "new_site_vat_number",
    "new_site_naf_code",
    "new_site_address",
    "new_site_postal_code",
    "new_site_city",
    "new_site_country",
    "new_site_phone",
    "new_site_email",
    "new_site_hosting",
]


def existing_site_origin(order: Order):
    """The origin of the order's type that takes an existing site, if the type allows one."""
    if not order.order_type_id:
        return None
    return order.order_type.origins.filter(site_mode=SiteMode.EXISTING, is_active=True).order_by("position").first()


def site_duplicates(order: Order, *, siret: str = "", company_name: str = "", postal_code: str = "") -> list:
    return site_selectors.site_find_duplicates(
        partner_id=order.partner_id, siret=siret, company_name=company_name, postal_code=postal_code
    )


class ExistingSiteForm(StepForm):
    site_number = forms.CharField(
        label=_("Numéro de site"),
        max_length=20,
        help_text=_("Tapez le numéro (par exemple C012345) ou choisissez le site avec « Parcourir »."),
        error_messages={"required": _("Indiquez le numéro du site, ou choisissez-le avec « Parcourir ».")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "text-uppercase"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.order.site_id:
            self.initial["site_number"] = self.order.site.number

    def clean_site_number(self):
        number = self.cleaned_data["site_number"].strip().upper()
        site = site_selectors.site_get_for_partner(partner_id=self.order.partner_id, number=number)
        if site is None:
            raise forms.ValidationError(
                _("Aucun site actif de votre société ne porte le numéro %(number)s.") % {"number": number}
            )
        # The exact reasons, each naming both answers (a closed site, another product, OData rules); those
        # that come from the product step are conflicts, with a link to that step in the error summary.
        reasons = site_fit_reasons(self.order, site)
        if reasons:
            from_product = site_product_reasons(self.order, site)  # read again only when refused
            self.conflicts = [Conflict(str(reason), PRODUCT_AND_SITE) for reason in from_product]
            raise forms.ValidationError(reasons, code="site_unfit")
        self.site = site
        return number

    def save(self) -> list[str]:
        values = dict.fromkeys(drafts.NEW_SITE_FIELDS, "")
        values.update(site=self.site, customer_name=self.site.company_name)
        # The site's latest contact and recipients fill what this order has not answered yet.
        last = site_last_answers(site=self.site, partner_id=self.order.partner_id, excluding_order_id=self.order.pk)
        self.remembered = {name: value for name, value in last.items() if value and not getattr(self.order, name)}
        values.update(self.remembered)
        drafts.order_update_fields(order=self.order, user=self.user, values=values)
        return []


class NewSiteForm(StepForm):
    keep_new_site = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'un nouveau site, distinct des sites existants ci-dessus."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The site data's fields check and normalise as everywhere else (« 732 829 320 00074 », « fr »).
        model_fields = fields_for_model(Order, fields=NEW_SITE_FORM_FIELDS, formfield_callback=site_fields.formfield)
        model_fields["new_site_hosting"] = forms.ChoiceField(
            label=_("Hébergement"), choices=Hosting.choices, widget=forms.RadioSelect
        )
        for name in REQUIRED_NEW_SITE_FIELDS:
            model_fields[name].required = True
        self.fields = {**model_fields, "keep_new_site": self.fields["keep_new_site"]}
        self.duplicates: list = []
        if not self.is_bound:
            order = self.order
            self.initial = {name: getattr(order, name) for name in NEW_SITE_FORM_FIELDS}
            self.initial["new_site_country"] = order.new_site_country or "FR"
            prospect = order.opportunity if order.opportunity_id else None
            if prospect is not None and not order.new_site_company_name:
                # A new customer from an opportunity: its prospect's data pre-fill the new site.
                for name in CHANGEABLE_FIELDS:
                    self.initial[f"new_site_{name}"] = getattr(prospect, name, "") or self.initial.get(
                        f"new_site_{name}"
                    )

    def clean(self):
        cleaned = super().clean()
        clean_company_data(self, prefix="new_site_")
        if self.errors:
            return cleaned
        self.duplicates = site_duplicates(
            self.order,
            siret=cleaned.get("new_site_siret", ""),
            company_name=cleaned.get("new_site_company_name", ""),
            postal_code=cleaned.get("new_site_postal_code", ""),
        )
        if self.duplicates and not cleaned.get("keep_new_site"):
            raise forms.ValidationError(
                _("Votre société a déjà un site avec ce SIRET, ou avec ce nom et ce code postal : utilisez-le, "
                  "ou confirmez qu'il s'agit bien d'un nouveau site."),
                code="duplicate_site",
            )
        return cleaned

    def save(self) -> list[str]:
        values = {name: self.cleaned_data[name] for name in NEW_SITE_FORM_FIELDS}
        values.update(site=None, customer_name=self.cleaned_data["new_site_company_name"])
        drafts.order_update_fields(order=self.order, user=self.user, values=values)
        return []


class UseExistingSiteForm(StepForm):
    """« Utiliser ce site »: a new-site order switches to the partner's existing site (if its type allows)."""

    use_existing_site = forms.CharField(max_length=20)

    def clean_use_existing_site(self):
        number = self.cleaned_data["use_existing_site"].strip().upper()
        self.site = site_selectors.site_get_for_partner(partner_id=self.order.partner_id, number=number)
        if self.site is None:
            raise forms.ValidationError(_("Ce site n'existe pas ou n'est plus actif."))
        reasons = site_fit_reasons(self.order, self.site)
        if reasons:
            raise forms.ValidationError(reasons, code="site_unfit")
        self.origin = existing_site_origin(self.order)
        if self.origin is None:
            raise forms.ValidationError(
                _("Le type de commande « %(type)s » ne permet pas de commander pour un site existant.")
                % {"type": self.order.order_type}
            )
        return number

    def save(self) -> list[str]:
        cleared = drafts.order_set_type_origin(
            order=self.order, user=self.user, order_type=self.order.order_type, origin=self.origin
        )
        values = dict.fromkeys(drafts.NEW_SITE_FIELDS, "")
        values.update(site=self.site, customer_name=self.site.company_name)
        drafts.order_update_fields(order=self.order, user=self.user, values=values)
        return [c for c in cleared if c != _("les informations du site")]


class SiteStep(WizardStep):
    identifier = "site"
    section = SECTION_BY_IDENTIFIER["site"]
    title = section.title
    template_name = "orders/wizard/step_site.html"

    def get_form(self, request, order, data=None, files=None):
        if site_mode(order) == SiteMode.EXISTING:
            return ExistingSiteForm(data=data, order=order, user=request.user)
        if data is not None and data.get("use_existing_site"):
            return UseExistingSiteForm(data=data, order=order, user=request.user)
        return NewSiteForm(data=data, order=order, user=request.user)

    def save(self, request, order, form):
        cleared = form.save()
        remembered = getattr(form, "remembered", {})
        if remembered:
            parts = [str(_("l'interlocuteur principal"))] if "contact_last_name" in remembered else []
            if "certificate_recipients" in remembered:
                parts.append(str(_("les destinataires du certificat")))
            messages.info(
                request,
                _("Repris de la dernière commande du site %(site)s : %(what)s. Vérifiez-les aux étapes suivantes.")
                % {"site": form.site.number, "what": ", ".join(parts)},
            )
        if isinstance(form, UseExistingSiteForm):
            messages.success(
                request,
                _("La commande porte désormais sur le site existant %(site)s.") % {"site": form.site},
            )
        return cleared

    def side_task_url(self, order, action):
        if action == "change_request" and order.site_id:
            back = reverse("order_wizard", args=[order.public_id, self.identifier])
            return f"{reverse('site_change_request', args=[order.site.number])}?{urlencode({'next': back})}"
        return None

    def get_context(self, request, order):
        mode = site_mode(order)
        context = {"site_mode": mode, "can_use_existing_site": False, "duplicates": []}
        if mode == SiteMode.EXISTING:
            context["selected_site"] = order.site if order.site_id else None
        else:
            context["can_use_existing_site"] = existing_site_origin(order) is not None
            if order.new_site_company_name or order.new_site_siret:
                context["duplicates"] = site_duplicates(
                    order,
                    siret=order.new_site_siret,
                    company_name=order.new_site_company_name,
                    postal_code=order.new_site_postal_code,
                )
        return context

    def summary(self, order: Order) -> list[tuple[str, object]]:
        if site_mode(order) == SiteMode.EXISTING:
            return [(_("Site existant"), order.site)]
        pairs = [(Order._meta.get_field(name).verbose_name, getattr(order, name)) for name in NEW_SITE_FORM_FIELDS]
        pairs[-1] = (pairs[-1][0], order.get_new_site_hosting_display())
        phone = NEW_SITE_FORM_FIELDS.index("new_site_phone")
        pairs[phone] = (pairs[phone][0], format_phone(order.new_site_phone))
        return [(capfirst(label), value) for label, value in pairs]

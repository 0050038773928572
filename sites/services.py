"""Writes of sites: change requests and their review, the CSV import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mybusiness.emails import email_record
from mybusiness.models import Partner
from sites.forms import SiteImportForm
from sites.imports import ImportReport, csv_rows, error_text
from sites.models import (
    CHANGEABLE_FIELDS,
    ChangeRequestStatus,
    FieldDecision,
    Site,
    SiteChangeRequest,
    SiteChangeRequestField,
    SiteEvent,
    SiteEventKind,
)
from webhooks.models import WebhookEvent
from webhooks.services import webhook_event_record


class SiteChangeRequestError(ValidationError):
    """A change request that cannot be made or reviewed in its current state."""


REVIEW_PERMISSION = "customer_sites.review_sitechangerequest"


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def site_change_request_create(*, site: Site, user, data: dict[str, Any]) -> SiteChangeRequest:
    """Record a request holding only the fields of ``data`` that differ from the site.

    Refused (``SiteChangeRequestError``) when nothing changed or when the site already has a
    pending request: a second one would race the first's review, so the partner waits for it.
    """
    site = Site.objects.select_for_update().get(pk=site.pk)
    changes = {
        name: (_as_text(getattr(site, name)), _as_text(data[name]))
        for name in CHANGEABLE_FIELDS
        if name in data and _as_text(data[name]) != _as_text(getattr(site, name))
    }
    if not changes:
        raise SiteChangeRequestError(_("Aucune information n'a été modifiée : il n'y a rien à soumettre."))
    if site.change_requests.filter(status=ChangeRequestStatus.PENDING).exists():
        raise SiteChangeRequestError(
            _("Une demande de changement est déjà en attente de validation pour ce site : "
              "attendez sa réponse avant d'en soumettre une autre.")
        )
    try:
        with transaction.atomic():
            change_request = SiteChangeRequest.objects.create(site=site, requested_by=user)
    except IntegrityError:
        raise SiteChangeRequestError(
            _("Une demande de changement est déjà en attente de validation pour ce site.")
        ) from None
    SiteChangeRequestField.objects.bulk_create(
        SiteChangeRequestField(change_request=change_request, field_name=name, old_value=old, new_value=new)
        for name, (old, new) in changes.items()
    )
    SiteEvent.objects.create(
        site=site,
        kind=SiteEventKind.CHANGE_REQUESTED,
        actor=user,
        change_request=change_request,
        data={name: {"old": old, "new": new} for name, (old, new) in changes.items()},
    )
    # In the outbox, in this transaction: the request and its email commit together (mybusiness.emails).
    _notify_sales_admin(change_request_id=change_request.pk)
    return change_request


@transaction.atomic
def site_change_request_review(
    *, change_request: SiteChangeRequest, reviewer, decisions: dict[str, tuple[str, str]]
) -> SiteChangeRequest:
    """Approve or reject each field (``decisions``: field name → (decision, reason)).

    Approved values are written to the site in the same transaction, with a ``SiteEvent`` and
    the email to the partner who asked (in the outbox, sent after the commit). Every field needs a decision, every
    rejection a reason.
    """
    # The service's own check, whatever calls it (the admin checks the same before showing the form).
    if reviewer is None or not reviewer.is_active or not reviewer.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied(_("Seule l'administration des ventes examine les demandes de changement."))
    change_request = SiteChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.status != ChangeRequestStatus.PENDING:
        raise SiteChangeRequestError(_("Cette demande a déjà été examinée."))
    site = Site.objects.select_for_update().get(pk=change_request.site_id)
    rows = list(change_request.fields.all())
    errors: dict[str, list[str]] = {}
    for row in rows:
        decision, reason = decisions.get(row.field_name, (FieldDecision.PENDING, ""))
        if decision not in (FieldDecision.APPROVED, FieldDecision.REJECTED):
            errors.setdefault(row.field_name, []).append(_("Acceptez ou refusez cette modification."))
        elif decision == FieldDecision.REJECTED and not (reason or "").strip():
            errors.setdefault(row.field_name, []).append(_("Indiquez le motif du refus."))
    if errors:
        raise SiteChangeRequestError(errors)

    approved: dict[str, dict[str, str]] = {}
    rejected: dict[str, dict[str, str]] = {}
    for row in rows:
        row.decision, reason = decisions[row.field_name]
        row.reason = (reason or "").strip() if row.decision == FieldDecision.REJECTED else ""
        row.save(update_fields=["decision", "reason"])
        if row.decision == FieldDecision.APPROVED:
            setattr(site, row.field_name, row.new_value)
            approved[row.field_name] = {"old": row.old_value, "new": row.new_value}
        else:
            rejected[row.field_name] = {"new": row.new_value, "reason": row.reason}
    if approved:
        site.save(update_fields=list(approved))
    if approved and rejected:
        change_request.status = ChangeRequestStatus.PARTIALLY_APPROVED
    elif approved:
        change_request.status = ChangeRequestStatus.APPROVED
    else:
        change_request.status = ChangeRequestStatus.REJECTED
    change_request.reviewed_by = reviewer
    change_request.reviewed_at = timezone.now()
    change_request.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    SiteEvent.objects.create(
        site=site,
        kind=SiteEventKind.CHANGE_REVIEWED,
        actor=reviewer,
        change_request=change_request,
        data={"approved": approved, "rejected": rejected},
    )
    _notify_requester(change_request_id=change_request.pk)
    webhook_event_record(partner_id=site.partner_id, event_type=WebhookEvent.CHANGE_REQUEST_DECIDED, data={
        "change_request": str(change_request.public_id), "site": site.number, "status": change_request.status,
        "approved": approved, "rejected": rejected,
    })
    return change_request


def _notify_requester(*, change_request_id: int) -> None:
    change_request = SiteChangeRequest.objects.select_related("site", "requested_by").get(pk=change_request_id)
    user = change_request.requested_by
    if not user.is_active:
        return
    email_record(
        template="sites/emails/change_request_reviewed",
        to=[user.email],
        language=user.language,
        context={
            "change_request": change_request,
            "site": change_request.site,
            "fields": list(change_request.fields.all()),
            "url": settings.SITE_URL + reverse("site_detail", args=[change_request.site.number]),
            "user": user,
        },
    )


def _notify_sales_admin(*, change_request_id: int) -> None:
    change_request = SiteChangeRequest.objects.select_related("site__partner", "requested_by").get(
        pk=change_request_id
    )
    email_record(
        template="sites/emails/change_request_submitted",
        to=[settings.SALES_ADMIN_EMAIL],
        language=settings.LANGUAGE_CODE,
        context={
            "change_request": change_request,
            "site": change_request.site,
            "fields": list(change_request.fields.all()),
            "url": settings.SITE_URL
            + reverse("admin:customer_sites_sitechangerequest_change", args=[change_request.pk]),
        },
    )


# --- CSV import -------------------------------------------------------------------------------

IMPORT_COLUMNS = ["number", "partner", *CHANGEABLE_FIELDS, "hosting", "generation", "solution", "status"]
_IMPORTED_FIELDS = [*CHANGEABLE_FIELDS, "partner", "hosting", "generation", "solution", "status"]


def site_import_csv(*, text: str, actor=None) -> ImportReport:
    """Create or update sites from CSV ``text`` (upsert by site number), each valid row on its own.

    Running the same file twice changes nothing the second time. Rows that fail a check are
    refused with the reason and leave the database untouched.
    """
    report = ImportReport()
    _columns, rows = csv_rows(text, required={"number", "partner", "company_name", "hosting"})
    generation_model = Site._meta.get_field("generation").related_model
    solution_model = Site._meta.get_field("solution").related_model
    partners = {p.code: p for p in Partner.objects.all()}
    generations = {g.code: g for g in generation_model.objects.all()}
    solutions = {s.code: s for s in solution_model.objects.all()}
    seen: set[str] = set()
    for line, row in rows:
        number = row.get("number", "").upper()
        if number in seen:
            report.refused.append((line, number, _("Numéro de site en double dans le fichier.")))
            continue
        seen.add(number)
        instance = Site.objects.filter(number=number).first() if number else None
        data = {name: row.get(name, "") for name in IMPORT_COLUMNS}
        if not data["country"]:
            data["country"] = instance.country if instance else "FR"
        form = SiteImportForm(
            data=data, instance=instance, partners=partners, generations=generations, solutions=solutions
        )
        if not form.is_valid():
            report.refused.append((line, number, error_text(form)))
            continue
        cleaned = form.cleaned_data
        if instance is None:
            site = Site(number=cleaned["number"])
            for name in _IMPORTED_FIELDS:
                setattr(site, name, cleaned[name])
            with transaction.atomic():
                site.save()
                SiteEvent.objects.create(site=site, kind=SiteEventKind.CREATED, actor=actor, data={"source": "import"})
            report.created.append((line, number))
            continue
        # The form wrote the cleaned values onto ``instance``: compare with the stored row.
        stored = Site.objects.get(pk=instance.pk)
        changed = {
            name: {"old": _as_text(getattr(stored, name)), "new": _as_text(cleaned[name])}
            for name in _IMPORTED_FIELDS
            if getattr(stored, name) != cleaned[name]
        }
        if not changed:
            report.unchanged.append((line, number))
            continue
        with transaction.atomic():
            for name in changed:
                setattr(stored, name, cleaned[name])
            stored.save(update_fields=list(changed))
            SiteEvent.objects.create(site=stored, kind=SiteEventKind.IMPORTED, actor=actor, data=changed)
        report.updated.append((line, number))
    return report


def get_import_actor(email: str | None):
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()

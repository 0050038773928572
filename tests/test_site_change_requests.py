"""Site change requests: the partner's request, the sales admin's review field by field."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from sites import services
from sites.models import ChangeRequestStatus, FieldDecision, SiteChangeRequest, SiteEvent, SiteEventKind
from tests.factories_backoffice import eager_celery  # noqa: F401 (fixture)
from tests.factories_sites import SiteFactory

# The emails go through the outbox, delivered by a Celery task after the commit: run it here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def site(partner):
    return SiteFactory(
        partner=partner,
        number="C123456",
        company_name="Boulangerie Martin",
        city="Lyon",
        postal_code="69003",
        siret="73282932000074",
        phone="04 72 00 00 00",
    )


def form_data(site, **changes):
    data = {
        name: getattr(site, name)
        for name in [
            "company_name",
            "siret",
            "vat_number",
            "naf_code",
            "address",
            "postal_code",
            "city",
            "country",
            "phone",
            "email",
        ]
    }
    data.update(changes)
    data["confirm"] = "1"
    return data


def url(site):
    return reverse("site_change_request", args=[site.number])


def test_it_records_only_the_changed_fields(client_for, partner_user, site, django_capture_on_commit_callbacks):
    client = client_for(partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(site), form_data(site, city="Villeurbanne", postal_code="69100", phone="0472000001"))
    assert response.status_code == 302
    assert response["Location"] == reverse("site_detail", args=[site.number])
    change_request = SiteChangeRequest.objects.get()
    assert change_request.requested_by == partner_user
    assert change_request.status == ChangeRequestStatus.PENDING
    assert {(f.field_name, f.old_value, f.new_value) for f in change_request.fields.all()} == {
        ("city", "Lyon", "Villeurbanne"),
        ("postal_code", "69003", "69100"),
        ("phone", "04 72 00 00 00", "+33472000001"),
    }
    site.refresh_from_db()
    assert site.city == "Lyon"  # nothing changes before the review
    assert SiteEvent.objects.get(site=site).kind == SiteEventKind.CHANGE_REQUESTED
    assert len(mail.outbox) == 1 and "C123456" in mail.outbox[0].subject  # sales admin told
    page = client.get(reverse("site_detail", args=[site.number])).content.decode()
    assert "attend la validation" in page
    assert "Villeurbanne" in page


def test_it_explains_each_refused_field(client_for, partner_user, site):
    response = client_for(partner_user).post(
        url(site),
        form_data(
            site,
            siret="73282932000075",
            postal_code="96000",
            vat_number="FR00732829320",
            naf_code="62A",
            company_name="",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "clé de contrôle" in form.errors["siret"][0]
    assert "département" in form.errors["postal_code"][0]
    assert "clé" in form.errors["vat_number"][0]
    assert "6202A" in form.errors["naf_code"][0]
    assert "company_name" in form.errors
    assert not SiteChangeRequest.objects.exists()


def test_it_normalizes_what_it_accepts(client_for, partner_user, site):
    client_for(partner_user).post(
        url(site), form_data(site, siret="732 829 320 00074", vat_number="fr 44 732829320", naf_code="62.02a")
    )
    fields = {f.field_name: f.new_value for f in SiteChangeRequest.objects.get().fields.all()}
    assert fields == {"vat_number": "FR44732829320", "naf_code": "6202A"}  # the SIRET did not change


def test_it_refuses_a_request_without_changes(client_for, partner_user, site):
    response = client_for(partner_user).post(url(site), form_data(site))
    assert response.status_code == 200
    assert "rien à soumettre" in response.content.decode()
    assert not SiteChangeRequest.objects.exists()


def test_a_second_request_is_refused_while_one_is_pending(client_for, partner_user, partner_admin, site):
    client_for(partner_user).post(url(site), form_data(site, city="Bron"))
    client = client_for(partner_admin)
    assert "une seule demande à la fois" in client.get(url(site)).content.decode()
    response = client.post(url(site), form_data(site, city="Caluire"))
    assert response.status_code == 200
    assert SiteChangeRequest.objects.count() == 1
    with pytest.raises(services.SiteChangeRequestError):
        services.site_change_request_create(site=site, user=partner_admin, data={"city": "Caluire"})


def test_it_goes_back_to_a_safe_next_address_only(client_for, partner_user, site):
    client = client_for(partner_user)
    response = client.post(url(site) + "?next=https://evil.example/", form_data(site, city="Bron"))
    assert response["Location"] == reverse("site_detail", args=[site.number])
    other = SiteFactory(partner=site.partner)
    response = client.post(url(other), {**form_data(other, city="Bron"), "next": "/commandes/"})
    assert response["Location"] == "/commandes/"


def make_request(site, user, **changes):
    return services.site_change_request_create(site=site, user=user, data=changes)


def admin_post(client, change_request, decisions):
    rows = list(change_request.fields.all())
    data = {
        "fields-TOTAL_FORMS": str(len(rows)),
        "fields-INITIAL_FORMS": str(len(rows)),
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
        "_save": "Enregistrer",
    }
    for index, row in enumerate(rows):
        decision, reason = decisions[row.field_name]
        data.update(
            {
                f"fields-{index}-id": str(row.pk),
                f"fields-{index}-change_request": str(change_request.pk),
                f"fields-{index}-decision": decision,
                f"fields-{index}-reason": reason,
            }
        )
    return client.post(reverse("admin:customer_sites_sitechangerequest_change", args=[change_request.pk]), data)


def test_sales_admin_approves_part_and_rejects_part_with_a_reason(
    client_for, partner_user, sales_admin, site, django_capture_on_commit_callbacks
):
    change_request = make_request(site, partner_user, city="Villeurbanne", postal_code="69100", phone="0600000000")
    client = client_for(sales_admin)
    page = client.get(reverse("admin:customer_sites_sitechangerequest_change", args=[change_request.pk]))
    body = page.content.decode()
    assert "<del>Lyon</del>" in body and "<strong>Villeurbanne</strong>" in body  # side by side
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_post(
            client,
            change_request,
            {
                "city": (FieldDecision.APPROVED, ""),
                "postal_code": (FieldDecision.APPROVED, ""),
                "phone": (FieldDecision.REJECTED, "Numéro non joignable."),
            },
        )
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.city, site.postal_code, site.phone) == ("Villeurbanne", "69100", "04 72 00 00 00")
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PARTIALLY_APPROVED
    assert change_request.reviewed_by == sales_admin
    event = SiteEvent.objects.get(kind=SiteEventKind.CHANGE_REVIEWED)
    assert event.actor == sales_admin
    assert event.data["approved"]["city"] == {"old": "Lyon", "new": "Villeurbanne"}
    assert event.data["rejected"]["phone"]["reason"] == "Numéro non joignable."
    assert [m.to for m in mail.outbox] == [[partner_user.email]]
    assert "Numéro non joignable." in mail.outbox[0].body
    assert mail.outbox[0].subject == "Site C123456 : demande de changement acceptée en partie"
    assert reverse("site_detail", args=[site.number]) in mail.outbox[0].body
    # The partner sees the outcome on the site page, and may ask again.
    page = client_for(partner_user).get(reverse("site_detail", args=[site.number])).content.decode()
    assert "Acceptée en partie" in page and "Numéro non joignable." in page
    assert "attend la validation" not in page
    assert reverse("site_change_request", args=[site.number]) in page


def test_a_rejection_needs_a_reason(client_for, partner_user, sales_admin, site):
    change_request = make_request(site, partner_user, city="Villeurbanne")
    response = admin_post(client_for(sales_admin), change_request, {"city": (FieldDecision.REJECTED, " ")})
    assert response.status_code == 200
    assert "motif" in response.content.decode()
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING
    with pytest.raises(services.SiteChangeRequestError) as error:
        services.site_change_request_review(
            change_request=change_request, reviewer=sales_admin, decisions={"city": (FieldDecision.REJECTED, "")}
        )
    assert "city" in error.value.message_dict


def test_a_request_is_reviewed_once(partner_user, sales_admin, site):
    change_request = make_request(site, partner_user, city="Villeurbanne")
    decisions = {"city": (FieldDecision.REJECTED, "Adresse inconnue.")}
    services.site_change_request_review(change_request=change_request, reviewer=sales_admin, decisions=decisions)
    with pytest.raises(services.SiteChangeRequestError):
        services.site_change_request_review(
            change_request=change_request, reviewer=sales_admin, decisions={"city": (FieldDecision.APPROVED, "")}
        )
    site.refresh_from_db()
    assert site.city == "Lyon"
    assert SiteChangeRequest.objects.get().status == ChangeRequestStatus.REJECTED
    assert SiteEvent.objects.filter(kind=SiteEventKind.CHANGE_REVIEWED).count() == 1


def test_a_reviewed_request_is_read_only_in_admin(client_for, partner_user, sales_admin, site):
    change_request = make_request(site, partner_user, city="Villeurbanne")
    services.site_change_request_review(
        change_request=change_request, reviewer=sales_admin, decisions={"city": (FieldDecision.APPROVED, "")}
    )
    response = admin_post(client_for(sales_admin), change_request, {"city": (FieldDecision.REJECTED, "Trop tard")})
    assert response.status_code == 403
    assert SiteChangeRequest.objects.get().fields.get().decision == FieldDecision.APPROVED


def test_the_cloud_team_cannot_review(client_for, partner_user, cloud_member, site):
    change_request = make_request(site, partner_user, city="Villeurbanne")
    client = client_for(cloud_member)
    assert client.get(reverse("admin:customer_sites_sitechangerequest_changelist")).status_code == 403
    response = admin_post(client, change_request, {"city": (FieldDecision.APPROVED, "")})
    assert response.status_code == 403
    assert SiteChangeRequest.objects.get().is_pending


@pytest.mark.parametrize("count", [2, 30])
def test_admin_lists_run_a_fixed_number_of_queries(
    client_for, sales_admin, partner, partner_user, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_request(SiteFactory(partner=partner), partner_user, city="Paris")
    client = client_for(sales_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:customer_sites_sitechangerequest_changelist")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:customer_sites_site_changelist")).status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:customer_sites_site_changelist"), {"q": "Soc", "status__exact": "active"})
        assert response.status_code == 200


def test_the_partner_is_emailed_in_their_language(partner, sales_admin, site, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    english = UserFactory(partner=partner, language="en")
    change_request = make_request(site, english, city="Villeurbanne")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.site_change_request_review(
            change_request=change_request, reviewer=sales_admin, decisions={"city": (FieldDecision.APPROVED, "")}
        )
    assert mail.outbox[0].subject == "Site C123456: change request approved"
    assert "Sales administration has reviewed" in mail.outbox[0].body


def test_the_admin_paginator_never_counts_past_its_cap(partner):
    from mybusiness.paginators import CappedCountPaginator
    from sites.models import Site

    SiteFactory.create_batch(7, partner=partner)

    class SmallCap(CappedCountPaginator):
        count_cap = 5

    capped = SmallCap(Site.objects.filter(partner=partner).order_by("number"), 2)
    assert capped.count == 6 and capped.count_is_capped
    assert SmallCap(Site.objects.filter(partner=partner, number="none").order_by("number"), 2).count == 0
    exact = CappedCountPaginator(Site.objects.filter(partner=partner).order_by("number"), 2)
    assert exact.count == 7 and not exact.count_is_capped


def test_its_emails_are_written_in_the_outbox_with_the_change(partner_user, sales_admin, site):
    """The request, its review and their emails commit together: an email is an outbox row of the
    same transaction (mybusiness.emails), so a change rolled back sends nothing."""
    from django.db import transaction

    from mybusiness.models import OutboxEmail

    change_request = make_request(site, partner_user, city="Villeurbanne")
    assert list(OutboxEmail.objects.values_list("template", flat=True)) == ["sites/emails/change_request_submitted"]

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.site_change_request_review(
            change_request=change_request, reviewer=sales_admin, decisions={"city": (FieldDecision.APPROVED, "")}
        )
        assert OutboxEmail.objects.filter(template="sites/emails/change_request_reviewed").count() == 1
        raise Abort
    assert not OutboxEmail.objects.filter(template="sites/emails/change_request_reviewed").exists()

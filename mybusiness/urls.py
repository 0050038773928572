from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from mybusiness import views
from mybusiness.api import build_api
from mybusiness.forms import EmailAuthenticationForm, EmailPasswordResetForm

admin.site.site_header = "myBusiness — administration"
admin.site.site_title = "myBusiness"
admin.site.index_title = _("Administration des ventes et équipe cloud")
# At 1366 px the side menu would take a quarter of the width the lists need; the index and the
# breadcrumbs lead everywhere it does.
admin.site.enable_nav_sidebar = False

account_patterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("verification/", views.SecondFactorVerifyView.as_view(), name="two_factor_verify"),
    path("securite/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("securite/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("securite/codes-de-secours/", views.two_factor_codes, name="two_factor_codes"),
    path("securite/codes-de-secours/renouveler/", views.two_factor_codes_renew, name="two_factor_codes_renew"),
    path("securite/desactiver/", views.two_factor_disable, name="two_factor_disable"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(form_class=EmailPasswordResetForm),
        name="password_reset",
    ),
    path("mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

partner_admin_patterns = [
    path("", views.PartnerUserListView.as_view(), name="partner_users"),
    path("api/", views.ApiKeyListView.as_view(), name="api_keys"),
    path("api/<uuid:public_id>/revoquer/", views.api_key_revoke, name="api_key_revoke"),
    path("inviter/", views.PartnerUserInviteView.as_view(), name="partner_user_invite"),
    path(
        "<uuid:public_id>/desactiver/",
        views.partner_user_set_active,
        {"active": False},
        name="partner_user_deactivate",
    ),
    path(
        "<uuid:public_id>/reactiver/",
        views.partner_user_set_active,
        {"active": True},
        name="partner_user_reactivate",
    ),
]

# The partner REST API: each app's routes (its api.py), assembled here, the one place that names every app.
api = build_api()
api.add_router("/catalog", "catalog.api.router")
api.add_router("", "sites.api.router")
api.add_router("", "opportunities.api.router")
api.add_router("", "orders.api.router")
api.add_router("", "certificates.api.router")

urlpatterns = [
    path("api/v1/", api.urls),
    path("compte/", include(account_patterns)),
    path("utilisateurs/", include(partner_admin_patterns)),
    path("langue/", views.language_switch, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", views.healthz, name="healthz"),
    # The dashboard's charts, under the admin (the dashboard itself is the admin index).
    path("admin/tableau-de-bord/", include("backoffice.urls")),
    path("admin/", admin.site.urls),
    path("sites/", include("sites.urls")),
    path("opportunites/", include("opportunities.urls")),
    path("certificats/", include("certificates.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("", include("orders.urls")),
]

handler400 = "mybusiness.views.bad_request"
handler403 = "mybusiness.views.permission_denied"
handler404 = "mybusiness.views.page_not_found"
handler500 = "mybusiness.views.server_error"

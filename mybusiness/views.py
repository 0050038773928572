from __future__ import annotations

import uuid
from base64 import b32encode
from urllib.parse import urlencode

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, ListView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.qr import write_qrcode_image
from redis.backoff import NoBackoff
from redis.retry import Retry

from mybusiness import selectors, services
from mybusiness.forms import ApiKeyForm, PartnerUserInviteForm, SecondFactorForm, TwoFactorEnrolForm
from mybusiness.tenancy import PartnerRequiredMixin, partner_required


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request's context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker health for load balancers: 200 when both answer, 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "down", whatever the driver raised
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "eager"
    else:
        # The broker named by the settings at call time, with a short timeout: a load
        # balancer's probe must get its answer in about a second, not hang on a dead host.
        try:
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)
            )
            try:
                client.ping()
            finally:
                client.close()
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(value in ("ok", "eager") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


class PartnerUserListView(PartnerRequiredMixin, ListView):
    partner_admin_only = True
    template_name = "mybusiness/partner_users.html"
    context_object_name = "company_users"
    paginate_by = 50

    def get_queryset(self):
        return selectors.partner_user_list(admin=self.request.user)


class PartnerUserInviteView(PartnerRequiredMixin, FormView):
    partner_admin_only = True
    template_name = "mybusiness/partner_user_invite.html"
    form_class = PartnerUserInviteForm

    def form_valid(self, form):
        try:
            services.partner_user_invite(admin=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        # The same answer whether or not the address had an account elsewhere (services.partner_user_invite).
        messages.success(
            self.request, _("Invitation envoyée à %(email)s : le lien permet de choisir un mot de passe.")
            % {"email": form.cleaned_data["email"]}
        )
        return redirect("partner_users")


API_KEY_SHOWN_ONCE = "api_key_shown_once"


class ApiKeyListView(PartnerRequiredMixin, FormView):
    """« API »: the company's keys, a new one (shown once, after the redirect), revoking one."""

    partner_admin_only = True
    template_name = "mybusiness/api_keys.html"
    form_class = ApiKeyForm

    def get_initial(self):
        return {"creation_key": uuid.uuid4()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            keys=selectors.api_key_list(admin=self.request.user),
            new_key=self.request.session.pop(API_KEY_SHOWN_ONCE, None),
            api_docs_url=reverse("api:openapi-view"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            key, token = services.api_key_create(admin=self.request.user, **form.cleaned_data)
        except ValidationError as error:  # its fields are the form's
            form.add_error(None, error)
            return self.form_invalid(form)
        if token:  # not a second click on the same form
            self.request.session[API_KEY_SHOWN_ONCE] = {"name": key.name, "token": token}
        return redirect("api_keys")


@require_POST
@partner_required(admin_only=True)
def api_key_revoke(request: HttpRequest, public_id):
    key = selectors.api_key_get(admin=request.user, public_id=public_id)
    services.api_key_revoke(admin=request.user, key=key)
    messages.success(request, _("Clé « %(name)s » révoquée : elle ne donne plus accès à l'API.") % {"name": key.name})
    return redirect("api_keys")


@require_POST
@partner_required(admin_only=True)
def partner_user_set_active(request: HttpRequest, public_id, active: bool):
    target = selectors.partner_user_get(admin=request.user, public_id=public_id)
    try:
        services.partner_user_set_active(admin=request.user, user=target, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("Le compte de %(email)s est réactivé.") % {"email": target.email})
        else:
            messages.success(request, _("Le compte de %(email)s est désactivé.") % {"email": target.email})
    return redirect("partner_users")




@require_POST
def language_switch(request: HttpRequest):
    """Django's set_language, and the choice kept on the user (their emails follow it)."""
    from django.views.i18n import set_language

    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


# Two-factor authentication: the login's second step and the account's security page.

RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go once done: the page asked for if it is one of the portal's, else the home page (a URL,
    never a view name: HttpResponseRedirect, not redirect())."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@method_decorator(never_cache, name="dispatch")
class SecondFactorVerifyView(LoginRequiredMixin, FormView):
    template_name = "registration/two_factor_verify.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and (user.is_verified() or not user.two_factor_enabled):
            return HttpResponseRedirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _next_url(self.request)}

    def form_valid(self, form):
        # A new session key once the second factor is given, as a login gets one.
        self.request.session.cycle_key()
        otp_login(self.request, form.device)
        left = selectors.two_factor_status(user=self.request.user)["recovery_codes_left"]
        if isinstance(form.device, StaticDevice) and left <= 3:
            messages.warning(
                self.request,
                ngettext(
                    "Il vous reste %(count)s code de secours : générez-en de nouveaux dans « Sécurité du compte ».",
                    "Il vous reste %(count)s codes de secours : générez-en de nouveaux dans « Sécurité du compte ».",
                    left,
                ) % {"count": left},
            )
        return HttpResponseRedirect(_next_url(self.request))


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """« Sécurité du compte »: adding an authenticator application, or its state and what can be done."""

    template_name = "mybusiness/two_factor.html"
    form_class = TwoFactorEnrolForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["status"] = status = selectors.two_factor_status(user=user)
        context["required"] = user.is_staff and settings.OTP_REQUIRED_FOR_STAFF
        context["next"] = _next_url(self.request)
        if not status["enabled"]:
            device = services.totp_enrolment_start(user=user)
            secret = b32encode(device.bin_key).decode()
            context["secret"] = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
        return context

    def form_valid(self, form):
        user = self.request.user
        if user.two_factor_enabled:
            return redirect("two_factor_setup")
        try:
            device, codes = services.totp_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        # The other sessions ended (services); this one stays, and has given the second factor.
        update_session_auth_hash(self.request, user)
        otp_login(self.request, device)
        self.request.session[RECOVERY_CODES_SESSION_KEY] = codes
        messages.success(self.request, _("La double authentification est activée."))
        return redirect(f"{reverse('two_factor_codes')}?{urlencode({REDIRECT_FIELD_NAME: _next_url(self.request)})}")


@never_cache
@login_required
@require_GET
def two_factor_qr(request: HttpRequest):
    """The QR code of the application being added, for the phone to scan (SVG)."""
    device = selectors.totp_enrolment_device(user=request.user)
    if device is None:
        raise Http404
    response = HttpResponse(content_type="image/svg+xml")
    write_qrcode_image(device.config_url, response)
    return response


@never_cache
@login_required
@require_GET
def two_factor_codes(request: HttpRequest):
    """New recovery codes, shown once: reloading the page shows them no more."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor_setup")
    grouped = [f"{code[:4]}-{code[4:]}" for code in codes]
    return render(request, "mybusiness/two_factor_codes.html", {"codes": grouped, "next": _next_url(request)})


@require_POST
@login_required
def two_factor_codes_renew(request: HttpRequest):
    try:
        request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("two_factor_setup")
    return redirect("two_factor_codes")


@require_POST
@login_required
def two_factor_disable(request: HttpRequest):
    services.two_factor_disable(user=request.user)
    if request.user.is_staff and settings.OTP_REQUIRED_FOR_STAFF:
        messages.info(request, _("Ajoutez votre nouvelle application : elle est obligatoire pour votre compte."))
    else:
        messages.success(request, _("La double authentification est désactivée."))
    return redirect("two_factor_setup")

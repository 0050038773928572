from __future__ import annotations

import redis
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, ListView
from redis.backoff import NoBackoff
from redis.retry import Retry

from mybusiness import selectors, services
from mybusiness.forms import PartnerUserInviteForm
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

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from mybusiness.security import second_factor_step


class PortalLanguageMiddleware:
    """French unless the user chose otherwise: the language switch's cookie, else the user's saved
    language, else French. The browser's Accept-Language is not consulted: the portal's users are
    French and an English browser must not give them a half-translated page. The API (``/api/``) is the
    exception: a program says which language it wants in Accept-Language (French by default).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        is_api = request.path.startswith(settings.API_PATH_PREFIX)
        language = None if is_api else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if is_api:
            language = translation.get_language_from_request(request)
        elif language not in self.supported and user is not None and user.is_authenticated:
            language = user.language
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: the thread's next work (another request, a test) starts from French again.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if is_api:
            patch_vary_headers(response, ["Accept-Language"])
        return response


class SecondFactorMiddleware:
    """After the password, the second factor: a user who must give one and has not in this session reaches
    only its page (the code, or adding an application) and the few pages any visitor has.

    Who must, and which page: ``mybusiness.security.second_factor_step``.
    """

    OPEN_TO_ALL = {"logout", "set_language", "javascript-catalog", "healthz"}
    STEPS = {
        "two_factor_verify": {"two_factor_verify"},
        "two_factor_setup": {"two_factor_setup", "two_factor_qr", "two_factor_codes"},
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = second_factor_step(request.user)
        if step is None:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in self.OPEN_TO_ALL or view_name in self.STEPS[step]:
            return None
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)

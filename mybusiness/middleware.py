from django.conf import settings
from django.utils import translation


class PortalLanguageMiddleware:
    """French unless the user chose otherwise: the language switch's cookie, else the user's saved
    language, else French. The browser's Accept-Language is not consulted: the portal's users are
    French and an English browser must not give them a half-translated page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if language not in self.supported and user is not None and user.is_authenticated:
            language = user.language
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: the thread's next work (another request, a test) starts from French again.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

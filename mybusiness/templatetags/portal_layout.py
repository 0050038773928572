from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from mybusiness import navigation
from mybusiness.jinja2_environment import Fragment
from mybusiness.security import second_factor_step

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_navbar(context):
    """The navigation bar, for ``{% portal_navbar as navbar %}{% include navbar %}``: on every full page,
    so a Jinja2 fragment (``mybusiness/navbar.html``); the menu's entries are ``mybusiness.navigation``'s."""
    request = context["request"]
    user = getattr(request, "user", None)
    # Between the password and the second factor, only the language and logging out are offered.
    pending = user is not None and second_factor_step(user) is not None
    return Fragment(
        "mybusiness/navbar.html",
        {
            "user": user,
            "menu": navigation.menu(user, request.path) if user is not None and not pending else [],
            "pending": pending,
            "languages": settings.LANGUAGES,
            "current_language": get_language(),
            "next": request.get_full_path(),
            "csrf_token": get_token(request),
        },
    )


@register.filter
def error_count(form) -> int:
    """Every error of ``form``, general and per field: what its error summary lists, one item each."""
    return sum(len(errors) for errors in form.errors.values())

from django import template
from django.conf import settings

from mybusiness import navigation

register = template.Library()


@register.inclusion_tag("mybusiness/includes/navbar.html", takes_context=True)
def portal_navbar(context):
    """The navigation bar: the menu of the user's role (``mybusiness.navigation``), the language switch
    and the user's own menu; for a visitor the language switch alone."""
    request = context["request"]
    user = getattr(request, "user", None)
    return {
        "user": user,
        "menu": navigation.menu(user, request.path) if user is not None else [],
        "languages": settings.LANGUAGES,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }

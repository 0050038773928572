from django import template

from mybusiness import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_navbar(context):
    """The navigation bar (``mybusiness.navigation``)."""
    return navigation.navbar(context["request"], context.get("csrf_token"))

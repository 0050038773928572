from django import template

from mybusiness.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, obj):
    """``{% panels "site_detail" site as shown %}``: the panels upper apps registered for the slot."""
    return render_panels(slot, request=context["request"], obj=obj)

from django.conf import settings


def portal(request):
    """What every page's layout needs: the user's role flags for the navigation."""
    user = getattr(request, "user", None)
    return {
        "portal_user_is_partner": bool(user and user.is_authenticated and user.is_partner),
        "portal_user_is_partner_admin": bool(user and user.is_authenticated and user.is_partner_admin),
        "portal_user_is_staff": bool(user and user.is_authenticated and user.is_staff),
        "portal_user_is_sales_admin": bool(user and user.is_authenticated and user.is_sales_admin),
        "partner_price_sheet_url": settings.PARTNER_PRICE_SHEET_URL,
    }

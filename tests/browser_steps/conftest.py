"""Browser tests of wizard steps 4–6: logged in by a session cookie."""

import pytest


@pytest.fixture
def logged_in(live_server, client):
    """``logged_in(page, user)``: the page's browser carries ``user``'s session."""
    from django.conf import settings

    def login(page, user):
        client.force_login(user)
        page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }])
        return page

    return login



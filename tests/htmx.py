"""Browser tests and htmx: wait until a swap has settled before acting on the swapped content.

htmx binds the triggers of new content after the swap (its settle step): an event fired on a
swapped-in element before then starts no request. Waiting for the new content to be visible is
not enough; this waits until no element carries htmx's in-flight classes.
"""

from __future__ import annotations

IDLE = "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


def wait_for_htmx(page, *, timeout: float = 5000) -> None:
    # A function, not an expression: polling an expression evaluates a string, which the CSP forbids.
    page.wait_for_function(f"() => {IDLE}", timeout=timeout)

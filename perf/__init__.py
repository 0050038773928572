"""Performance and robustness tools: a gunicorn server, a load generator, the soak run (``make soak``)."""

# The bare view of perf.urls: the floor a request costs in Django (B6). Here so that the load
# generator and the server helpers need no Django settings to know it.
BARE_PATH = "/perf/bare/"

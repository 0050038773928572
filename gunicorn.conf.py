"""gunicorn's settings in the image (Dockerfile), behind docker-compose's nginx.

Limits on what a client may send before Django sees it: the request line, the number and size of the
headers (nginx's own are the same or smaller), and how long a worker may spend on one request.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 60
graceful_timeout = 30
keepalive = 5
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Which peers may set X-Forwarded-Proto for gunicorn: only the proxy reaches the web container in
# docker-compose (its port is not published), so the compose file allows its network.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"

"""The demo's settings on a SQLite file of the test's own (``SQLITE_FILE``), with the demo's options exactly
(``mybusiness.env.database`` without a URL): for tests/test_sqlite_concurrency.py's child process."""

import os

from mybusiness.env import env
from mybusiness.settings import *  # noqa: F403

DATABASES = {"default": env.database("MYBUSINESS_NO_DATABASE_URL", sqlite_path=os.environ["SQLITE_FILE"])}
if os.environ.get("SQLITE_PLAIN"):
    # Django's defaults, as before the demo's options: to show the test fails without them.
    DATABASES["default"]["OPTIONS"] = {}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

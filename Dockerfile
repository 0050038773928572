# myBusiness: one image for the web server (gunicorn), the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user owns nothing in /app but the folders the portal writes to (its home
# holds gunicorn's control socket).
RUN groupadd --system --gid 10001 mybusiness \
 && useradd --system --uid 10001 --gid mybusiness --create-home --home-dir /home/mybusiness --shell /usr/sbin/nologin mybusiness

WORKDIR /app

# Certificate PDFs (WeasyPrint) need Pango and a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, from the runtime lock file (exact versions, checked against their hashes; the
# project's own code runs from /app), so that a code change does not reinstall them.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes -r requirements/runtime.txt

COPY . .

# Static files are collected (hashed, compressed) at build time and served by WhiteNoise.
# The build needs settings, not secrets: collectstatic signs nothing, so it runs without a key.
RUN DEBUG=false python manage.py collectstatic --noinput \
 && install -d -o mybusiness -g mybusiness /app/.tmp/private /app/.tmp/beat

USER mybusiness
EXPOSE 8000

# Limits, timeouts and workers: gunicorn.conf.py (read from the working directory).
CMD ["gunicorn", "mybusiness.wsgi:application"]

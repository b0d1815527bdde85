# K-City Network Proposal Portal: one image for web (gunicorn), Celery worker and beat. See docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/private

# gettext compiles the translations; fonts-nanum lets the committee minutes PDF print Korean names.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-nanum \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1000 kcity \
    && useradd --system --uid 1000 --gid kcity --home-dir /app --shell /usr/sbin/nologin kcity

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files and translations are built into the image. The settings need a secret key and a broker URL to
# load with DEBUG off; these build-time values are never used at run time.
RUN export DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-time-only-not-used-at-run-time-0123456789abcdefghij \
        REDIS_URL=redis://build-time-only:6379/0 \
    && python manage.py collectstatic --noinput \
    && if [ -d locale ]; then python manage.py compilemessages --ignore=.venv; fi \
    && mkdir -p var/private var/mail \
    && chown -R kcity:kcity /app/var /app/staticfiles

USER kcity
EXPOSE 8000
CMD ["gunicorn", "kcity.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

# newsportal web image: gunicorn serving the app, static files via whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 1000 newsportal

COPY pyproject.toml README.md manage.py ./
COPY newsportal ./newsportal
COPY editions ./editions
COPY articles ./articles
COPY partners ./partners
COPY subscriptions ./subscriptions
COPY demo ./demo
COPY templates ./templates
COPY locale ./locale
COPY static ./static
COPY webroot ./webroot
# Editable, so the settings find templates/ and static/ beside the code.
RUN pip install -e .
# collectstatic needs some SECRET_KEY; this build-time one is never used at run time.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown newsportal /app/media

USER newsportal
EXPOSE 8000
CMD ["gunicorn", "newsportal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

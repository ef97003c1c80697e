FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KAIYUAN_ENV=production \
    KAIYUAN_VAR_DIR=/var/lib/kaiyuan STATIC_ROOT=/var/lib/kaiyuan/static \
    MEDIA_ROOT=/var/lib/kaiyuan/media

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app kaiyuan

WORKDIR /app
COPY pyproject.toml ./
COPY kaiyuan ./kaiyuan
COPY monitoring ./monitoring
COPY projects ./projects
COPY funds ./funds
COPY assets ./assets
COPY employment ./employment
COPY reports ./reports
COPY templates ./templates
COPY locale ./locale
COPY manage.py ./
# collectstatic loads the production settings, which refuse known keys: it gets throw-away
# random ones (never used for data).
RUN pip install --no-cache-dir . \
 && mkdir -p /var/lib/kaiyuan/static /var/lib/kaiyuan/media \
 && SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))') \
    PII_ENCRYPTION_KEY=$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
    PII_INDEX_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(32))') \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && chown -R kaiyuan /var/lib/kaiyuan

USER kaiyuan
EXPOSE 8000
CMD ["gunicorn", "kaiyuan.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]

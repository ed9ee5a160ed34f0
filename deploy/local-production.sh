#!/bin/sh
# `make production`: the platform in production mode on this machine, for a check before going
# live: debug off, static files collected and served by WhiteNoise, migrations, gunicorn with
# deploy/gunicorn.conf.py and the task worker (Ctrl-C stops both). On the embedded SQLite
# database by default, on PostgreSQL when DATABASE_URL says so. LOAD_DEMO=1 loads the demo data.
#
# It speaks plain HTTP on the loopback, so the transport protections are RELAXED here, and only
# here: no HTTPS redirect, no HSTS, cookies not marked Secure. A real deployment keeps them
# (deploy/systemd/, README: Production).
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

mkdir -p var
# A signing key of this machine's own, kept between runs (sessions survive a restart).
[ -s var/local-secret-key ] || "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >var/local-secret-key
export AMO_DEBUG=0
SECRET_KEY=${SECRET_KEY:-$(cat var/local-secret-key)}
export SECRET_KEY
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$HOST,localhost,127.0.0.1}"
export SITE_URL="http://$HOST:$PORT"
export SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SECURE_HSTS_INCLUDE_SUBDOMAINS=0 SECURE_HSTS_PRELOAD=0
export SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
if [ -z "${EMAIL_HOST:-}" ]; then
  export EMAIL_KEEP_IN_OUTBOX=1 # no SMTP server: e-mails wait in the outbox (they are not shown to anyone)
fi
export GUNICORN_BIND="$HOST:$PORT"
export LOG_LEVEL="${LOG_LEVEL:-INFO}"

database=$("$BIN/python" -c 'import os, dj_database_url; print(dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))["ENGINE"].rsplit(".", 1)[-1])')
cat <<BANNER
================================================================================
 AMO Etudiants in PRODUCTION MODE (AMO_DEBUG=0) for a LOCAL CHECK on http://$HOST:$PORT/
 database: $database; gunicorn (deploy/gunicorn.conf.py) and the task worker.
 Plain HTTP: HTTPS redirect, HSTS and Secure cookies are RELAXED for this check only.
 E-mails: $(if [ -n "${EMAIL_HOST:-}" ]; then echo "SMTP $EMAIL_HOST"; else echo "kept in the outbox (no EMAIL_HOST)"; fi). Health: http://$HOST:$PORT/health/
================================================================================
BANNER
"$BIN/python" manage.py collectstatic --no-input -v0
"$BIN/python" manage.py migrate --no-input -v0
if [ "${LOAD_DEMO:-0}" = 1 ]; then
  "$BIN/python" manage.py load_demo --in-production
fi
"$BIN/python" manage.py db_worker --interval 1 --no-reload &
worker=$!
trap 'kill $worker 2>/dev/null' EXIT INT TERM
"$BIN/gunicorn" -c deploy/gunicorn.conf.py config.wsgi:application

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# WSGI servers run no system checks: refuse to start on a configuration that a check reports as
# an error (e.g. no SMTP server in production, notifications.E001), as manage.py commands do.
from django.core import checks  # noqa: E402
from django.core.management.base import SystemCheckError  # noqa: E402

_serious = [message for message in checks.run_checks() if message.is_serious()]
if _serious:
    raise SystemCheckError("\n".join(str(message) for message in _serious))

"""Run the platform's own commands in a child process with production settings (AMO_DEBUG=0):
settings are read once at start-up, so production mode cannot be switched on inside the tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SMTP = {"EMAIL_HOST": "smtp.amo-etudiants.ma"}


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production server: debug off, a real key, its host name, and nothing
    inherited from the tests' own settings (debug, mail, security toggles, DJANGO_ALLOW_ASYNC_UNSAFE
    that the browser tests set)."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AMO_", "DJANGO_", "EMAIL_", "SECURE_", "SESSION_", "CSRF_", "API_DOCS"))
        and k not in {"SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return {
        **inherited,
        "AMO_DEBUG": "0",
        "SECRET_KEY": "k7#Qv9-production-like-key-for-tests-only-9f3Lx2Wb8Zr4Tn6Ym1Pc5Hd0",
        "ALLOWED_HOSTS": "amo-etudiants.ma",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **overrides,
    }


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, timeout=120
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run(["manage.py", *args], **env)

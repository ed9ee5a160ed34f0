"""Run every benchmark in this folder against PostgreSQL and print `name: value unit` lines.

Usage: make bench  (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/amo, gets a
"_bench" suffix: the benchmark database is created, migrated and filled here, never a real one).
Benchmarks print figures; they are not tests and assert nothing about speed.
"""

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare_database() -> None:
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amo")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("Benchmarks measure PostgreSQL: set DATABASE_URL to a PostgreSQL server.")
    name = f"{config['NAME']}_bench"
    admin = psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("AMO_DEBUG", "1")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="amo-bench-"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    wanted = set(sys.argv[1:])
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        if wanted and path.stem.removeprefix("bench_") not in wanted:
            continue
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{path.stem}").run()
        print(f"# {path.stem} took {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()

"""python -m benchmarks [--households N] [--only NAME] [--reuse] [--database NAME]

Builds (or reuses) the database ``kaiyuan_bench`` (or NAME) on the local PostgreSQL, seeds the
demo county at the requested size and runs the benchmarks."""

from __future__ import annotations

import argparse
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=120_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--only", default="")
    parser.add_argument("--reuse", action="store_true", help="keep an existing seeded database")
    parser.add_argument("--database", default="kaiyuan_bench", help="PostgreSQL database to use")
    options = parser.parse_args()

    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    name = options.database
    if not name.replace("_", "").isalnum():
        parser.error("--database takes letters, digits and underscores")
    os.environ["DATABASE_URL"] = base.rstrip("/") + "/" + name
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["KAIYUAN_ENV"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kaiyuan.settings"
    os.environ.setdefault("DEBUG", "false")
    # The benchmarks request pages through Django's test client, whose host is "testserver".
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

    import psycopg

    with psycopg.connect(base.rstrip("/") + "/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and not options.reuse:
            connection.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils.module_loading import import_string

    from benchmarks import BENCHMARKS
    from kaiyuan.areas.models import Area

    call_command("migrate", verbosity=0)
    if not Area.objects.villages().exists():
        started = time.perf_counter()
        call_command("seed_demo", households=options.households, seed=options.seed)
        print(
            f"seed_demo --households {options.households}: {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        # Fresh tables have no statistics and no visibility map until autovacuum gets to them;
        # without them the planner picks plans 10-20 times slower, and index-only scans visit
        # the heap, unlike a county database in daily use.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    for dotted in BENCHMARKS:
        if options.only and options.only not in dotted:
            continue
        for result in import_string(f"{dotted}.run")(options.households):
            print(result.line(), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()

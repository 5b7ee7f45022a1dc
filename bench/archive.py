"""Benchmark: export, import and deletion of the `levelup demo` learner's account.

    .venv/bin/python bench/archive.py [--runs 5]

Sets Django up by itself in a temporary data directory (SQLite), makes the demo learner,
then times, N times each: `account_export`, `account_import` into a new empty account
(then deleting that account again), and `account_delete` of a restored copy. Prints the
median, the archive's size and row count, and the query count of one export and import.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("LEVELUP_DATA_DIR", tempfile.mkdtemp(prefix="levelup-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levelup.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from levelup.accounts.models import User
    from levelup.datatransfer.archive import account_delete, account_export, account_import
    from levelup.progress.demo import demo_create

    call_command("migrate", verbosity=0)
    demo_create()
    demo = User.objects.get(username="demo")

    exports, imports, deletes = [], [], []
    archive = account_export(user=demo)
    with CaptureQueriesContext(connection) as export_queries:
        account_export(user=demo)
    for n in range(args.runs):
        start = time.perf_counter()
        archive = account_export(user=demo)
        exports.append(time.perf_counter() - start)
        copy = User.objects.create_user(username=f"copy{n}")
        start = time.perf_counter()
        if n == 0:
            with CaptureQueriesContext(connection) as import_queries:
                counts = account_import(user=copy, archive=archive)
        else:
            counts = account_import(user=copy, archive=archive)
        imports.append(time.perf_counter() - start)
        start = time.perf_counter()
        account_delete(user=copy, password=None, check_password=False)
        deletes.append(time.perf_counter() - start)

    size = len(json.dumps(archive, ensure_ascii=False).encode())
    rows = sum(counts.values())
    print(f"archive: {size / 1024:.0f} KiB, {rows} rows in {len(counts)} kinds")
    print(
        f"export:  median {statistics.median(exports) * 1000:.0f} ms, {len(export_queries)} queries"
    )
    print(
        f"import:  median {statistics.median(imports) * 1000:.0f} ms, {len(import_queries)} queries"
    )
    print(f"delete:  median {statistics.median(deletes) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

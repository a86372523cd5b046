"""Build (or clear) the national benchmark dataset on DATABASE_URL (default: a scratch SQLite file).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python bench/national_dataset.py
    ... bench/national_dataset.py --organisations 200 --years 3 --measures 2000
    ... bench/national_dataset.py --clear

Default: 8,000 organisations, 5 years (2564 on), 100,000 plan rows. Generated organisations
carry dataset.NAME_PREFIX in their name, so --clear removes exactly them.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def build(organisations=8000, years=5, measures=100_000, seed=1, clear=False, log=print):
    """Load the reference data and replace the generated dataset; returns the counts (or, with
    clear, the number of organisations deleted). Needs Django set up and the database migrated."""
    from django.db import connection

    from assessments.loaders import load_reference
    from dataset import clear_dataset, generate_dataset

    if clear:
        deleted = clear_dataset()
        log(f"deleted {deleted} generated organisations")
        return deleted
    if not 1 <= years <= 5:
        raise ValueError("--years must be 1 to 5 (the reference data holds 2564-2569)")
    if organisations < 1 or measures < 0:
        raise ValueError("--organisations must be above 0 and --measures not negative")
    load_reference()
    clear_dataset()
    started = time.perf_counter()
    counts = generate_dataset(organisations, years, measures, seed=seed, log=log)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses 126 rows where there are 100,000 and
        # picks scans that make the plan page six times slower; VACUUM too, since storing the
        # results rewrote every assessment and plan row (and index-only scans need it).
        # (VACUUM cannot run inside a transaction, as in the tests: ANALYZE alone there.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    log(f"done in {time.perf_counter() - started:.1f} s: {counts}")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=8000)
    parser.add_argument("--years", type=int, default=5, help="consecutive fiscal years from 2564")
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="random seed (same data every time)")
    parser.add_argument("--clear", action="store_true", help="delete the generated dataset and stop")
    options = parser.parse_args()

    from _setup import django_on_scratch_database

    django_on_scratch_database("national")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        build(options.organisations, options.years, options.measures, options.seed, options.clear)
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()

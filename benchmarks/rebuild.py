"""Benchmark the living warehouse: load N sample-derived reports, then time a forced rebuild from
the raw layer (no inbox), and print the warehouse size with raw text.

    .venv/bin/python benchmarks/rebuild.py [--copies 200]

COPIES × the five bundled reports, each copy made distinct by a trailing line. Prints figures;
asserts nothing (speed goals live here, not in tests).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
from baogao.cli import apply_run_env  # noqa: E402  (telemetry off, generous server start-up, allocator)

apply_run_env()

from pipeline_run import build_inbox  # noqa: E402  (run as a script: benchmarks/ is on sys.path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=200)
    args = ap.parse_args()
    import duckdb

    from flows.nightly import nightly

    with tempfile.TemporaryDirectory() as tmp:
        inbox, warehouse = Path(tmp) / "inbox", Path(tmp) / "warehouse.duckdb"
        inbox.mkdir()
        chars = build_inbox(inbox, args.copies)
        print(f"inbox: {args.copies * 5} files, {chars / 1e6:.2f} M characters")
        t0 = time.perf_counter()
        first = nightly(inbox=str(inbox), warehouse=str(warehouse))
        t_first = time.perf_counter() - t0
        shutil.rmtree(inbox)
        size_mb = warehouse.stat().st_size / 1e6
        with duckdb.connect(str(warehouse), read_only=True) as con:
            raw_chars = con.execute("select sum(char_count) from raw_report").fetchall()[0][0]
        t1 = time.perf_counter()
        rebuilt = nightly(inbox=None, warehouse=str(warehouse), rebuild=True)
        t_rebuild = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"first run:        {t_first:6.1f} s  (incl. Prefect temporary server start), "
          f"{first['facts_loaded']} facts")
    print(f"forced rebuild:   {t_rebuild:6.1f} s  {rebuilt['reports_rebuilt']} reports, "
          f"{rebuilt['facts_loaded']} facts, inbox deleted")
    print(f"warehouse size:   {size_mb:6.1f} MB  with {raw_chars / 1e6:.2f} M characters of raw text")
    print(f"peak memory:      {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()

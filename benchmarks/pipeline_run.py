"""Benchmark the whole nightly flow: wall time of a first run and of an unchanged rerun.

    .venv/bin/python benchmarks/pipeline_run.py [--copies 40]

Builds an inbox of COPIES × the five bundled reports (each copy made distinct by a trailing
line, so none is skipped as already loaded), runs the flow into a fresh warehouse twice under
Prefect's temporary local server, and prints files/s, facts/s and peak memory. Prints figures;
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

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def build_inbox(folder: Path, copies: int) -> int:
    chars = 0
    for i in range(copies):
        for src in sorted(SAMPLES.glob("*.txt")):
            text = src.read_text(encoding="utf-8") + f"\n(副本 {i})\n"
            (folder / f"{src.stem}_{i:04d}.txt").write_text(text, encoding="utf-8")
            chars += len(text)
    shutil.copy(SAMPLES / "manifest.jsonl", folder / "manifest.jsonl")
    return chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--batch-size", type=int, default=25)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        inbox, warehouse = Path(tmp) / "inbox", Path(tmp) / "warehouse.duckdb"
        inbox.mkdir()
        chars = build_inbox(inbox, args.copies)
        files = args.copies * 5
        print(f"inbox: {files} files, {chars / 1e6:.2f} M characters")

        t0 = time.perf_counter()
        from flows.nightly import nightly  # Prefect import counted in the first run's start-up

        t_import = time.perf_counter() - t0
        t1 = time.perf_counter()
        first = nightly(inbox=str(inbox), warehouse=str(warehouse), batch_size=args.batch_size)
        t_first = time.perf_counter() - t1
        t2 = time.perf_counter()
        second = nightly(inbox=str(inbox), warehouse=str(warehouse), batch_size=args.batch_size)
        t_second = time.perf_counter() - t2

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import flows (Prefect):   {t_import:6.1f} s")
    print(f"first run (all new):      {t_first:6.1f} s  incl. temporary Prefect server start-up; "
          f"{files / t_first:.1f} files/s, {first['facts_loaded'] / t_first:.0f} facts/s; "
          f"{first['facts_loaded']} facts loaded, {first['facts_quarantined']} quarantined")
    print(f"second run (unchanged):   {t_second:6.1f} s  files new {second['files_new']}, "
          f"unchanged {second['files_unchanged']}")
    print(f"peak memory (RSS):        {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()

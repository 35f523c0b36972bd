"""What publishing the read-only snapshot costs, for the samples and for a warehouse of N reports.

    python benchmarks/publish_cost.py --warehouse data/warehouse.duckdb --reports 1000

Takes a loaded warehouse (e.g. the samples), makes a scratch copy grown to --reports reports by
repeating its reports' facts under new keys, and times two ways to publish it:
  copy   file copy + fsync + os.replace (what warehouse/publish.py does)
  attach DuckDB's ATTACH + COPY FROM DATABASE into a fresh file, then os.replace
Prints file sizes and seconds (best of --repeat).
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from warehouse.publish import publish


def grow(source: Path, target: Path, reports: int) -> int:
    """Copy `source` to `target` and repeat its facts until it holds about `reports` reports."""
    shutil.copyfile(source, target)
    os.chmod(target, 0o644)
    with duckdb.connect(str(target)) as con:
        have = con.execute("select count(*) from dim_report").fetchone()[0]
        copies = max(reports // max(have, 1) - 1, 0)
        if copies:
            con.execute(f"""
                insert into dim_report
                select md5(report_key || c), file_name || '#' || c, md5(content_sha256 || c), md5(report_id || c),
                       version, is_current, title, report_year, period_type, publish_date, region_code,
                       region_source, region_reason, char_count, first_loaded_run_id
                from dim_report, range(1, {copies + 1}) t(c)""")
            con.execute(f"""
                insert into fact_indicator by name
                select f.* replace (md5(f.fact_key || c) as fact_key, md5(f.report_key || c) as report_key)
                from fact_indicator f, range(1, {copies + 1}) t(c)""")
        return con.execute("select count(*) from dim_report").fetchone()[0]


def publish_by_attach(writer: Path, published: Path) -> None:
    tmp = published.with_name(f".{published.name}.attach")
    if tmp.exists():
        tmp.unlink()
    con = duckdb.connect()
    con.execute(f"ATTACH '{writer}' AS w (READ_ONLY)")
    con.execute(f"ATTACH '{tmp}' AS p")
    con.execute("COPY FROM DATABASE w TO p")
    con.close()
    os.replace(tmp, published)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--warehouse", type=Path, required=True, help="a loaded warehouse (read only)")
    ap.add_argument("--reports", type=int, nargs="+", default=[5, 1000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for n in args.reports:
            writer = Path(folder) / f"w{n}.duckdb"
            got = grow(args.warehouse, writer, n)
            with duckdb.connect(str(writer), read_only=True) as con:
                facts = con.execute("select count(*) from fact_indicator").fetchone()[0]
            published = Path(folder) / f"p{n}.duckdb"
            copy_s = best(lambda: publish(writer, published), args.repeat)
            attach_s = best(lambda: publish_by_attach(writer, published), args.repeat)
            print(f"{got:>6} reports {facts:>8} facts  file {writer.stat().st_size / 1e6:7.1f} MB  "
                  f"copy+replace {copy_s:6.3f} s  COPY FROM DATABASE {attach_s:6.3f} s "
                  f"(result {published.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

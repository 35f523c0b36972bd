"""kill -9 of `baogao run` at three moments of a multi-chunk run, then a rerun: same warehouse?

    .venv/bin/python benchmarks/kill_rerun.py [--copies 400] [--chunk-size 300] [--at c1 c2+2 0.5]

Builds an inbox of COPIES × the five bundled reports (400 copies: 2,000 files, 7 chunks of
300), loads it once uninterrupted into a reference warehouse (timing the run), then for each
moment AT: a fresh warehouse, `baogao run` killed with SIGKILL at that moment (its process
group too: the temporary Prefect server and the Dask workers it started), then the same command
rerun to the end. A moment is `cK+S` (S seconds after the run logged that chunk K was loaded)
or a fraction of the reference run's wall time. Prints, per table, rows and a
checksum of keys and values (warehouse/checksum.py) and whether they equal the reference; and
the status the rerun gave the killed run. Exits 1 if any warehouse differs. Slow (several full
runs); the machine may be shared: the load average is printed.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ENV = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
       "GX_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "INFO",
       "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}


def _command(inbox: Path, warehouse: Path, chunk_size: int, workers: int | None) -> list[str]:
    cmd = [sys.executable, "-m", "baogao.cli", "run", "--inbox", str(inbox), "--warehouse", str(warehouse),
           "--chunk-size", str(chunk_size)]
    return cmd + (["--workers", str(workers)] if workers is not None else [])


def _kill_moment(moment: str, wall: float) -> tuple[int | None, float]:
    """(chunk number to wait for or None, seconds after it / after the start)."""
    if moment.startswith("c"):
        chunk, _, delay = moment[1:].partition("+")
        return int(chunk), float(delay or 0)
    return None, float(moment) * wall


def _chunk_logged(log: Path, chunk: int) -> bool:
    return re.search(rf"chunk {chunk}: \d+ new files loaded", log.read_text(errors="replace")) is not None


def _run(cmd: list[str], log: Path, kill_at: tuple[int | None, float] | None = None) -> tuple[float, int | None]:
    """Run in its own process group; SIGKILL it at the moment kill_at (None: run to the end)."""
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=ENV, start_new_session=True)
        if kill_at is None:
            proc.wait()
        else:
            chunk, delay = kill_at
            while chunk is not None and proc.poll() is None and not _chunk_logged(log, chunk):
                time.sleep(0.05)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)  # the run itself first, as a crash would
            proc.wait()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # then what it left behind (server, workers)
        except ProcessLookupError:
            pass
    return time.perf_counter() - started, proc.returncode


def _checksums(warehouse: Path) -> dict[str, tuple[int, int]]:
    import duckdb

    from warehouse.checksum import table_checksums

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return table_checksums(con)


def _runs(warehouse: Path) -> list[tuple[str, str]]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT run_id, status FROM etl_run ORDER BY started_at").fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=400)
    ap.add_argument("--chunk-size", type=int, default=300)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--at", nargs="+", default=["c1", "c2+2", "0.5"],
                    help="kill moments: cK+S (S s after chunk K was loaded) or a fraction of the "
                         "uninterrupted run's wall time")
    args = ap.parse_args()
    from benchmarks.pipeline_run import build_inbox

    differs = 0
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        chars = build_inbox(inbox, args.copies)
        print(f"inbox: {args.copies * 5} files, {chars / 1e6:.2f} M characters, chunks of {args.chunk_size}; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        reference = Path(tmp) / "reference" / "warehouse.duckdb"
        wall, code = _run(_command(inbox, reference, args.chunk_size, args.workers), Path(tmp) / "reference.log")
        if code != 0:
            print(f"reference run failed (exit {code}):\n{(Path(tmp) / 'reference.log').read_text()[-2000:]}")
            sys.exit(1)
        expected = _checksums(reference)
        print(f"uninterrupted run: {wall:.1f} s; " + ", ".join(f"{t} {n}" for t, (n, _) in expected.items()), flush=True)
        for i, moment in enumerate(args.at, 1):
            warehouse = Path(tmp) / f"killed{i}" / "warehouse.duckdb"
            cmd = _command(inbox, warehouse, args.chunk_size, args.workers)
            killed_at, code = _run(cmd, Path(tmp) / f"killed{i}.log", kill_at=_kill_moment(moment, wall))
            before = _checksums(warehouse) if warehouse.exists() else {}
            facts_before = before.get("fact_indicator", (0, 0))[0]
            rerun_wall, rerun_code = _run(cmd, Path(tmp) / f"rerun{i}.log")
            got = _checksums(warehouse)
            same = got == expected
            differs += not same
            runs = _runs(warehouse)
            print(f"kill {i} at {moment} ({killed_at:.1f} s, exit {code}): {facts_before} facts were "
                  f"committed; rerun {rerun_wall:.1f} s (exit {rerun_code}); runs {[s for _, s in runs]}; "
                  f"warehouse {'EQUALS' if same else 'DIFFERS FROM'} the uninterrupted run's", flush=True)
            if not same:
                for table in sorted(set(got) | set(expected)):
                    if got.get(table) != expected.get(table):
                        print(f"    {table}: got {got.get(table)} expected {expected.get(table)}")
        print(f"per-table rows and checksums of the uninterrupted run: {expected}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    sys.exit(1 if differs else 0)


if __name__ == "__main__":
    main()

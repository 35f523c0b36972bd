"""Benchmark the whole nightly flow: first run, unchanged rerun, empty flow, memory, vs single process.

    .venv/bin/python benchmarks/pipeline_run.py [--copies 40] [--workers N] [--chunk-size N] [--compare-single] [--pss]

Builds an inbox of COPIES × the five bundled reports (each copy made distinct by a trailing
line, so none is skipped as already loaded), then in one process under Prefect's temporary
local server: an empty flow (server start-up, then a second empty run: the floor of any run),
the nightly flow into a fresh warehouse (first run, all new) and again (unchanged rerun).
--workers 0 runs the single-process path; --compare-single also runs it on the same inbox into
another fresh warehouse and prints the ratio. Prints files/s, facts/s and peak RSS of the main
process, of the Dask workers and in total (sampled every 0.2 s with psutil); with --pss also the
summed PSS (shared library pages counted once). Prints figures;
asserts nothing (speed goals live here, not in tests). The machine may be shared: the load
average is printed with the figures.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from baogao.cli import apply_run_env  # noqa: E402

apply_run_env()  # as `baogao run` does: telemetry off, generous server start-up, allocator settings
SAMPLES = REPO / "data" / "samples"


def build_inbox(folder: Path, copies: int) -> int:
    chars = 0
    for i in range(copies):
        for src in sorted(SAMPLES.glob("*.txt")):
            text = src.read_text(encoding="utf-8") + f"\n(副本 {i})\n"
            (folder / f"{src.stem}_{i:04d}.txt").write_text(text, encoding="utf-8")
            chars += len(text)
    shutil.copy(SAMPLES / "manifest.jsonl", folder / "manifest.jsonl")
    return chars


def _pss(pid: int) -> int:
    """Proportional set size in bytes (a page shared by n processes counts 1/n in each), from
    /proc/<pid>/smaps_rollup; 0 where the kernel does not provide it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler:
    """Peak RSS (MB) of this process, of its Dask worker processes and of the whole tree; and the
    peak of the tree's summed PSS, which counts pages the processes share (polars', DuckDB's and
    Python's libraries, mapped in every process) once instead of once per process."""

    def __init__(self, every: float = 0.2, pss: bool = False) -> None:
        import psutil

        self.me = psutil.Process()
        self.pss = pss  # reading smaps_rollup costs CPU: 10,000 files took 126 s without, 137 s with
        self.every = every
        self.peak = {"main": 0.0, "worker": 0.0, "workers": 0.0, "total": 0.0, "total_pss": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(self.every):
            try:
                main = self.me.memory_info().rss
                pss = _pss(self.me.pid) if self.pss else 0
                workers, others = [], 0
                for child in self.me.children(recursive=True):
                    try:
                        rss = child.memory_info().rss
                        pss += _pss(child.pid) if self.pss else 0
                        if "multiprocessing" in " ".join(child.cmdline()):  # Dask's spawned workers
                            workers.append(rss)
                        else:
                            others += rss  # e.g. Prefect's temporary server
                    except psutil.Error:
                        continue
            except psutil.Error:
                continue
            mb = 1 / 2**20
            for key, value in (("main", main), ("worker", max(workers, default=0)),
                               ("workers", sum(workers)), ("total", main + sum(workers) + others),
                               ("total_pss", pss)):
                self.peak[key] = max(self.peak[key], value * mb)


CPU: dict[str, float] = {}  # CPU seconds (user + sys) of this process and its reaped children, per phase


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn, *args, phase: str = "", **kwargs):
    t, c = time.perf_counter(), _cpu()
    result = fn(*args, **kwargs)
    CPU[phase] = _cpu() - c  # the run's Dask workers are reaped when its cluster closes
    return result, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--batch-size", type=int, default=10)
    ap.add_argument("--chunk-size", type=int, default=None, help="files per chunk (default: the flow's)")
    ap.add_argument("--workers", type=int, default=None, help="Dask workers (default one per core; 0: single process)")
    ap.add_argument("--compare-single", action="store_true", help="also run the single-process path")
    ap.add_argument("--pss", action="store_true",
                    help="also sample the summed PSS (shared pages counted once; slows the runs down)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))

    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        chars = build_inbox(inbox, args.copies)
        files = args.copies * 5
        print(f"inbox: {files} files, {chars / 1e6:.2f} M characters; {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f} (machine may be shared)")

        (_, t_import) = _timed(__import__, "flows.nightly")
        from prefect import flow

        from flows.nightly import nightly

        @flow(name="baogao-empty")
        def empty() -> None:
            return None

        # Imported once per process whichever path runs first: timed apart so both paths compare fairly.
        _, t_gx = _timed(__import__, "great_expectations")
        _, t_extractor = _timed(__import__, "transforms.extract")
        _, t_server = _timed(empty)
        _, t_empty = _timed(empty)
        run = dict(inbox=str(inbox), batch_size=args.batch_size, workers=args.workers,
                   **({"chunk_size": args.chunk_size} if args.chunk_size else {}))
        with MemorySampler(pss=args.pss) as memory:
            first, t_first = _timed(nightly, warehouse=str(Path(tmp) / "warehouse.duckdb"), phase="first", **run)
            second, t_second = _timed(nightly, warehouse=str(Path(tmp) / "warehouse.duckdb"), **run)
        single = None
        if args.compare_single and args.workers != 0:
            single, t_single = _timed(nightly, warehouse=str(Path(tmp) / "single.duckdb"), phase="single",
                                      **{**run, "workers": 0})
        load_after = os.getloadavg()[0]

    workers = "single process" if args.workers == 0 else f"{args.workers or os.cpu_count()} Dask workers"
    facts = first["facts_loaded"]
    print(f"import flows:                {t_import:6.1f} s")
    print(f"import GX, extractor:        {t_gx:6.1f} s, {t_extractor:.1f} s  (once per process; not in the runs below)")
    print(f"empty flow, first:           {t_server:6.1f} s  (starts Prefect's temporary server)")
    print(f"empty flow:                  {t_empty:6.1f} s  (server up: the floor of any run)")
    print(f"first run (all new):         {t_first:6.1f} s  {workers}; {files / t_first:.1f} files/s, "
          f"{facts / t_first:.0f} facts/s; {facts} facts loaded, {first['facts_quarantined']} quarantined, "
          f"{first['files_failed']} files failed; {CPU['first']:.0f} CPU-s incl. workers")
    print(f"unchanged rerun:             {t_second:6.1f} s  = empty flow + {t_second - t_empty:.1f} s; "
          f"files new {second['files_new']}, unchanged {second['files_unchanged']}")
    if single is not None:
        print(f"single process, same inbox:  {t_single:6.1f} s  {files / t_single:.1f} files/s, "
              f"{single['facts_loaded'] / t_single:.0f} facts/s; {single['facts_loaded']} facts loaded; "
              f"{CPU['single']:.0f} CPU-s; ratio single / parallel wall time = {t_single / t_first:.2f}")
    print(f"peak RSS, main process:      {memory.peak['main']:6.0f} MB  (ru_maxrss over the whole "
          f"benchmark: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    print(f"peak RSS, Dask workers:      {memory.peak['worker']:6.0f} MB  largest worker; "
          f"{memory.peak['workers']:.0f} MB all workers")
    print(f"peak RSS, total:             {memory.peak['total']:6.0f} MB  (main + workers + Prefect server)")
    if args.pss:
        print(f"peak PSS, total:             {memory.peak['total_pss']:6.0f} MB  (the same processes, shared pages "
              "counted once)")
    print(f"load average after:          {load_after:6.1f}")


if __name__ == "__main__":
    main()

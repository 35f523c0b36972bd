"""Which way to put extraction on Dask under Prefect's temporary server: the measurement.

    .venv/bin/python benchmarks/dask_choice.py [--copies 40] [--workers 2] [--batch-size 10]

Three flows extract the same inbox (COPIES × the five bundled reports), each in a fresh Python
process that first runs an empty flow (so the temporary server's start-up is not counted):
  single   one Prefect task extracts every file in this process (the single-process path);
  runner   prefect-dask's DaskTaskRunner, one Prefect task per batch mapped on a LocalCluster;
  client   one Prefect task calls dask.distributed (flows/parallel.py) on a LocalCluster.
Prints the flow's wall time and the facts extracted (which must be equal). Asserts nothing.
Needs the 'bench' extra (prefect-dask).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# as `baogao run` does: on a busy machine the temporary server needs more than the default 20 s
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _variant(kind: str, inbox: Path, workers: int, batch_size: int) -> dict:
    """Runs in its own process: warm the server, then time one flow of the given kind."""
    from prefect import flow, task, unmapped
    from prefect.cache_policies import NO_CACHE

    from flows.batch import process_files
    from flows.inbox import batches, list_inbox
    from flows.parallel import ClusterSpec, extract_chunks
    from transforms.regions import RegionIndex
    from transforms.report_meta import load_manifest

    @flow(name="warm-up")
    def warm() -> None:
        return None

    @task(cache_policy=NO_CACHE)
    def extract_batch(files, manifest):
        return process_files(files, manifest, RegionIndex.load())

    @task(cache_policy=NO_CACHE)
    def extract_with_client(files, manifest, spec):
        return [o for chunk in extract_chunks(files, manifest, spec, batch_size=batch_size) for o in chunk]

    def count(outputs) -> int:
        return sum(f.height for o in outputs for f in o.facts)

    files, manifest = list_inbox(inbox), load_manifest(inbox)
    t0 = time.perf_counter()
    warm()
    t_server = time.perf_counter() - t0

    if kind == "runner":
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None})

        @flow(name="extract-runner", task_runner=runner)
        def run() -> int:
            futures = extract_batch.map(batches(files, batch_size), unmapped(manifest))
            return count(f.result() for f in futures)
    elif kind == "client":
        @flow(name="extract-client")
        def run() -> int:
            return count(extract_with_client(files, manifest, ClusterSpec(workers=workers)))
    else:
        @flow(name="extract-single")
        def run() -> int:
            return count(extract_with_client(files, manifest, ClusterSpec(workers=0)))

    t1 = time.perf_counter()
    facts = run()
    return {"kind": kind, "server_s": t_server, "flow_s": time.perf_counter() - t1, "facts": facts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=10)
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    ap.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(_variant(args.variant, args.inbox, args.workers, args.batch_size)))
        return

    from benchmarks.pipeline_run import build_inbox

    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        chars = build_inbox(inbox, args.copies)
        print(f"inbox: {args.copies * 5} files, {chars / 1e6:.2f} M characters; "
              f"{args.workers} workers, batches of {args.batch_size}; load {os.getloadavg()[0]:.1f}")
        for kind in ("single", "runner", "client"):
            # Files, not pipes: a temporary server left behind by a variant would hold a pipe open.
            out, err = Path(tmp) / f"{kind}.out", Path(tmp) / f"{kind}.err"
            with out.open("w") as stdout, err.open("w") as stderr:
                proc = subprocess.run(
                    [sys.executable, __file__, "--variant", kind, "--inbox", str(inbox),
                     "--workers", str(args.workers), "--batch-size", str(args.batch_size)],
                    stdout=stdout, stderr=stderr, env={**os.environ, "PYTHONPATH": str(REPO)})
            lines = [line for line in out.read_text().splitlines() if line.startswith("{")]
            if proc.returncode or not lines:
                print(f"{kind:7s} failed (exit {proc.returncode}): {err.read_text().strip()[-600:]}")
                continue
            r = json.loads(lines[-1])
            print(f"{kind:7s} flow {r['flow_s']:6.1f} s  ({r['facts']} facts; temporary server "
                  f"{r['server_s']:.1f} s before it)")


if __name__ == "__main__":
    main()

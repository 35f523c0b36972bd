"""Extraction on all cores: batches of files (flows.batch.process_files) on a Dask cluster.

`dask.distributed` is called from the flow rather than through prefect-dask's DaskTaskRunner:
measured on this 2-core machine under the temporary Prefect server (benchmarks/dask_choice.py,
200 files, 2 workers, batches of 10): single process 6.3 s, dask.distributed from a task 9.2 s,
DaskTaskRunner 24.2 s (load 4.7) and 93.5 s (load 7-10): with the task runner every batch is a
Prefect task run that its worker process reports to the API, seconds each on a busy machine;
called directly, Dask's own per-task cost is milliseconds and Prefect sees one step.

Workers never touch DuckDB: they return frames (BatchOutput) and the flow's single writer loads
them. By default a local cluster of one single-threaded worker process per core is started for
the run; `address` (or BAOGAO_DASK_ADDRESS) sends the same work to an existing scheduler.

Per-file time budget: each worker stops a file that runs past its budget (flows.batch); a file
that does not yield ends its worker process (the nanny starts a new one). A file stuck in C code
that holds the GIL starves that in-process watchdog too, so the client also watches each task and
restarts the worker of one that outlives its files' budgets. The batch that lost its worker is
then retried one file per task, so the file that kills a worker fails alone, recorded with stage
`worker`, and the other files of its batch are extracted.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flows.batch import (DEFAULT_FILE_SECONDS, HARD_STOP_GRACE_SECONDS, BatchOutput, failure_row,
                         process_files)
from flows.inbox import InboxFile, batches

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger(__name__)

DASK_ADDRESS_ENV = "BAOGAO_DASK_ADDRESS"
# Files per chunk (extracted, validated and loaded together). Memory follows the chunk, time the
# number of chunks (each costs the writer ~1.4 CPU-s, mostly Great Expectations' fixed cost).
# Measured on 10,000 files (benchmarks/pipeline_run.py --chunk-size): 500 → 108–126 s, peak RSS
# in total 1.96–2.0 GB; 300 → 129 s, 1.85 GB; 250 → 138 s, 1.81 GB.
DEFAULT_CHUNK_SIZE = 300
# Exit status of a worker process ended by its file watchdog (seen in the nanny's log).
BUDGET_EXIT_STATUS = 70


@dataclass(frozen=True)
class ClusterSpec:
    """Where extraction runs.

    workers: worker processes of the local cluster (None: one per core); 0 means no Dask at
      all: extract in this process (the single-process path).
    address: an existing Dask scheduler (tcp://host:8786); then `workers` is not used.
    file_seconds: the per-file time budget.
    """
    workers: int | None = None
    address: str | None = None
    file_seconds: float = DEFAULT_FILE_SECONDS

    @classmethod
    def from_options(cls, workers: int | None = None, address: str | None = None,
                     file_seconds: float | None = None) -> "ClusterSpec":
        """Options as given on the command line; the address falls back to BAOGAO_DASK_ADDRESS."""
        return cls(workers=workers, address=address or os.environ.get(DASK_ADDRESS_ENV) or None,
                   file_seconds=DEFAULT_FILE_SECONDS if file_seconds is None else file_seconds)

    @property
    def in_process(self) -> bool:
        return self.address is None and self.workers == 0

    def local_workers(self) -> int:
        return self.workers if self.workers else (os.cpu_count() or 1)


def _end_worker_process(file_name: str) -> None:
    """Hard stop of a worker whose file ignored the cooperative stop (its nanny restarts it)."""
    print(f"baogao: {file_name} exceeded its time budget and did not stop; ending this worker "
          f"process (pid {os.getpid()})", file=sys.stderr, flush=True)
    os._exit(BUDGET_EXIT_STATUS)


def extract_on_worker(files: list[InboxFile], manifest: dict[str, dict], file_seconds: float) -> BatchOutput:
    """The task each Dask worker runs: one batch through decode → metadata → extract."""
    from transforms.regions import RegionIndex  # cached per worker process

    return process_files(files, manifest, RegionIndex.load(), file_seconds=file_seconds,
                         hard_stop=_end_worker_process)


@contextmanager
def dask_client(spec: ClusterSpec) -> Iterator["Client"]:
    """A client of the spec's cluster: the existing scheduler, or a local cluster for this run."""
    import dask
    from distributed import Client, LocalCluster

    # Prefect's INFO logging would otherwise print Dask's start/stop chatter (~40 lines a run).
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.core",
                 "distributed.worker", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if spec.address:
        with Client(spec.address, set_as_default=False) as client:
            yield client
        return
    # allowed-failures 0: a batch whose worker died is not rerun as a whole (it would kill the
    # next worker too); the flow retries its files one by one instead. worker-saturation 1.0:
    # a worker holds only the task it runs, so a dying worker takes no queued batch with it.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0,
                          "distributed.worker.daemon": False,
                          "distributed.admin.system-monitor.gil.enabled": False}):
        with LocalCluster(n_workers=spec.local_workers(), threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                Client(cluster, set_as_default=False) as client:
            yield client


def _entries(manifest: dict[str, dict], files: list[InboxFile]) -> dict[str, dict]:
    """The manifest lines of these files only: each task ships what it needs, not the whole manifest."""
    return {f.file_name: manifest[f.file_name] for f in files if f.file_name in manifest}


def _killed_worker(exc: BaseException) -> bool:
    from distributed.scheduler import KilledWorker

    return isinstance(exc, KilledWorker)


def _wait_restarting_stuck_workers(client: "Client", futures: list[Any], groups: list[list[InboxFile]],
                                   file_seconds: float, poll: float = 0.5) -> None:
    """Wait for every future; restart the worker of a task running longer than its files' budgets.

    A task's clock starts when the scheduler first shows it processing on a worker (a worker runs
    one task at a time: threads_per_worker=1, worker-saturation 1.0).
    """
    limits = {f.key: file_seconds * len(g) + 2 * HARD_STOP_GRACE_SECONDS for f, g in zip(futures, groups)}
    running_since: dict[Any, float] = {}
    while not all(f.done() for f in futures):
        time.sleep(poll)
        now = time.monotonic()
        for worker, keys in client.processing().items():
            for key in keys:
                if key not in limits:
                    continue
                started = running_since.setdefault(key, now)
                if now - started > limits[key]:
                    log.warning("task %s ran %.0f s, past its files' time budget: restarting worker %s",
                                key, now - started, worker)
                    limits.pop(key)
                    client.restart_workers([worker], raise_for_error=False)


def _resolve(client: "Client", futures: list[Any], groups: list[list[InboxFile]],
             manifest: dict[str, dict], file_seconds: float) -> list[BatchOutput]:
    """Results of `futures` in order; a batch whose worker died is retried one file at a time."""
    _wait_restarting_stuck_workers(client, futures, groups, file_seconds)
    outputs: list[BatchOutput] = []
    for future, group in zip(futures, groups):
        try:
            outputs.append(future.result())
            continue
        except Exception as error:  # noqa: BLE001 - the batch's files are recorded, the run goes on
            exc = error
        if len(group) > 1 and _killed_worker(exc):
            log.warning("a worker died on a batch of %d files; retrying them one by one", len(group))
            singles = [client.submit(extract_on_worker, [f], _entries(manifest, [f]), file_seconds, pure=False)
                       for f in group]
            outputs.extend(_resolve(client, singles, [[f] for f in group], manifest, file_seconds))
            continue
        stage = "worker" if _killed_worker(exc) else "extract"
        reason = (RuntimeError(f"its worker process ended (per-file time budget of {file_seconds:g} s "
                               f"exceeded without stopping, or a crash): {exc}")
                  if _killed_worker(exc) else exc)
        outputs.append(BatchOutput(failures=[failure_row(f, stage, reason) for f in group]))
    return outputs


def extract_chunks(files: list[InboxFile], manifest: dict[str, dict], spec: ClusterSpec,
                   chunk_size: int = DEFAULT_CHUNK_SIZE, batch_size: int = 10) -> Iterator[list[BatchOutput]]:
    """Extract `files` chunk by chunk; yields each chunk's batch outputs in file order.

    The next chunk is already submitted while the caller validates and loads this one, so the
    workers never wait for the writer; at most two chunks of results are held at once.
    """
    chunks = batches(files, chunk_size)
    if not chunks:
        return
    # A local cluster takes ~5 s to start here: not worth it for one batch, unless asked for.
    one_batch = spec.workers is None and spec.address is None and len(files) <= batch_size
    if spec.in_process or one_batch:
        from transforms.regions import RegionIndex

        regions = RegionIndex.load()
        for chunk in chunks:
            yield [process_files(group, manifest, regions, file_seconds=spec.file_seconds)
                   for group in batches(chunk, batch_size)]
        return
    with dask_client(spec) as client:

        def submit(chunk: list[InboxFile]) -> tuple[list[Any], list[list[InboxFile]]]:
            groups = batches(chunk, batch_size)
            return [client.submit(extract_on_worker, g, _entries(manifest, g), spec.file_seconds, pure=False)
                    for g in groups], groups

        pending = submit(chunks[0])
        for i in range(len(chunks)):
            current = pending
            if i + 1 < len(chunks):
                pending = submit(chunks[i + 1])
            yield _resolve(client, current[0], current[1], manifest, spec.file_seconds)
            for future in current[0]:
                future.release()

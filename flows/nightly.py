"""The nightly flow: inbox → extract → normalise → validate → DuckDB → data-quality report.

Flows orchestrate only; every step's logic lives in transforms/, expectations/ or warehouse/.
Tasks take batches of files (per-task overhead is 10–90 ms here), never one fact or sentence.
"""
from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.batch import BatchOutput, process_files
from flows.inbox import InboxFile, batches, list_inbox, split_new_and_known
from transforms.regions import RegionIndex
from transforms.report_meta import load_manifest
from warehouse import db, load, publish
from warehouse.keys import report_key
from warehouse.star import StarFrames, build_star

if TYPE_CHECKING:
    from expectations.validate import ValidationOutcome

# Every step reads the inbox or the warehouse, so a cached result would be stale; and hashing
# dataframes to build cache keys costs time for nothing.
step = partial(task, cache_policy=NO_CACHE)


@dataclass
class RunSummary:
    run_id: str
    status: str
    files_seen: int
    files_new: int
    files_unchanged: int
    files_failed: int
    facts_loaded: int
    facts_quarantined: int
    dq_report: str | None
    warehouse: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@step(name="discover inbox", retries=2, retry_delay_seconds=2)
def discover(inbox: Path, warehouse: Path) -> tuple[list[InboxFile], list[tuple[InboxFile, str]], set[str]]:
    """List the inbox and split off content the warehouse already holds (retried: network shares).

    Also returns the file names already loaded: new content under such a name is a new version.
    """
    files = list_inbox(inbox)
    known_hashes: set[str] = set()
    known_names: set[str] = set()
    if warehouse.exists():
        with db.connect(warehouse, read_only=True) as con:
            known_hashes, known_names = db.known_content_hashes(con), db.known_file_names(con)
    new, skipped = split_new_and_known(files, known_hashes)
    return new, skipped, known_names


@step(name="read manifest")
def read_manifest(inbox: Path) -> tuple[dict[str, dict], list[dict]]:
    """The inbox manifest, if any; a broken manifest is recorded and inference takes over."""
    try:
        return load_manifest(inbox), []
    except Exception as exc:  # noqa: BLE001 - recorded as a failed file, the run goes on
        return {}, [{"file_name": "manifest", "path": str(inbox), "content_sha256": None,
                     "stage": "manifest", "error": f"{type(exc).__name__}: {exc}"}]


@step(name="extract batch", retries=1, retry_delay_seconds=1)
def extract_batch(files: list[InboxFile], manifest: dict[str, dict]) -> BatchOutput:
    """Decode, describe and extract one batch of files."""
    return process_files(files, manifest, RegionIndex.load())


@step(name="build star schema frames")
def build_frames(outputs: list[BatchOutput]) -> StarFrames:
    """Normalise the batch outputs into fact and dimension frames with stable hash keys."""
    reports = [r for o in outputs for r in o.reports]
    facts = [f for o in outputs for f in o.facts]
    return build_star(facts, reports, RegionIndex.load().frame())


@step(name="validate with Great Expectations")
def validate(frames: StarFrames, run_id: str, docs_dir: Path) -> ValidationOutcome:
    from expectations.validate import validate_run  # GX imports in 4–5 s: only when validating

    return validate_run(frames.facts, frames.dims, frames.dims["dim_report"], run_id, docs_dir)


@step(name="load warehouse", retries=2, retry_delay_seconds=3)
def load_warehouse(warehouse: Path, run: dict, files: pl.DataFrame, frames: StarFrames,
                   outcome: ValidationOutcome) -> dict[str, int]:
    """One transaction per run: all of it lands or none of it (retried: the file may be locked)."""
    with db.connect(warehouse) as con:
        dims = {name: frame for name, frame in frames.dims.items() if name != "dim_report"}
        return load.load_run(con, run, files, frames.dims["dim_report"], outcome.passed_facts,
                             outcome.quarantined, dims, outcome.results)


@step(name="write data-quality report")
def write_report(docs_dir: Path, run: dict, files: pl.DataFrame, outcome: ValidationOutcome,
                 reports: list[dict], warehouse: Path) -> Path:
    from expectations.site import write_run_pages

    return write_run_pages(docs_dir.parent, run, files, outcome.results, outcome.quarantined, reports, warehouse)


def _files_frame(run_id: str, new: list[InboxFile], skipped: list[tuple[InboxFile, str]],
                 outputs: list[BatchOutput], extra_failures: list[dict], known_names: set[str]) -> pl.DataFrame:
    failed = {f["file_name"]: f for o in outputs for f in o.failures}
    reports = {r["file_name"]: r for o in outputs for r in o.reports}
    rows = []
    for f in new:
        if f.file_name in failed:
            rows.append({"file_name": f.file_name, "file_path": f.path, "content_sha256": f.content_sha256,
                         "status": "failed", "stage": failed[f.file_name]["stage"],
                         "error": failed[f.file_name]["error"], "report_key": None, "facts": 0})
        else:
            r = reports[f.file_name]
            rows.append({"file_name": f.file_name, "file_path": f.path, "content_sha256": f.content_sha256,
                         "status": "new_version" if f.file_name in known_names else "new",
                         "stage": "load", "error": None,
                         "report_key": report_key(f.content_sha256), "facts": r["facts"]})
    for f, why in skipped:
        rows.append({"file_name": f.file_name, "file_path": f.path, "content_sha256": f.content_sha256,
                     "status": "unchanged", "stage": "discover", "error": why,
                     "report_key": report_key(f.content_sha256), "facts": 0})
    for x in extra_failures:
        rows.append({"file_name": x["file_name"], "file_path": x["path"], "content_sha256": x["content_sha256"],
                     "status": "failed", "stage": x["stage"], "error": x["error"], "report_key": None, "facts": 0})
    schema = {"file_name": pl.Utf8, "file_path": pl.Utf8, "content_sha256": pl.Utf8, "status": pl.Utf8,
              "stage": pl.Utf8, "error": pl.Utf8, "report_key": pl.Utf8, "facts": pl.Int64}
    return pl.DataFrame(rows, schema=schema).with_columns(pl.lit(run_id).alias("run_id"))


def new_run_id(now: datetime) -> str:
    """Sortable and unique: UTC time of the run plus a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


@flow(name="baogao-nightly", log_prints=True)
def nightly(inbox: str, warehouse: str, batch_size: int = 25) -> dict:
    """Load every new report in `inbox` into the DuckDB file `warehouse`; return the run summary."""
    logger = get_run_logger()
    inbox_path, published_path = Path(inbox).resolve(), Path(warehouse).resolve()
    warehouse_path = publish.prepare_writer(published_path)  # the run writes its own file (publish.py)
    started = datetime.now(timezone.utc)
    run_id = new_run_id(started)
    docs_dir = warehouse_path.parent / "quality" / run_id

    new, skipped, known_names = discover(inbox_path, warehouse_path)
    logger.info("inbox %s: %d new, %d unchanged", inbox_path, len(new), len(skipped))
    manifest, manifest_failures = read_manifest(inbox_path)

    outputs: list[BatchOutput] = []
    for i, batch in enumerate(batches(new, batch_size), 1):
        outputs.append(extract_batch(batch, manifest))
        logger.info("batch %d: %d files, %d facts, %d failed", i, len(batch),
                    sum(f.height for f in outputs[-1].facts), len(outputs[-1].failures))

    frames = build_frames(outputs)
    outcome = validate(frames, run_id, docs_dir)
    files = _files_frame(run_id, new, skipped, outputs, manifest_failures, known_names)
    files_failed = files.filter(pl.col("status") == "failed").height
    run = {
        "run_id": run_id, "started_at": started, "inbox": str(inbox_path),
        "status": "success" if files_failed == 0 else "partial",
        "files_seen": len(new) + len(skipped), "files_new": len(new) - sum(len(o.failures) for o in outputs),
        "files_unchanged": len(skipped), "files_failed": files_failed,
        # one quarantine row per failing expectation: count facts, not rows
        "facts_quarantined": outcome.quarantined.get_column("fact_key").n_unique() if outcome.quarantined.height else 0,
        "flow_run_id": str(flow_run.get_id() or ""),
    }
    report = docs_dir / "report.html"
    run["dq_report_path"] = str(report)
    try:
        counts = load_warehouse(warehouse_path, run, files, frames, outcome)
        run["facts_loaded"] = counts.get("fact_indicator", 0)  # inserted, not merely validated
        publish.publish(warehouse_path, published_path)  # readers now see this run, atomically
    except Exception as exc:
        run.update(status="failed", facts_loaded=0)
        with db.connect(warehouse_path) as con:
            load.record_run_failure(con, run, files, error=f"load failed: {type(exc).__name__}: {exc}")
        raise
    finally:
        write_report(docs_dir, run, files, outcome, [r for o in outputs for r in o.reports], published_path)
    logger.info("run %s loaded %d facts (%d quarantined); data-quality report: %s",
                run_id, run["facts_loaded"], run["facts_quarantined"], report)
    return RunSummary(
        run_id=run_id, status=run["status"], files_seen=run["files_seen"], files_new=run["files_new"],
        files_unchanged=run["files_unchanged"], files_failed=files_failed,
        facts_loaded=run["facts_loaded"], facts_quarantined=run["facts_quarantined"],
        dq_report=str(report), warehouse=str(published_path),
    ).as_dict()


def nightly_deployment(inbox: Path, warehouse: Path, cron: str = "0 2 * * *", timezone: str = "Asia/Shanghai"):
    """The nightly deployment `baogao serve` serves (prefect.yaml declares the same one)."""
    from prefect.client.schemas.schedules import CronSchedule

    return nightly.to_deployment(
        name="nightly",
        schedule=CronSchedule(cron=cron, timezone=timezone),
        parameters={"inbox": str(inbox.resolve()), "warehouse": str(warehouse.resolve())},
        description="Load every new work report in the inbox into the DuckDB warehouse, validated.",
    )

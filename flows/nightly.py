"""The nightly flow: inbox → raw layer → derive → validate → DuckDB → data-quality report.

Flows orchestrate only; every step's logic lives in transforms/, expectations/ or warehouse/.
Tasks take batches of files (per-task overhead is 10–90 ms here), never one fact or sentence.

Shape of a run:
  1. open: the run is recorded as `running` (runs a dead process left `running` become
     `interrupted`); the fingerprints of the code are compared with those that built the loaded
     reports;
  2. new files, chunk by chunk: decode → metadata → extract → star rows → validate → load
     (one transaction per chunk: raw text, report versions, facts, quarantine, records);
  3. stale reports (built by another extractor, catalogue or corrections file, or forced by
     `baogao rebuild`), chunk by chunk: re-derived from raw_report, each report's facts replaced
     atomically; a report whose rebuild fails keeps its facts and records why;
  4. close: corrections' outcomes, the data-quality report, the run's final status.
"""
from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows.batch import BatchOutput, RawText, rebuild_reports
from flows.inbox import DEFAULT_MAX_FILE_BYTES, InboxFile, batches, scan_inbox, split_new_and_known
from flows.parallel import DEFAULT_CHUNK_SIZE, ClusterSpec, extract_chunks
from transforms.manifest import issue_failures, read_manifest as read_inbox_manifest
from transforms.regions import RegionIndex
from warehouse import db, load, publish
from warehouse.contracts import table
from warehouse.corrections import (Correction, CorrectionsError, correction_rows, corrections_path,
                                   load_corrections)
from warehouse.fingerprints import Fingerprints, current
from warehouse.keys import report_key as content_report_key, text_sha256
from warehouse.star import build_star

# Every step reads the inbox or the warehouse, so a cached result would be stale; and hashing
# dataframes to build cache keys costs time for nothing.
step = partial(task, cache_policy=NO_CACHE)


class RunFailed(RuntimeError):
    """The run could not load; it is recorded as failed. `summary` is the run summary."""

    def __init__(self, message: str, summary: dict) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass
class RunSummary:
    run_id: str
    status: str
    files_seen: int
    files_new: int
    files_unchanged: int
    files_duplicate: int
    files_failed: int
    reports_rebuilt: int
    rebuild_reason: str | None
    rebuilds_failed: int
    facts_loaded: int
    facts_quarantined: int
    corrections_applied: int
    corrections_unmatched: int
    dq_report: str | None
    warehouse: str
    error: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RunState:
    """What the warehouse says at the start of a run."""
    known_hashes: set[str]
    text_hashes: dict[str, str]                      # text_sha256 → report_key
    stale: dict[str, list[str]] = field(default_factory=dict)  # report_key → why it is rebuilt
    interrupted: list[str] = field(default_factory=list)


# ───────────────────────────── steps ─────────────────────────────

@step(name="open run")
def open_run(warehouse: Path, run: dict, prints: Fingerprints, force: bool, only: list[str] | None) -> RunState:
    """Record the run as running and read what decides the run's work."""
    with db.connect(warehouse) as con:
        interrupted = load.mark_interrupted(con, "the process ended before the run finished (killed or crashed)")
        load.start_run(con, run)
        state = RunState(known_hashes=db.known_content_hashes(con), text_hashes=db.known_text_hashes(con),
                         interrupted=interrupted)
        state.stale = stale_reports(con, prints, force, only)
    return state


def stale_reports(con: Any, prints: Fingerprints, force: bool, only: list[str] | None) -> dict[str, list[str]]:
    """report_key → reasons, for report versions whose facts another code version made (or all
    of them, or those named in `only`, when forced)."""
    rows = con.execute(
        "SELECT r.report_key, r.content_sha256, r.file_names, d.report_id, b.extractor_fingerprint, "
        "b.catalogue_fingerprint, b.corrections_fingerprint, b.status IS NULL "
        "FROM raw_report AS r LEFT JOIN report_build AS b USING (report_key) "
        "LEFT JOIN dim_report AS d USING (report_key) ORDER BY r.report_key"
    ).fetchall()
    out: dict[str, list[str]] = {}
    for key, sha, names, rid, ext, cat, corr, never_built in rows:
        if only is not None:
            if not ({key, sha, rid} | set(names or [])) & set(only):
                continue
            out[key] = ["forced"]
        elif force:
            out[key] = ["forced"]
        elif never_built:
            out[key] = ["never built"]
        else:
            why = prints.changed(ext, cat, corr)
            if why:
                out[key] = why
    return out


@step(name="discover inbox", retries=2, retry_delay_seconds=2)
def discover(inbox: Path, known_hashes: set[str], max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
             ) -> tuple[list[InboxFile], list[tuple[InboxFile, str]], list[dict]]:
    """List the inbox (recursively) and split off content the warehouse already holds (retried:
    network shares); plus a failure row for every entry that cannot be read as a report (FIFO,
    bad symlink, too large …)."""
    scan = scan_inbox(inbox, max_file_bytes)
    new, skipped = split_new_and_known(scan.files, known_hashes)
    return new, skipped, [p.as_failure() for p in scan.problems]


@step(name="read manifest")
def read_manifest(inbox: Path, file_names: list[str]) -> tuple[dict[str, dict], list[dict]]:
    """The inbox manifest, if any: each bad line is recorded, the good ones are used."""
    manifest = read_inbox_manifest(inbox, RegionIndex.load())
    entries, issues = manifest.for_files(file_names)
    return entries, issue_failures(manifest.issues + issues)


def read_raw(warehouse: Path, report_keys: list[str]) -> list[RawText]:
    """The raw layer of report versions to rebuild."""
    with db.connect(warehouse, read_only=True) as con:
        con.register("_keys", pl.DataFrame({"report_key": report_keys}))
        rows = con.execute(
            "SELECT content_sha256, file_name, text, encoding, file_format, size_bytes, doc_meta, manifest_entry "
            "FROM raw_report WHERE report_key IN (SELECT report_key FROM _keys) ORDER BY report_key"
        ).fetchall()
    return [RawText(content_sha256=r[0], file_name=r[1], path=f"raw_report:{r[0]}", text=r[2], encoding=r[3],
                    file_format=r[4], size_bytes=r[5], doc_meta=_from_json(r[6]),
                    manifest_entry=_manifest_from_json(r[7])) for r in rows]


@step(name="report interrupted runs")
def report_interrupted(warehouse: Path, run_ids: list[str]) -> None:
    """Every recorded run has a data-quality report: an interrupted run's says what is known."""
    from expectations.report import write_quality_report

    with db.connect(warehouse, ensure=False) as con:
        for run_id in run_ids:
            docs_dir = warehouse.parent / "quality" / run_id
            row = con.execute("SELECT * FROM etl_run WHERE run_id = ?", [run_id]).fetchall()
            names = [d[0] for d in con.description]
            run = {**dict(zip(names, row[0])), **load.run_counts(con, run_id)}
            files = con.sql(f"SELECT * FROM etl_file WHERE run_id = '{run_id}' ORDER BY file_path").pl()
            path = write_quality_report(docs_dir, run, files, pl.DataFrame(), pl.DataFrame())
            con.execute("UPDATE etl_run SET dq_report_path = ? WHERE run_id = ?", [str(path), run_id])


@step(name="write data-quality report")
def write_report(docs_dir: Path, run: dict, files: pl.DataFrame, results: pl.DataFrame,
                 quarantined: pl.DataFrame, corrections: pl.DataFrame, reports: list[dict],
                 warehouse: Path, rebuilt_keys: list[str]) -> Path:
    """The run's page of the data-quality site, the viewer pages of its reports, the runs index."""
    from expectations.site import write_run_pages

    return write_run_pages(docs_dir.parent, run, files, results, quarantined, reports, warehouse, corrections,
                           rebuilt_keys)


@step(name="publish snapshot")
def publish_snapshot(writer: Path, published: Path) -> None:
    """Readers see this run's complete state, atomically (warehouse/publish.py)."""
    publish.publish(writer, published)


# ───────────────────────────── helpers (pure) ─────────────────────────────

def _from_json(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


def _manifest_from_json(text: str | None) -> dict | None:
    entry = _from_json(text)
    if entry and isinstance(entry.get("publish_date"), str):
        entry["publish_date"] = date.fromisoformat(entry["publish_date"])
    return entry


def new_run_id(now: datetime) -> str:
    """Sortable and unique: UTC time of the run plus a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def _frame(rows: list[dict], name: str) -> pl.DataFrame:
    schema = table(name).polars_schema()
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def _file_row(f: InboxFile | None, status: str, stage: str, *, error: str | None = None,
              report_key: str | None = None, duplicate_of: str | None = None, facts: int = 0,
              run_id: str, **where: Any) -> dict:
    return {"run_id": run_id, "file_path": f.path if f else where["path"], "file_name": f.file_name if f else where["file_name"],
            "content_sha256": f.content_sha256 if f else where.get("content_sha256"), "status": status, "stage": stage,
            "error": error, "report_key": report_key, "duplicate_of": duplicate_of, "facts": facts}


@dataclass
class ChunkResult:
    load: load.ChunkLoad | None    # None once loaded
    results: pl.DataFrame
    quarantined: pl.DataFrame
    matches: dict[str, int]
    built_names: dict[str, set[str]]
    report_rows: list[dict]        # metadata of the built reports and how it was decided (no raw text)


def _plan_chunk(run_id: str, chunk_no: int, outputs: list[BatchOutput], files: dict[str, InboxFile],
                state: RunState, prints: Fingerprints, corrections: list[Correction],
                regions: pl.DataFrame, docs_dir: Path, rebuild: bool) -> ChunkResult:
    """Turn derived batches into one chunk's load: duplicates set aside, star rows, validation."""
    reports, facts, failures = [], [], []
    for o in outputs:
        reports += o.reports
        facts += o.facts
        failures += o.failures
    file_rows: list[dict] = []
    raw_rows: list[dict] = []
    kept_reports, kept_facts = [], []
    for rep, fct in zip(reports, facts):
        raw: RawText = rep["raw"]
        key = content_report_key(raw.content_sha256)
        if not rebuild:
            text_hash = text_sha256(raw.text)
            duplicate_of = state.text_hashes.get(text_hash)
            if duplicate_of is not None and duplicate_of != key:
                file_rows.append(_file_row(files[raw.path], "duplicate", "discover", run_id=run_id,
                                           duplicate_of=duplicate_of,
                                           error=f"same text as report {duplicate_of} (another encoding or format)"))
                continue
            state.text_hashes[text_hash] = key
            raw_rows.append(raw.raw_row(text_hash))
            file_rows.append(_file_row(files[raw.path], "new", "load", run_id=run_id, report_key=key,
                                       facts=fct.height))
        kept_reports.append(rep)
        kept_facts.append(fct)
    build_rows: list[dict] = []
    for fail in failures:
        raw = fail.get("raw")
        key = content_report_key(fail["content_sha256"]) if fail.get("content_sha256") else None
        if raw is not None and key is not None:
            if not rebuild:
                raw_rows.append(raw.raw_row())  # lands, so a fixed extractor can rebuild it
            build_rows.append({"report_key": key, "content_sha256": raw.content_sha256, "status": "failed",
                               "stage": fail["stage"], "error": fail["error"],
                               "extractor_fingerprint": prints.extractor, "catalogue_fingerprint": prints.catalogue,
                               "corrections_fingerprint": prints.corrections})
        if not rebuild:
            file_rows.append(_file_row(files.get(fail["path"]), "failed", fail["stage"], run_id=run_id,
                                       error=fail["error"], report_key=key if raw is not None else None,
                                       path=fail["path"], file_name=fail["file_name"],
                                       content_sha256=fail["content_sha256"]))
    names = {content_report_key(r["raw"].content_sha256): {r["raw"].file_name, r["raw"].content_sha256}
             for r in kept_reports}
    frames = build_star(kept_facts, kept_reports, regions, prints, corrections, names)
    from expectations.validate import validate_run  # GX imports in 4–5 s: only when validating

    outcome = validate_run(frames.facts, frames.dims, frames.dims["dim_report"], run_id) \
        if frames.facts.height or kept_reports else None
    passed = outcome.passed_facts if outcome else frames.facts
    quarantine_cols = table("fact_indicator").frame_columns + ["expectation", "reason"]
    quarantined = outcome.quarantined.select(quarantine_cols) if outcome and outcome.quarantined.height else None
    if frames.rejected is not None:
        quarantined = frames.rejected if quarantined is None else pl.concat([quarantined, frames.rejected])
    q_counts = (quarantined.filter(pl.col("expectation") != "analyst_correction")
                .group_by("report_key").agg(pl.col("fact_key").n_unique().alias("n"))
                if quarantined is not None else pl.DataFrame(schema={"report_key": pl.Utf8, "n": pl.UInt32}))
    q_by_report = dict(q_counts.iter_rows())
    f_by_report = dict(passed.group_by("report_key").len().iter_rows()) if passed.height else {}
    for rep in frames.dims["dim_report"].iter_rows(named=True):
        build_rows.append({"report_key": rep["report_key"], "content_sha256": rep["content_sha256"], "status": "built",
                           "extractor_fingerprint": prints.extractor, "catalogue_fingerprint": prints.catalogue,
                           "corrections_fingerprint": prints.corrections,
                           "facts_loaded": f_by_report.get(rep["report_key"], 0),
                           "facts_quarantined": q_by_report.get(rep["report_key"], 0)})
    dims = {k: v for k, v in frames.dims.items() if k != "dim_report" and (k != "dim_region" or chunk_no == 1)}
    chunk = load.ChunkLoad(
        run_id=run_id, chunk=chunk_no,
        raw=_frame(raw_rows, "raw_report") if raw_rows else None,
        reports=frames.dims["dim_report"], facts=passed,
        quarantine=quarantined, dims=dims,
        dq_results=outcome.results.drop("run_id") if outcome else None,
        builds=_frame(build_rows, "report_build") if build_rows else None,
        files=_frame(file_rows, "etl_file") if file_rows else None,
    )
    results = outcome.results if outcome else pl.DataFrame()
    built = {k: v | {k} for k, v in names.items()}
    meta_rows = [{k: v for k, v in r.items() if k != "raw"} for r in kept_reports]
    return ChunkResult(chunk, results, quarantined if quarantined is not None else pl.DataFrame(),
                       frames.correction_matches, built, meta_rows)


@step(name="validate and load chunk", retries=2, retry_delay_seconds=3)
def validate_and_load(warehouse: Path, run_id: str, chunk_no: int, outputs: list[BatchOutput],
                      files: dict[str, InboxFile], state: RunState, prints: Fingerprints,
                      corrections: list[Correction], regions: pl.DataFrame, docs_dir: Path, is_rebuild: bool,
                      extra_files: list[dict]) -> ChunkResult:
    """Star rows, Great Expectations validation and the load of one chunk, in one transaction
    (retried: the file may be locked). Returns what the run's report needs, without the chunk's
    frames: Prefect keeps every task's result until the flow ends, so a result holding the
    chunk's texts and facts would make memory grow with the inbox."""
    planned = _plan_chunk(run_id, chunk_no, outputs, files, state, prints, corrections, regions, docs_dir,
                          is_rebuild)
    if extra_files:
        extra = _frame(extra_files, "etl_file")
        planned.load.files = extra if planned.load.files is None else pl.concat([planned.load.files, extra])
    with db.connect(warehouse, ensure=False) as con:
        load.load_chunk(con, planned.load)
    planned.load = None
    return planned


@step(name="rebuild chunk", retries=2, retry_delay_seconds=3)
def rebuild_chunk(warehouse: Path, run_id: str, chunk_no: int, report_keys: list[str], batch_size: int,
                  state: RunState, prints: Fingerprints, corrections: list[Correction], regions: pl.DataFrame,
                  docs_dir: Path, extra_files: list[dict]) -> ChunkResult:
    """Re-derive report versions from raw_report and replace their facts (no inbox needed)."""
    raws = read_raw(warehouse, report_keys)
    index = RegionIndex.load()
    outputs = [rebuild_reports(b, index) for b in batches(raws, batch_size)]
    return validate_and_load.fn(warehouse, run_id, chunk_no, outputs, {}, state, prints, corrections, regions,
                                docs_dir, True, extra_files)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i: i + size] for i in range(0, len(items), max(1, size))]


# ───────────────────────────── the flow ─────────────────────────────

@flow(name="baogao-nightly", log_prints=True)
def nightly(inbox: str | None, warehouse: str, batch_size: int = 10, chunk_size: int = DEFAULT_CHUNK_SIZE,
            rebuild: bool = False, rebuild_only: list[str] | None = None,
            max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, workers: int | None = None,
            dask_address: str | None = None, file_seconds: float | None = None) -> dict:
    """Load every new report in `inbox` into the DuckDB file `warehouse` and rebuild reports whose
    facts other code made; return the run summary. inbox None: rebuild only (no inbox needed).
    rebuild: re-derive every loaded report; rebuild_only: just these (report_key, report_id,
    content sha256 or file name). New files are extracted on Dask (flows/parallel.py): workers
    = worker processes of a local cluster (default one per core; 0: in this process);
    dask_address (or BAOGAO_DASK_ADDRESS): an existing scheduler; file_seconds: per-file budget."""
    logger = get_run_logger()
    with _collect_cycles_per_chunk():
        return _nightly(logger, inbox, warehouse, batch_size, chunk_size, rebuild, rebuild_only, max_file_bytes,
                        workers, dask_address, file_seconds)


@contextmanager
def _collect_cycles_per_chunk() -> Iterator[None]:
    """Freeze what exists before the run (imported modules, caches) out of the garbage collector's
    reach, so that the full collection the flow runs after every chunk only walks what the run made.

    Great Expectations and Prefect's task engine leave each chunk's objects in reference cycles
    (validator, batch and its pandas copy; the task's context holding its parameters), which only
    a full collection frees, and Python starts one only when the long-lived objects have grown by
    a quarter: measured on 10,000 files, main-process RSS climbed 860 → 1,270 MB between two such
    collections. Collecting after each chunk costs ~0.3 s with the 3.3 M objects of the imports,
    ~0.07 s with them frozen.
    """
    if gc.get_freeze_count():  # the caller froze already (and will unfreeze): leave it to them
        yield
        return
    gc.collect()  # a previous run's garbage (tests, an embedding process) is not frozen for this one
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _nightly(logger: Any, inbox: str | None, warehouse: str, batch_size: int, chunk_size: int, rebuild: bool,
             rebuild_only: list[str] | None, max_file_bytes: int, workers: int | None, dask_address: str | None,
             file_seconds: float | None) -> dict:
    published_path = Path(warehouse).resolve()
    warehouse_path = publish.prepare_writer(published_path)  # the run writes its own file (publish.py)
    inbox_path = Path(inbox).resolve() if inbox else None
    started = datetime.now(timezone.utc)
    run_id = new_run_id(started)
    docs_dir = published_path.parent / "quality" / run_id
    corrections_file = corrections_path(published_path)
    prints = current(corrections_file)
    run = {"run_id": run_id, "started_at": started, "inbox": str(inbox_path) if inbox_path else None,
           "extractor_fingerprint": prints.extractor, "catalogue_fingerprint": prints.catalogue,
           "corrections_fingerprint": prints.corrections, "flow_run_id": str(flow_run.get_id() or "")}
    state = open_run(warehouse_path, run, prints, rebuild, rebuild_only)
    if state.interrupted:
        logger.warning("runs interrupted earlier, now marked so: %s", ", ".join(state.interrupted))
        report_interrupted(warehouse_path, state.interrupted)

    extra_files: list[dict] = []
    try:
        corrections = load_corrections(corrections_file)
    except CorrectionsError as exc:
        corrections = []
        extra_files.append(_file_row(None, "failed", "corrections", run_id=run_id, error=str(exc),
                                     path=str(corrections_file), file_name=corrections_file.name))
    regions = RegionIndex.load().frame()
    results: list[pl.DataFrame] = []
    quarantined: list[pl.DataFrame] = []
    matches: dict[str, int] = {}
    built_names: dict[str, set[str]] = {}
    report_rows: list[dict] = []
    rebuilt_keys: list[str] = []
    chunk_no = 0
    error: str | None = None

    def record(planned: ChunkResult, is_rebuild: bool) -> None:
        results.append(planned.results)
        if planned.quarantined.height:
            quarantined.append(planned.quarantined)
        for k, n in planned.matches.items():
            matches[k] = matches.get(k, 0) + n
        built_names.update(planned.built_names)
        report_rows.extend(planned.report_rows)
        if is_rebuild:
            rebuilt_keys.extend(planned.built_names)

    try:
        if inbox_path is not None:
            new, skipped, inbox_failures = discover(inbox_path, quote(state.known_hashes), max_file_bytes)
            manifest, manifest_failures = read_manifest(inbox_path, quote([f.file_name for f in new]))
            logger.info("inbox %s: %d new, %d unchanged, %d unreadable", inbox_path, len(new), len(skipped),
                        len(inbox_failures))
            extra_files += [_file_row(f, "unchanged", "discover", run_id=run_id, error=why,
                                      report_key=content_report_key(f.content_sha256)) for f, why in skipped]
            extra_files += [_file_row(None, "failed", x["stage"], run_id=run_id, error=x["error"], path=x["path"],
                                      file_name=x["file_name"], content_sha256=x.get("content_sha256"))
                            for x in inbox_failures + manifest_failures]
            by_path = {f.path: f for f in new}
            cluster = ClusterSpec.from_options(workers, dask_address, file_seconds)
            # Workers extract chunk k+1 while this process validates and loads chunk k.
            with closing(extract_chunks(new, manifest, cluster, chunk_size, batch_size)) as extracted:
                for outputs in extracted:
                    chunk_no += 1
                    # quote(): Prefect would otherwise walk every report and frame of the chunk, and
                    # every file row, looking for futures before the task starts (seconds per chunk,
                    # measured with py-spy; 10,000 unchanged files' rows cost a rerun ~2 s)
                    record(validate_and_load(warehouse_path, run_id, chunk_no, quote(outputs), quote(by_path),
                                             quote(state), prints, corrections, regions, docs_dir, False,
                                             quote(extra_files)), False)
                    extra_files = []
                    logger.info("chunk %d: %d new files loaded", chunk_no,
                                sum(len(o.reports) + len(o.failures) for o in outputs))
                    outputs = None  # this chunk's texts and frames go before the next chunk arrives
                    gc.collect()  # see _collect_cycles_per_chunk
        stale_keys = sorted(state.stale)
        for chunk in _chunks(stale_keys, chunk_size):
            chunk_no += 1
            record(rebuild_chunk(warehouse_path, run_id, chunk_no, quote(chunk), batch_size, quote(state), prints,
                                 corrections, regions, docs_dir, quote(extra_files)), True)
            extra_files = []
            gc.collect()  # see _collect_cycles_per_chunk
            logger.info("chunk %d: %d reports rebuilt", chunk_no, len(chunk))
        if extra_files:  # nothing new and nothing stale: still record the skipped files
            chunk_no += 1
            record(validate_and_load(warehouse_path, run_id, chunk_no, [], {}, quote(state), prints, corrections,
                                     regions, docs_dir, False, quote(extra_files)), False)
    except Exception as exc:  # noqa: BLE001 - recorded as the run's failure, then re-raised as RunFailed
        error = f"load failed: {type(exc).__name__}: {exc}"
        logger.error(error)

    reasons = sorted({w for k in state.stale for w in state.stale[k]})
    summary = _close_run(warehouse_path, published_path, run_id, docs_dir, run, corrections, matches, built_names,
                         results, quarantined, error, ", ".join(reasons) or None, report_rows, rebuilt_keys)
    if error:
        raise RunFailed(error, summary)
    logger.info("run %s: %d facts loaded, %d quarantined, %d reports rebuilt; data-quality report: %s",
                run_id, summary["facts_loaded"], summary["facts_quarantined"], summary["reports_rebuilt"],
                summary["dq_report"])
    return summary


def _close_run(warehouse: Path, published: Path, run_id: str, docs_dir: Path, run: dict,
               corrections: list[Correction], matches: dict[str, int], built_names: dict[str, set[str]],
               results: list[pl.DataFrame], quarantined: list[pl.DataFrame], error: str | None,
               rebuild_reason: str | None, report_rows: list[dict], rebuilt_keys: list[str]) -> dict:
    """Record the corrections' outcomes, write the data-quality site, complete the run row and
    publish the snapshot readers open (after a failed load too: what earlier chunks committed is
    a complete state, and the run's record says it failed)."""
    report = docs_dir / "report.html"
    with db.connect(warehouse, ensure=False) as con:
        all_names = {n for row in con.execute(
            "SELECT list_concat(r.file_names, [r.content_sha256, r.report_key, d.report_id]) "
            "FROM raw_report AS r LEFT JOIN dim_report AS d USING (report_key)").fetchall() for n in row[0] if n}
        wanted = [c.fact_key for c in corrections if c.fact_key]
        present = {r[0] for r in con.execute(
            "SELECT fact_key FROM fact_indicator WHERE list_contains(?, fact_key) UNION "
            "SELECT fact_key FROM quarantine_fact WHERE list_contains(?, fact_key)", [wanted, wanted]).fetchall()} \
            if wanted else set()
        corr = correction_rows(run_id, corrections, matches, built_names, all_names, present)
        load.write_table(con, "dq_correction", corr)  # one statement: atomic by itself
        counts = load.run_counts(con, run_id)
        files = con.sql(f"SELECT * FROM etl_file WHERE run_id = '{run_id}' ORDER BY file_path").pl()
        status = load.run_status(counts, error)
    fields = {"dq_report_path": str(report), "rebuild_reason": rebuild_reason}
    from expectations.validate import merge_results  # one row per expectation for the run, over its chunks

    all_results = merge_results(results, run_id) if any(r.height for r in results) else pl.DataFrame()
    all_quarantined = pl.concat(quarantined, how="diagonal_relaxed") if quarantined else pl.DataFrame()
    report = write_report(docs_dir, {**run, **counts, **fields, "status": status, "error": error}, files,
                          all_results, all_quarantined, corr, quote(report_rows), warehouse, quote(rebuilt_keys))
    fields["dq_report_path"] = str(report)
    with db.connect(warehouse, ensure=False) as con:
        final = load.finish_run(con, run_id, fields, failed_error=error)
    publish_snapshot(warehouse, published)
    return RunSummary(
        run_id=run_id, status=final["status"], files_seen=counts["files_seen"], files_new=counts["files_new"],
        files_unchanged=counts["files_unchanged"], files_duplicate=counts["files_duplicate"],
        files_failed=counts["files_failed"], reports_rebuilt=counts["reports_rebuilt"],
        rebuild_reason=rebuild_reason, rebuilds_failed=counts["rebuilds_failed"],
        facts_loaded=counts["facts_loaded"], facts_quarantined=counts["facts_quarantined"],
        corrections_applied=corr.filter(pl.col("status") == "applied").height,
        corrections_unmatched=corr.filter(pl.col("status") == "unmatched").height,
        dq_report=str(report), warehouse=str(published), error=error,
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

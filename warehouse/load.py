"""Loading into the warehouse: a run row first, then one transaction per chunk, then the run's end.

- `start_run` writes the run as `running` (its own transaction) and marks runs that are still
  `running` from a dead process `interrupted`.
- `load_chunk` writes one chunk atomically: raw texts first (the raw layer), then report versions
  (SCD type 2 refreshed), each built report's facts replaced as a whole (delete-insert by
  report_key), quarantine, expectation results, build states and file records. A failure rolls
  the chunk back; earlier chunks and runs are untouched.
- `finish_run` completes the run row with counts read back from what was written, so the run
  record cannot disagree with the data.

Every frame is checked against its table contract (warehouse/tables.yaml) and refused if a
column is missing or unexpected; each table is written by its declared disposition.
"""
from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterator, Mapping

import duckdb
import polars as pl

from warehouse import db
from warehouse.contracts import Table, table
from warehouse.corrections import REJECT_EXPECTATION
from warehouse.export import export_parquet  # noqa: F401  (re-exported: the CLI imports it from here)
from warehouse.keys import md5_expr

log = logging.getLogger(__name__)
DIM_TABLES: tuple[str, ...] = ("dim_region", "dim_indicator", "dim_unit", "dim_period")
RUN_STATUSES = ("running", "success", "partial", "failed", "interrupted")


def now_utc() -> datetime:
    """Naive UTC (TIMESTAMP columns hold UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _naive_utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame | None,
                fills: Mapping[str, Any] | None = None) -> int:
    """Write a frame to a table by its contract's disposition; returns rows written.

    The frame must carry exactly the contract's frame columns (ContractError otherwise); `fills`
    gives the loader-filled columns (run_id, timestamps). Keys are deduplicated first (DuckDB
    would otherwise keep an arbitrary row of duplicates within one INSERT).
    """
    contract = table(name)
    if frame is None or frame.height == 0:
        return 0
    frame = contract.conform(frame)
    loader_columns = [c for c in contract.columns if c.loader_fills]
    frame = frame.with_columns([pl.lit(_naive_utc((fills or {}).get(c.name)), dtype=c.polars_type).alias(c.name)
                                for c in loader_columns])
    frame = frame.unique(subset=list(contract.primary_key), keep="first", maintain_order=True)
    columns = ", ".join(_quote(c) for c in contract.column_names)
    select = ", ".join(f"CAST({_quote(c.name)} AS {c.sql_type}) AS {_quote(c.name)}" for c in contract.columns)
    view = f"_load_{name}"
    with registered(con, view, frame):
        if contract.key_index:
            sql = f"INSERT INTO {name} ({columns}) SELECT {select} FROM {view}{_conflict_clause(contract)}"
        else:
            sql = _unindexed_insert(con, contract, view, columns, select)
        row = con.execute(sql).fetchall()  # fetch: DuckDB 2.0 refuses unregister with a pending result
    return int(row[0][0]) if row else 0


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` visible to SQL as `name` for the block. When the block fails, an aborted transaction
    refuses the unregister too: the error to report is the block's (an out-of-memory error used
    to surface as "Current transaction is aborted", and so escaped the loader's retry)."""
    con.register(name, frame)
    try:
        yield
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.unregister(name)
        raise
    con.unregister(name)


def _unindexed_insert(con: duckdb.DuckDBPyConnection, contract: Table, view: str, columns: str,
                      select: str) -> str:
    """The INSERT for a table whose key has no index (key_index: false): the disposition's
    effect without ON CONFLICT. replace_rows deletes the rows with the frame's keys first (here;
    the caller's transaction makes delete and insert one write); every other disposition inserts
    only keys not present (delete_insert's caller deleted the reports' rows already: a key still
    present would be a duplicate, which the index used to refuse and the anti-join now skips)."""
    match = " AND ".join(f"_t.{_quote(k)} = _v.{_quote(k)}" for k in contract.primary_key)
    if contract.disposition == "replace_rows":
        if set(contract.column_names) & _KEPT_ON_REPLACE:
            raise ValueError(f"{contract.name}: replace_rows keeps {sorted(_KEPT_ON_REPLACE)} columns, "
                             "which needs its key index (key_index: true)")
        con.execute(f"DELETE FROM {contract.name} AS _t WHERE EXISTS (SELECT 1 FROM {view} AS _v WHERE {match})")
    sql = f"INSERT INTO {contract.name} ({columns}) SELECT {select} FROM {view} AS _v"
    if contract.disposition != "replace_rows":
        sql += f" WHERE NOT EXISTS (SELECT 1 FROM {contract.name} AS _t WHERE {match})"
    return sql


# replace_rows keeps these as first written (a report version's first load and its SCD2 fields)
_KEPT_ON_REPLACE = frozenset({"first_loaded_run_id", "first_loaded_at", "version", "is_current", "valid_from",
                              "valid_to"})


def _conflict_clause(contract: Table) -> str:
    if contract.disposition in ("merge", "append"):
        # merge keeps what is there; append's key includes the run, so a conflict is a re-write
        # of the same run's row (a retried chunk) and keeps the first.
        return " ON CONFLICT DO NOTHING"
    if contract.disposition == "delete_insert":
        return ""  # the caller deleted the reports' rows first
    updates = [c.name for c in contract.columns if c.name not in contract.primary_key and c.name not in _KEPT_ON_REPLACE]
    sets = ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in updates)
    return f" ON CONFLICT ({', '.join(_quote(k) for k in contract.primary_key)}) DO UPDATE SET {sets}"


# ───────────────────────────── runs ─────────────────────────────

def mark_interrupted(con: duckdb.DuckDBPyConnection, reason: str) -> list[str]:
    """Runs still `running` belong to a process that died (the caller holds the run lock)."""
    rows = con.execute(
        "UPDATE etl_run SET status = 'interrupted', error = ?, finished_at = coalesce(finished_at, ?) "
        "WHERE status = 'running' RETURNING run_id", [reason, now_utc()]
    ).fetchall()
    return [r[0] for r in rows]


def start_run(con: duckdb.DuckDBPyConnection, run: Mapping[str, Any]) -> None:
    """Record the run as `running` before anything else is written."""
    row = {c: None for c in table("etl_run").frame_columns}
    row.update({k: _naive_utc(v) for k, v in run.items() if k in row})
    row["status"] = "running"
    con.execute("BEGIN TRANSACTION")
    try:
        write_table(con, "etl_run", pl.DataFrame([row], schema=table("etl_run").polars_schema()))
        con.execute("COMMIT")
    except BaseException:
        db.rollback_quietly(con)
        raise


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """The run's counts as the warehouse holds them."""
    files = dict(con.execute("SELECT status, count(*) FROM etl_file WHERE run_id = ? GROUP BY status",
                             [run_id]).fetchall())
    builds = dict(con.execute(
        "SELECT status, count(*) FROM report_build WHERE run_id = ? AND report_key IN "
        "(SELECT report_key FROM dim_report WHERE first_loaded_run_id IS DISTINCT FROM ?) GROUP BY status",
        [run_id, run_id]).fetchall())
    facts = con.execute("SELECT count(*) FROM fact_indicator WHERE run_id = ?", [run_id]).fetchall()[0][0]
    quarantined = con.execute(
        "SELECT count(DISTINCT fact_key) FROM quarantine_fact WHERE run_id = ? AND expectation <> ?",
        [run_id, REJECT_EXPECTATION]).fetchall()[0][0]
    return {
        "files_seen": sum(files.values()),
        "files_new": files.get("new", 0) + files.get("new_version", 0),
        "files_unchanged": files.get("unchanged", 0),
        "files_duplicate": files.get("duplicate", 0),
        "files_failed": files.get("failed", 0),
        "reports_rebuilt": builds.get("built", 0),
        "rebuilds_failed": builds.get("failed", 0),
        "facts_loaded": int(facts),
        "facts_quarantined": int(quarantined),
    }


def run_status(counts: Mapping[str, int], failed_error: str | None) -> str:
    """failed when a load failed; partial when a file or a rebuild failed or an expectation
    quarantined a fact; success otherwise."""
    if failed_error:
        return "failed"
    if counts["files_failed"] or counts["rebuilds_failed"] or counts["facts_quarantined"]:
        return "partial"
    return "success"


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, fields: Mapping[str, Any],
               failed_error: str | None = None) -> dict[str, Any]:
    """Complete the run row: counts from the data, status from them (or failed), end time.

    status: failed when `failed_error` is given (a load failed); partial when a file or a rebuild
    failed or a fact was quarantined by an expectation; success otherwise.
    """
    counts = run_counts(con, run_id)
    status = run_status(counts, failed_error)
    values = {**counts, **{k: _naive_utc(v) for k, v in fields.items()},
              "status": status, "error": failed_error, "finished_at": now_utc()}
    allowed = set(table("etl_run").frame_columns) - {"run_id"}
    sets = [k for k in values if k in allowed]
    con.execute(f"UPDATE etl_run SET {', '.join(f'{_quote(k)} = ?' for k in sets)} WHERE run_id = ?",
                [values[k] for k in sets] + [run_id])
    return {"run_id": run_id, **values}


# ───────────────────────────── chunks ─────────────────────────────

@dataclass
class ChunkLoad:
    """Everything one chunk writes (frames in their contracts' frame columns, or None)."""
    run_id: str
    chunk: int
    raw: pl.DataFrame | None = None             # raw_report rows of new contents
    raw_names: pl.DataFrame | None = None       # (content_sha256, file_name) seen again under a name
    reports: pl.DataFrame | None = None         # dim_report rows of the built versions
    facts: pl.DataFrame | None = None           # fact_indicator rows that passed validation
    quarantine: pl.DataFrame | None = None      # fact columns + expectation, reason
    dims: dict[str, pl.DataFrame] = field(default_factory=dict)
    dq_results: pl.DataFrame | None = None      # dq_expectation_result rows (no result_key needed)
    builds: pl.DataFrame | None = None          # report_build rows (built or failed)
    files: pl.DataFrame | None = None           # etl_file rows


def load_chunk(con: duckdb.DuckDBPyConnection, load: ChunkLoad) -> dict[str, int]:
    """Write one chunk in one transaction; returns rows written per table.

    If DuckDB runs out of the writer's memory cap (warehouse/db.py), the transaction is rolled
    back and the chunk written again under a doubled cap, which later chunks keep."""
    while True:
        try:
            return _write_chunk(con, load)
        except duckdb.OutOfMemoryException as exc:
            raised = db.raise_writer_memory_limit(con)
            if raised is None:
                raise
            log.warning("chunk %d ran out of the writer's DuckDB memory cap (%s); writing it again "
                        "with %d MiB", load.chunk, str(exc).splitlines()[0], raised // 2**20)


def _write_chunk(con: duckdb.DuckDBPyConnection, load: ChunkLoad) -> dict[str, int]:
    stamp = now_utc()
    run = {"run_id": load.run_id}
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        counts["raw_report"] = write_table(con, "raw_report", load.raw, {"landed_at": stamp})
        _add_file_names(con, load.raw_names)
        for name, frame in load.dims.items():
            if name not in DIM_TABLES:
                raise ValueError(f"unknown dimension {name!r}; expected one of {DIM_TABLES}")
            counts[name] = write_table(con, name, frame)
        counts["dim_report"] = _write_reports(con, load.reports, load.run_id, stamp)
        built = _built_keys(load.builds)
        if built:
            with registered(con, "_built", pl.DataFrame({"report_key": built})):
                con.execute("DELETE FROM fact_indicator WHERE report_key IN (SELECT report_key FROM _built)")
        counts["fact_indicator"] = write_table(con, "fact_indicator", load.facts, {**run, "loaded_at": stamp})
        counts["quarantine_fact"] = write_table(con, "quarantine_fact", _quarantine_with_keys(load.quarantine),
                                                {**run, "loaded_at": stamp})
        counts["dq_expectation_result"] = write_table(con, "dq_expectation_result",
                                                      _dq_with_keys(load.dq_results, load.run_id, load.chunk))
        counts["report_build"] = write_table(con, "report_build", load.builds, {**run, "built_at": stamp})
        counts["etl_file"] = write_table(con, "etl_file", load.files)
        _mark_new_versions(con, load.run_id)
        con.execute("COMMIT")
    except BaseException:
        db.rollback_quietly(con)
        raise
    return counts


def _built_keys(builds: pl.DataFrame | None) -> list[str]:
    if builds is None or builds.height == 0:
        return []
    return builds.filter(pl.col("status") == "built").get_column("report_key").unique().to_list()


def _add_file_names(con: duckdb.DuckDBPyConnection, names: pl.DataFrame | None) -> None:
    """Known content arriving under a new name: remember the name on its raw row."""
    if names is None or names.height == 0:
        return
    with registered(con, "_names", names.select("content_sha256", "file_name").unique()):
        con.execute(
            "UPDATE raw_report SET file_names = list_append(raw_report.file_names, n.file_name) "
            "FROM _names AS n WHERE raw_report.content_sha256 = n.content_sha256 "
            "AND NOT list_contains(raw_report.file_names, n.file_name)"
        ).fetchall()


def _write_reports(con: duckdb.DuckDBPyConnection, reports: pl.DataFrame | None, run_id: str,
                   stamp: datetime) -> int:
    """Upsert report versions (a rebuild may change their metadata and so their report_id), then
    refresh versions and validity of every report_id touched, old or new."""
    if reports is None or reports.height == 0:
        return 0
    keys = reports.get_column("report_key").unique().to_list()
    with registered(con, "_keys", pl.DataFrame({"report_key": keys})):
        old_ids = [r[0] for r in con.execute(
            "SELECT DISTINCT report_id FROM dim_report WHERE report_key IN (SELECT report_key FROM _keys)").fetchall()]
    written = write_table(con, "dim_report", reports, {"first_loaded_run_id": run_id, "first_loaded_at": stamp})
    refresh_versions(con, sorted(set(old_ids) | set(reports.get_column("report_id").to_list())))
    return written


def refresh_versions(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """SCD type 2 over report_id: versions ordered by publish date, else first load time;
    valid_to = the next version's valid_from; the last version is current."""
    if not report_ids:
        return
    with registered(con, "_ids", pl.DataFrame({"report_id": report_ids})):
        con.execute(
            """
            UPDATE dim_report SET version = o.version, valid_from = o.valid_from, valid_to = o.valid_to,
                                  is_current = o.is_last
            FROM (
                SELECT report_key, valid_from,
                       row_number() OVER w::INTEGER AS version,
                       lead(valid_from) OVER w AS valid_to,
                       lead(report_key) OVER w IS NULL AS is_last
                FROM (SELECT report_key, report_id, first_loaded_at,
                             coalesce(CAST(publish_date AS TIMESTAMP), first_loaded_at) AS valid_from
                      FROM dim_report WHERE report_id IN (SELECT report_id FROM _ids))
                WINDOW w AS (PARTITION BY report_id ORDER BY valid_from, first_loaded_at, report_key)
            ) AS o
            WHERE dim_report.report_key = o.report_key
            """
        ).fetchall()


def _mark_new_versions(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """A new file whose report already had another version is a new version of it."""
    con.execute(
        """
        UPDATE etl_file SET status = 'new_version'
        WHERE run_id = ? AND status = 'new' AND report_key IN (
            SELECT d.report_key FROM dim_report AS d
            WHERE EXISTS (SELECT 1 FROM dim_report AS o WHERE o.report_id = d.report_id AND o.report_key <> d.report_key))
        """, [run_id]
    ).fetchall()


def _quarantine_with_keys(quarantine: pl.DataFrame | None) -> pl.DataFrame | None:
    # A fact can be quarantined *because* its key is null; give it a stand-in key so it is kept.
    if quarantine is None or quarantine.height == 0:
        return None
    parts = ["report_key", "value_start", "value_end", "measure", "unit", "evidence"]
    stand_in = pl.lit("nokey-") + md5_expr(*parts)
    return quarantine.with_columns(
        fact_key=pl.when(pl.col("fact_key").is_null()).then(stand_in).otherwise(pl.col("fact_key"))
    )


def _dq_with_keys(dq_results: pl.DataFrame | None, run_id: str, chunk: int) -> pl.DataFrame | None:
    if dq_results is None or dq_results.height == 0:
        return None
    frame = dq_results.with_columns(run_id=pl.lit(run_id), chunk=pl.lit(chunk, dtype=pl.Int32))
    return frame.with_columns(result_key=md5_expr("run_id", "chunk", "suite", "expectation"))

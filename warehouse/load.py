"""Atomic load of one ETL run into the warehouse.

Everything of a run (dimensions, report versions, facts, quarantine, DQ results, file and run
records) is written in ONE transaction: a failure rolls back the whole run, so what earlier runs
loaded is never touched. Frames go in through DuckDB's polars scan (con.register), never
executemany. Keys are deduplicated in polars first because DuckDB resolves duplicates *within one
INSERT batch* silently; then INSERT … ON CONFLICT DO NOTHING makes reloading the same content a
no-op, so loading twice gives the same rows.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

import duckdb
import polars as pl

from warehouse.export import export_parquet  # noqa: F401  (re-exported: the CLI imports it from here)
from warehouse.keys import md5_expr

# Primary key of each table (the dedup subset).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "dim_region": ("region_code",),
    "dim_report": ("report_key",),
    "dim_indicator": ("indicator_key",),
    "dim_unit": ("unit_key",),
    "dim_period": ("period_key",),
    "fact_indicator": ("fact_key",),
    "quarantine_fact": ("fact_key", "run_id", "expectation"),
    "dq_expectation_result": ("result_key",),
    "etl_file": ("run_id", "file_path"),
    "etl_run": ("run_id",),
}
DIM_TABLES: tuple[str, ...] = ("dim_region", "dim_indicator", "dim_unit", "dim_period")
# Tables whose rows describe the latest truth of a run: a rerun/failure record replaces them.
REPLACE_TABLES: frozenset[str] = frozenset({"etl_run", "etl_file"})


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index",
        [table],
    ).fetchall()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame | None,
    defaults: Mapping[str, Any] | None = None,
) -> int:
    """Insert the frame's rows into `table`, matching columns by name; returns rows inserted.

    Columns missing from the frame get `defaults[col]` or NULL; extra columns are ignored.
    """
    if frame is None or frame.height == 0:
        return 0
    keys = TABLE_KEYS[table]
    missing_keys = [k for k in keys if k not in frame.columns and k not in (defaults or {})]
    if missing_keys:
        raise ValueError(f"{table}: frame lacks key column(s) {missing_keys}")
    columns = _table_columns(con, table)
    fill = [
        pl.lit(value).alias(name)
        for name, value in (defaults or {}).items()
        if name not in frame.columns and any(c == name for c, _ in columns)
    ]
    if fill:
        frame = frame.with_columns(fill)
    # Dedupe in polars: DuckDB would silently keep an arbitrary row of in-batch duplicates.
    frame = frame.unique(subset=list(keys), keep="first", maintain_order=True)
    select = ", ".join(
        f"CAST({_quote(name)} AS {dtype}) AS {_quote(name)}" if name in frame.columns
        else f"CAST(NULL AS {dtype}) AS {_quote(name)}"
        for name, dtype in columns
    )
    column_list = ", ".join(_quote(name) for name, _ in columns)
    view = f"_load_{table}"
    con.register(view, frame.select([c for c in frame.columns if any(c == n for n, _ in columns)]))
    try:
        verb = "INSERT OR REPLACE INTO" if table in REPLACE_TABLES else "INSERT INTO"
        conflict = "" if table in REPLACE_TABLES else " ON CONFLICT DO NOTHING"
        row = con.execute(
            f"{verb} {table} ({column_list}) SELECT {select} FROM {view}{conflict}"
        ).fetchall()  # fetch everything: DuckDB 2.0 refuses unregister with a pending result
    finally:
        con.unregister(view)
    return int(row[0][0]) if row else 0


def _assign_versions(con: duckdb.DuckDBPyConnection, reports: pl.DataFrame) -> pl.DataFrame:
    """Number new report contents: latest loaded version of the report_id + 1, 2, … in frame order.

    The loader owns versions (inside the transaction), so any version the caller set is
    overwritten for new contents; contents already loaded keep their stored row (DO NOTHING).
    """
    reports = reports.unique(subset=["report_key"], keep="first", maintain_order=True)
    con.register("_reports_in", reports.select("report_key", "report_id"))
    try:
        numbered = con.sql(
            """
            SELECT i.report_key,
                   (coalesce(m.max_version, 0)
                    + row_number() OVER (PARTITION BY i.report_id ORDER BY i.ord))::INTEGER AS version
            FROM (SELECT *, row_number() OVER () AS ord FROM _reports_in) AS i
            LEFT JOIN (SELECT report_id, max(version) AS max_version FROM dim_report GROUP BY report_id) AS m
              ON m.report_id = i.report_id
            WHERE i.report_key NOT IN (SELECT report_key FROM dim_report)
            """
        ).pl()
    finally:
        con.unregister("_reports_in")
    new = reports.drop("version", strict=False).join(numbered, on="report_key", how="inner")
    return new.with_columns(is_current=pl.lit(False))


def _refresh_current(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> int:
    """is_current = (version is the highest of its report_id), for the touched report_ids."""
    if not report_ids:
        return 0
    con.register("_touched", pl.DataFrame({"report_id": report_ids}))
    try:
        row = con.execute(
            """
            UPDATE dim_report SET is_current = (dim_report.version = m.max_version)
            FROM (SELECT report_id, max(version) AS max_version FROM dim_report
                  WHERE report_id IN (SELECT report_id FROM _touched) GROUP BY report_id) AS m
            WHERE dim_report.report_id = m.report_id
              AND dim_report.is_current IS DISTINCT FROM (dim_report.version = m.max_version)
            """
        ).fetchall()
    finally:
        con.unregister("_touched")
    return int(row[0][0]) if row else 0


def _quarantine_with_keys(quarantine: pl.DataFrame) -> pl.DataFrame:
    # A fact can be quarantined *because* its key is null; give it a stand-in key so it is kept.
    if "fact_key" not in quarantine.columns:
        quarantine = quarantine.with_columns(fact_key=pl.lit(None, dtype=pl.Utf8))
    parts = [c for c in ("report_key", "value_start", "value_end", "measure", "unit", "evidence")
             if c in quarantine.columns]
    stand_in = pl.lit("nokey-") + md5_expr(*parts) if parts else pl.lit("nokey")
    return quarantine.with_columns(
        fact_key=pl.when(pl.col("fact_key").is_null()).then(stand_in).otherwise(pl.col("fact_key"))
    )


def _dq_with_keys(dq_results: pl.DataFrame, run_id: str) -> pl.DataFrame:
    if "run_id" not in dq_results.columns:
        dq_results = dq_results.with_columns(run_id=pl.lit(run_id))
    return dq_results.with_columns(result_key=md5_expr("run_id", "suite", "expectation"))


def _dim_name(name: str) -> str:
    table = name if name.startswith("dim_") else f"dim_{name}"
    if table not in DIM_TABLES:
        raise ValueError(f"unknown dimension {name!r}; expected one of {DIM_TABLES}")
    return table


def _count(frame: pl.DataFrame | None, status: tuple[str, ...]) -> int:
    if frame is None or frame.height == 0 or "status" not in frame.columns:
        return 0
    return frame.filter(pl.col("status").is_in(list(status))).height


def _run_row(run: Mapping[str, Any], files: pl.DataFrame | None, counts: Mapping[str, int],
             quarantined_facts: int, status: str) -> pl.DataFrame:
    """The etl_run row: the caller's values, with counts derived from the frames where missing."""
    derived = {
        "finished_at": _now(),
        "status": status,
        "files_seen": 0 if files is None else files.height,
        "files_new": _count(files, ("new", "new_version")),
        "files_unchanged": _count(files, ("unchanged",)),
        "files_failed": _count(files, ("failed",)),
        "facts_loaded": counts.get("fact_indicator", 0),
        "facts_quarantined": quarantined_facts,
    }
    row: dict[str, Any] = {**derived, **{k: v for k, v in run.items() if v is not None}}
    row = {k: (str(v) if k in ("inbox", "dq_report_path") and v is not None else v) for k, v in row.items()}
    # TIMESTAMP columns hold naive UTC: convert aware datetimes here rather than let DuckDB cast
    # TIMESTAMPTZ through the session time zone.
    row = {k: (v.astimezone(timezone.utc).replace(tzinfo=None)
               if isinstance(v, datetime) and v.tzinfo is not None else v) for k, v in row.items()}
    return pl.DataFrame([row])


def load_run(
    con: duckdb.DuckDBPyConnection,
    run: dict,
    files: pl.DataFrame,
    reports: pl.DataFrame,
    facts: pl.DataFrame,
    quarantine: pl.DataFrame,
    dims: dict[str, pl.DataFrame],
    dq_results: pl.DataFrame,
) -> dict[str, int]:
    """Write one run atomically; returns rows inserted per table (plus 'dim_report_current_changed').

    run: etl_run fields; run_id required. Missing counts/status/finished_at are derived:
      status = 'partial' if any file failed or any fact was quarantined, else 'success'.
    files: etl_file rows (run_id filled in if absent). reports: dim_report rows (version and
      is_current are computed here; first_loaded_run_id defaults to run_id).
    facts: fact_indicator rows that passed validation. quarantine: quarantine_fact rows.
    dims: {'dim_region'|'region': frame, 'dim_indicator', 'dim_unit', 'dim_period'}.
    dq_results: dq_expectation_result rows (result_key computed here).
    Frames may omit nullable columns (NULL is stored) and may be empty or None.
    """
    run_id = run.get("run_id")
    if not run_id:
        raise ValueError("run['run_id'] is required")
    loaded_at = _now()
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in (dims or {}).items():
            table = _dim_name(name)
            counts[table] = counts.get(table, 0) + _insert(con, table, frame)

        touched: list[str] = []
        if reports is not None and reports.height:
            new_reports = _assign_versions(con, reports)
            counts["dim_report"] = _insert(con, "dim_report", new_reports,
                                           {"first_loaded_run_id": run_id})
            touched = new_reports.get_column("report_id").unique().to_list()
        else:
            counts["dim_report"] = 0
        counts["dim_report_current_changed"] = _refresh_current(con, touched)

        counts["fact_indicator"] = _insert(con, "fact_indicator", facts,
                                           {"run_id": run_id, "loaded_at": loaded_at})
        quarantined_facts = 0
        if quarantine is not None and quarantine.height:
            quarantine = _quarantine_with_keys(quarantine.with_columns(run_id=pl.lit(run_id)))
            quarantined_facts = quarantine.get_column("fact_key").n_unique()
        counts["quarantine_fact"] = _insert(con, "quarantine_fact", quarantine,
                                            {"loaded_at": loaded_at})
        counts["dq_expectation_result"] = _insert(
            con, "dq_expectation_result",
            None if dq_results is None or dq_results.height == 0 else _dq_with_keys(dq_results, run_id),
        )
        counts["etl_file"] = _insert(con, "etl_file", files, {"run_id": run_id})
        partial = _count(files, ("failed",)) > 0 or quarantined_facts > 0
        run_row = _run_row(run, files, counts, quarantined_facts, "partial" if partial else "success")
        counts["etl_run"] = _insert(con, "etl_run", run_row)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def record_run_failure(
    con: duckdb.DuckDBPyConnection,
    run: dict,
    files: pl.DataFrame | None = None,
    error: str | None = None,
) -> None:
    """Record a run that could not load (status 'failed') and its files, in its own transaction.

    Call after load_run raised (its transaction was rolled back) or when an earlier stage failed.
    Files keep their status (missing → 'failed'); `error` fills files without one. No facts.
    """
    run_id = run.get("run_id")
    if not run_id:
        raise ValueError("run['run_id'] is required")
    if files is not None and files.height:
        files = files.with_columns(run_id=pl.lit(run_id))
        if "status" not in files.columns:
            files = files.with_columns(status=pl.lit("failed"))
        if error is not None:
            files = files.with_columns(
                error=pl.coalesce(pl.col("error"), pl.lit(error)) if "error" in files.columns else pl.lit(error)
            )
    con.execute("BEGIN TRANSACTION")
    try:
        _insert(con, "etl_file", files)
        row = _run_row({**run, "status": "failed"}, files, {}, 0, "failed")
        _insert(con, "etl_run", row)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise

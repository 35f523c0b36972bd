"""Connections and schema of the DuckDB warehouse."""
from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
VIEWS_SQL = Path(__file__).with_name("views.sql")

# Star-schema tables (exported to Parquet); the operational ones follow.
STAR_TABLES: tuple[str, ...] = (
    "fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period",
)
OPERATIONAL_TABLES: tuple[str, ...] = (
    "etl_run", "etl_file", "quarantine_fact", "dq_expectation_result",
)
VIEWS: tuple[str, ...] = ("v_facts", "mart_indicator", "audit_mart_indicator_unique_grain",
                          "audit_mart_indicator_one_unit", "v_indicator_by_street_period")

UNKNOWN_REGION_CODE = "000000000"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating folders and schema when writable) the warehouse at `path` (':memory:' ok).

    DuckDB lets one read-write process hold a file; a read-only connection is refused while a
    writer holds it, so open read-write connections briefly (one per run).
    """
    if str(path) == ":memory:":
        con = duckdb.connect(":memory:")
    else:
        path = Path(path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, comment and view if missing; safe to run any number of times."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    _comment_view_columns(con)


def known_content_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """sha256 of every file content already loaded (skip such files in the next run)."""
    rows = con.execute("SELECT DISTINCT content_sha256 FROM dim_report").fetchall()
    return {r[0] for r in rows}


def known_file_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """File names of every report loaded (new content under one of these is a new version)."""
    return {r[0] for r in con.execute("SELECT DISTINCT file_name FROM dim_report").fetchall()}


def latest_version(con: duckdb.DuckDBPyConnection, report_id: str) -> int:
    """Highest version loaded for report_id; 0 if the report was never loaded."""
    row = con.execute(
        "SELECT coalesce(max(version), 0) FROM dim_report WHERE report_id = ?", [report_id]
    ).fetchall()
    return int(row[0][0])


def latest_versions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """report_id → highest loaded version, for all reports (one query for a whole batch)."""
    rows = con.execute("SELECT report_id, max(version) FROM dim_report GROUP BY report_id").fetchall()
    return {r[0]: int(r[1]) for r in rows}


# View columns that rename a table column: view column → (table, column).
_VIEW_COLUMN_SOURCES: dict[str, tuple[str, str]] = {
    "report_title": ("dim_report", "title"),
    "report_period_type": ("dim_report", "period_type"),
    "report_version": ("dim_report", "version"),
    "period_start": ("dim_period", "start_date"),
    "period_end": ("dim_period", "end_date"),
    "period_label": ("dim_period", "label"),
}
_COMMENT_SOURCE_ORDER = ("fact_indicator", "dim_report", "dim_region", "dim_indicator",
                         "dim_unit", "dim_period")


def _comment_view_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Give view columns the comment of the table column they show, so duckdb_columns() is a
    complete data dictionary (views are recreated, which drops their column comments)."""
    table_comments = {
        (t, c): comment
        for t, c, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND comment IS NOT NULL"
        ).fetchall()
    }
    view_columns = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' "
        "AND table_name IN (SELECT view_name FROM duckdb_views() WHERE NOT internal)"
    ).fetchall()
    for view, column in view_columns:
        source = _VIEW_COLUMN_SOURCES.get(column)
        comment = table_comments.get(source) if source else None
        for table in _COMMENT_SOURCE_ORDER:
            if comment is None:
                comment = table_comments.get((table, column))
        if comment is None and column.endswith("_yoy_pct"):
            comment = f"Year-on-year growth of {column[:-8]} in percent (its mart_indicator row)."
        elif comment is None and column in ("reports", "facts", "distinct_values", "units", "rows_at_grain"):
            comment = f"Number of {column.replace('_', ' ')} behind this row."
        elif comment is None and column == "stated_order":
            comment = "Order in which the facts of one grain were stated."
        elif comment is None:
            comment = f"Level of {column} in its canonical unit (its mart_indicator row)."
        literal = "'" + comment.replace("'", "''") + "'"
        con.execute(f'COMMENT ON COLUMN {view}."{column}" IS {literal}')

"""Connections and schema of the DuckDB warehouse."""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.contracts import schema_ddl

VIEWS_SQL = Path(__file__).with_name("views.sql")

# Star-schema tables (exported to Parquet); the operational ones follow.
STAR_TABLES: tuple[str, ...] = (
    "fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period",
)
OPERATIONAL_TABLES: tuple[str, ...] = (
    "raw_report", "report_build", "etl_run", "etl_file", "quarantine_fact", "dq_expectation_result",
    "dq_correction",
)
VIEWS: tuple[str, ...] = ("v_facts", "v_indicator_by_street_year")

UNKNOWN_REGION_CODE = "000000000"


def connect(path: Path | str, read_only: bool = False, ensure: bool = True) -> duckdb.DuckDBPyConnection:
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
    if not read_only and ensure:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, comment and view if missing; safe to run any number of times."""
    con.execute(schema_ddl())
    # The unknown region: reports whose region cannot be determined point here.
    con.execute(f"INSERT INTO dim_region (region_code, region_name, street_name) VALUES ('{UNKNOWN_REGION_CODE}', '未知', '未知') "
                "ON CONFLICT DO NOTHING")
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    _comment_view_columns(con)


def known_content_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """sha256 of every file content already landed, or recorded as a duplicate of a landed one
    (skip such files in the next run)."""
    rows = con.execute(
        "SELECT content_sha256 FROM raw_report UNION "
        "SELECT content_sha256 FROM etl_file WHERE status = 'duplicate' AND content_sha256 IS NOT NULL"
    ).fetchall()
    return {r[0] for r in rows}


def known_text_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Normalised-text sha256 → report_key of every landed text (the same report in another
    encoding or format is a duplicate of it)."""
    return dict(con.execute("SELECT text_sha256, any_value(report_key) FROM raw_report GROUP BY 1").fetchall())


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
    "period_type": ("dim_period", "period_type"),  # v_facts.period_type is the fact's span, not the report's
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
            comment = f"Year-on-year growth of {column[:-8]} in percent (max over the year's reports)."
        elif comment is None and column in ("reports", "facts"):
            comment = f"Number of {column} behind this row."
        elif comment is None:
            comment = f"Level of {column} in its canonical unit (max over the year's reports)."
        literal = "'" + comment.replace("'", "''") + "'"
        con.execute(f'COMMENT ON COLUMN {view}."{column}" IS {literal}')

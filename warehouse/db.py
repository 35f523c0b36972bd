"""Connections and schema of the DuckDB warehouse, and the check that a file is ours.

Before any DDL the file at the warehouse path must be absent, a DuckDB database with no tables,
or a database carrying Baogao's schema marker (`baogao_schema`); anything else is refused with
one line naming the file and what it is, and is not opened for writing.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.contracts import schema_ddl, tables

VIEWS_SQL = Path(__file__).with_name("views.sql")

# Star-schema tables (exported to Parquet); the operational ones follow.
STAR_TABLES: tuple[str, ...] = (
    "fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period",
)
OPERATIONAL_TABLES: tuple[str, ...] = (
    "raw_report", "report_build", "etl_run", "etl_file", "quarantine_fact", "dq_expectation_result",
    "dq_correction",
)
VIEWS: tuple[str, ...] = ("v_facts", "mart_indicator", "audit_mart_indicator_unique_grain",
                          "audit_mart_indicator_one_unit", "v_indicator_by_street_period")

UNKNOWN_REGION_CODE = "000000000"

# Version of the warehouse's table layout, recorded in baogao_schema; a migration that changes
# the layout bumps it and upgrades files that carry a lower version. 2: the raw layer and the
# declared contracts (warehouse/tables.yaml). 3: no key index on the tables that grow every night
# (key_index: false in tables.yaml); a version-2 file is upgraded in place on its next write.
SCHEMA_VERSION = 3
# Tables of the first layout (before the raw layer): such a file holds no report texts, so it
# cannot be upgraded in place.
_FIRST_LAYOUT_TABLES = {"fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period",
                        "etl_run", "etl_file", "quarantine_fact", "dq_expectation_result"}
SCHEMA_MARKER_TABLE = "baogao_schema"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
# DuckDB's buffer pool for a writing connection (default: 80 % of the machine's memory). Without a
# cap, committing a chunk on a 10,000-report warehouse took ~300 MB more (the checkpoint keeps
# what it read and rewrote); with it, DuckDB evicts and spills instead. Only the key indexes must
# fit (tables.yaml: key_index), and those are on tables of one row per report or fewer. Measured
# on 20 chunks of 500 reports: peak RSS at a checkpoint 1,000 MB with 256MB, 884 MB with 128MB,
# the same 20.7 s of load. 64MB ran out on a 10,000-report run (chunk 1's inserts beside the
# region index), so it is not the default; a chunk that does not fit raises the cap (load.py).
WRITER_MEMORY_LIMIT_ENV = "BAOGAO_WRITER_MEMORY_LIMIT"
DEFAULT_WRITER_MEMORY_LIMIT = "128MB"
# Raised for the rest of the process when a chunk ran out of it (raise_writer_memory_limit).
_raised_writer_limit: str | None = None
_raised_writer_bytes: int | None = None
_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


class NotAWarehouse(RuntimeError):
    """The file at the warehouse path is not a Baogao warehouse; the message is one line naming
    the file and what it is. The file has not been modified."""


def connect(path: Path | str, read_only: bool = False, ensure: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating folders and schema when writable) the warehouse at `path` (':memory:' ok).

    Raises NotAWarehouse, before anything is written, when the file is not ours.
    DuckDB lets one read-write process hold a file; a read-only connection is refused while a
    writer holds it, so open read-write connections briefly (one per run).
    """
    if str(path) == ":memory:":
        con = duckdb.connect(":memory:")
    else:
        path = Path(path)
        check_warehouse(path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
        if not read_only:
            limit = _raised_writer_limit or os.environ.get(WRITER_MEMORY_LIMIT_ENV) or DEFAULT_WRITER_MEMORY_LIMIT
            con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
    if not read_only and ensure:
        ensure_schema(con)
    return con


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open; a failed COMMIT (disk full) may have ended it
    already, and the error to report is the original one, not "no transaction is active"."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def memory_limit_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The connection's DuckDB memory_limit in bytes (DuckDB shows it as e.g. '122.0 MiB')."""
    number, unit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0].split()
    return int(float(number) * _UNITS[unit])


def raise_writer_memory_limit(con: duckdb.DuckDBPyConnection) -> int | None:
    """Double the writer's DuckDB memory limit, on this connection and on every writing connection
    this process opens later; returns the new limit in bytes, or None when it is already at
    DuckDB's own default (80 % of the memory DuckDB sees), the most it can usefully get.

    The cap keeps a run's memory flat, but what DuckDB cannot evict (the key indexes) must fit
    under it; a warehouse that has outgrown it gets a larger cap instead of a failed night.
    The raised limit is kept in bytes here: DuckDB shows it rounded ('18.7 GiB'), and a limit
    read back from that display could be doubled towards the ceiling for ever."""
    global _raised_writer_limit, _raised_writer_bytes
    with duckdb.connect(":memory:") as fresh:
        ceiling = memory_limit_bytes(fresh)
    current = _raised_writer_bytes or memory_limit_bytes(con)
    raised = min(2 * current, ceiling) // 2**10 * 2**10  # whole KiB, as SET is given it
    if raised <= current:
        return None
    _raised_writer_bytes = raised
    _raised_writer_limit = f"{raised // 2**10}KiB"
    con.execute(f"SET memory_limit = '{_raised_writer_limit}'")
    return raised


def check_warehouse(path: Path) -> str:
    """What the file at `path` is, if Baogao may write to it: 'new' (absent, or a DuckDB database
    without tables), 'baogao' (carries the schema marker) or 'baogao-unmarked' (every Baogao
    table, made before the marker existed: it gets the marker on the next write).

    Anything else raises NotAWarehouse. A 0-byte file is refused, not taken as new: it is far
    more likely a warehouse truncated by a failed copy or a full disk than a fresh start, and
    filling it silently would hide the loss. Only reads the file (read-only connection).
    """
    path = Path(path)
    if not path.exists():
        return "new"
    if path.is_dir():
        raise NotAWarehouse(f"{path} is a folder, not a Baogao warehouse file")
    size = path.stat().st_size
    if size == 0:
        raise NotAWarehouse(f"{path} is an empty (0-byte) file, not a Baogao warehouse; "
                            "remove it to start a new warehouse there")
    with path.open("rb") as fh:
        head = fh.read(64)
    if head[8:12] != _DUCKDB_MAGIC:
        raise NotAWarehouse(f"{path} is not a DuckDB database ({_describe_bytes(head, size)}); refusing to touch it")
    try:
        con = _open_to_inspect(path)
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        if "lock" in first_line.lower():
            raise  # in use by another process: not a verdict on what the file is
        raise NotAWarehouse(f"{path} is a DuckDB file this DuckDB {duckdb.__version__} cannot open "
                            f"read-only ({first_line})") from exc
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "ORDER BY table_name").fetchall()]
        views = con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal "
                            "AND database_name = current_database()").fetchone()[0]
        if SCHEMA_MARKER_TABLE in tables:
            version = con.execute(f"SELECT max(version) FROM {SCHEMA_MARKER_TABLE}").fetchone()[0]
            if version is not None and version > SCHEMA_VERSION:
                raise NotAWarehouse(f"{path} is a Baogao warehouse of schema version {version}, newer "
                                    f"than this Baogao's {SCHEMA_VERSION}; upgrade Baogao to write to it")
            return "baogao"
    finally:
        con.close()
    if not tables and not views:
        return "new"
    if set(STAR_TABLES + OPERATIONAL_TABLES) <= set(tables):
        return "baogao-unmarked"
    if _FIRST_LAYOUT_TABLES <= set(tables):
        raise NotAWarehouse(f"{path} is a Baogao warehouse of the first layout (no raw layer: report texts were "
                            "not kept), which cannot be upgraded in place; load the reports into a new warehouse")
    shown = ", ".join(tables[:6]) + (f" … ({len(tables)} tables)" if len(tables) > 6 else "")
    raise NotAWarehouse(f"{path} is another program's DuckDB database (tables: {shown or 'none, only views'}) "
                        f"without Baogao's {SCHEMA_MARKER_TABLE} marker; refusing to touch it")


def _open_to_inspect(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection that reads `path` without changing it: read-only, or — when this process
    already holds the file read-write (then it was checked when opened) — a second cursor on
    that same open database."""
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            raise
        return duckdb.connect(str(path))


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in the warehouse (None before the marker exists)."""
    has_marker = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
                             "AND database_name = current_database()", [SCHEMA_MARKER_TABLE]).fetchone()[0]
    if not has_marker:
        return None
    return con.execute(f"SELECT max(version) FROM {SCHEMA_MARKER_TABLE}").fetchone()[0]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, comment and view if missing, and record the schema version; safe to
    run any number of times."""
    con.execute(schema_ddl())
    _drop_growing_key_indexes(con)
    # The unknown region: reports whose region cannot be determined point here.
    con.execute(f"INSERT INTO dim_region (region_code, region_name, street_name) VALUES ('{UNKNOWN_REGION_CODE}', '未知', '未知') "
                "ON CONFLICT DO NOTHING")
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    _comment_view_columns(con)
    _mark_schema(con)


def _drop_growing_key_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Upgrade 2 → 3: every table declared key_index: false that still has its PRIMARY KEY (a
    file made before version 3) is rebuilt without it, rows and comments kept, and the version-3
    marker written, all in one transaction (a crash leaves the file as it was). DuckDB cannot drop
    a primary key in place; views bind by name, so they keep working."""
    keyed = [contract for contract in tables().values() if not contract.key_index and con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND table_name = ? AND constraint_type = 'PRIMARY KEY'", [contract.name]).fetchall()[0][0]]
    if not keyed:
        return
    has_marker = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                             "AND table_name = ?", [SCHEMA_MARKER_TABLE]).fetchall()[0][0]
    con.execute("BEGIN TRANSACTION")
    try:
        for contract in keyed:
            old = f"{contract.name}__keyed"
            columns = ", ".join(f'"{c}"' for c in contract.column_names)
            con.execute(f"ALTER TABLE {contract.name} RENAME TO {old}")
            con.execute(contract.ddl())
            con.execute(f"INSERT INTO {contract.name} ({columns}) SELECT {columns} FROM {old}")
            con.execute(f"DROP TABLE {old}")
        if has_marker:
            from baogao import __version__

            con.execute(f"INSERT INTO {SCHEMA_MARKER_TABLE} VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        [SCHEMA_VERSION, datetime.now(timezone.utc), __version__])
        con.execute("COMMIT")
    except BaseException:
        rollback_quietly(con)
        raise


def _mark_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Record that this file is a Baogao warehouse at SCHEMA_VERSION (one row per version)."""
    from baogao import __version__

    con.execute(f"""
        CREATE TABLE IF NOT EXISTS {SCHEMA_MARKER_TABLE} (
            version INTEGER PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL,
            baogao_version VARCHAR NOT NULL
        )""")
    con.execute(f"COMMENT ON TABLE {SCHEMA_MARKER_TABLE} IS 'Marks the file as a Baogao warehouse: one row "
                "per schema version applied (migrations read max(version)).'")
    for column, comment in (("version", "Schema version of the table layout (warehouse.db.SCHEMA_VERSION)."),
                            ("applied_at", "UTC time the version was first applied to this file."),
                            ("baogao_version", "Baogao release that applied it.")):
        con.execute(f"COMMENT ON COLUMN {SCHEMA_MARKER_TABLE}.{column} IS '{comment}'")
    con.execute(f"INSERT INTO {SCHEMA_MARKER_TABLE} VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [SCHEMA_VERSION, datetime.now(timezone.utc), __version__])


def _describe_bytes(head: bytes, size: int) -> str:
    """A few words on what a non-DuckDB file looks like, for the refusal message."""
    sample = head[:64]
    if sample.startswith(b"SQLite format 3"):
        kind = "an SQLite database"
    elif sample.startswith(b"PAR1"):
        kind = "a Parquet file"
    elif sample.startswith(b"%PDF"):
        kind = "a PDF"
    elif sample.startswith(b"PK"):
        kind = "a ZIP/Office file"
    else:
        text = _utf8_prefix(sample)
        if text is not None and all(c.isprintable() or c in "\r\n\t" for c in text):
            kind = "text, CSV-like" if "," in text or "\t" in text else "text"
        else:
            kind = "unrecognised binary data"
    return f"{size} bytes of {kind}"


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
            comment = f"Year-on-year growth of {column[:-8]} in percent (its mart_indicator row)."
        elif comment is None and column in ("reports", "facts", "distinct_values", "units", "rows_at_grain"):
            comment = f"Number of {column.replace('_', ' ')} behind this row."
        elif comment is None and column == "stated_order":
            comment = "Order in which the facts of one grain were stated."
        elif comment is None:
            comment = f"Level of {column} in its canonical unit (its mart_indicator row)."
        literal = "'" + comment.replace("'", "''") + "'"
        con.execute(f'COMMENT ON COLUMN {view}."{column}" IS {literal}')


def _utf8_prefix(sample: bytes) -> str | None:
    """`sample` as UTF-8 text, allowing a character cut at its end; None if it is not text."""
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return sample[: exc.start].decode("utf-8")
        return None

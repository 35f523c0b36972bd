"""The `baogao` command: run the nightly flow, extract facts, query and export the warehouse.

Heavy imports (Prefect, Great Expectations, the extractor) happen inside the subcommand that
needs them, so `baogao query` and `baogao extract` start fast.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from baogao import __version__
from baogao.paths import default_inbox, default_warehouse

# Prefect's temporary server otherwise tries to send telemetry (no network on most servers).
# Its start-up timeout defaults to 20 s; on a busy 2-core machine it needs 20-40 s (measured in
# issue 10), so give it minutes: a slow start is better than a failed night.
SERVER_STARTUP_TIMEOUT_S = 300
RUN_ENV_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(SERVER_STARTUP_TIMEOUT_S),
    # polars' allocator (jemalloc) keeps freed pages 10 s by default, longer than a chunk takes, so
    # each chunk's frames sat on top of the last one's. Returned at once: the writer starts a chunk
    # ~65 MB lower (measured on 12 chunks of 500 reports; 4 % more time building them). Read when
    # polars loads, so it is set before anything imports polars; Dask workers inherit it.
    "_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0",
}
_SERVER_HINT = ("start a Prefect server yourself (`prefect server start`) and set "
                "PREFECT_API_URL=http://127.0.0.1:4200/api, or raise "
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")


def apply_run_env() -> None:
    """The environment a run needs (Prefect, GX, allocator), where the user has not set it;
    before flows (and polars) are imported."""
    for key, value in RUN_ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)


def _announce_server() -> None:
    """Say what the first, silent seconds are spent on when no Prefect server is configured."""
    if not os.environ.get("PREFECT_API_URL"):
        timeout = os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]
        click.echo(f"starting Prefect's temporary local server (waiting up to {timeout} s; "
                   "10-40 s is usual)…", err=True)


def _is_server_startup_failure(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) and "ephemeral Prefect API server" in str(exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baogao")
def main() -> None:
    """Baogao (报告): Chinese work reports in, validated DuckDB facts out."""


@main.command()
@click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), default=default_inbox,
              show_default="the bundled samples", help="Folder of report files (.txt, .md, .html).")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False), default=default_warehouse,
              show_default="data/warehouse.duckdb", help="DuckDB file to load into (created if missing).")
@click.option("--batch-size", default=10, show_default=True, help="Files per extraction task.")
@click.option("--chunk-size", default=300, show_default=True,  # flows.parallel.DEFAULT_CHUNK_SIZE
              help="Files per chunk: each chunk is validated and loaded in one transaction.")
@click.option("--wait", "wait_seconds", default=0.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait for another run that holds the warehouse before giving up.")
@click.option("--max-file-mb", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Files larger than this are recorded as failed without being read.")
@click.option("--workers", type=click.IntRange(min=0), default=None, show_default="one per core",
              help="Dask worker processes of the local cluster; 0 extracts in this process.")
@click.option("--dask-address", envvar="BAOGAO_DASK_ADDRESS", default=None, show_envvar=True,
              help="Existing Dask scheduler (tcp://host:8786) to extract on instead of a local cluster.")
@click.option("--file-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              show_default="300", help="Per-file time budget: a file still running after it fails alone.")
def run(inbox: Path, warehouse: Path, batch_size: int, chunk_size: int, wait_seconds: float,
        max_file_mb: float, workers: int | None, dask_address: str | None, file_seconds: float | None) -> None:
    """Run the nightly flow once: load every new report in INBOX into WAREHOUSE, and rebuild the
    reports whose facts an earlier extractor, catalogue or corrections file made."""
    if not inbox.is_dir():
        raise click.UsageError(f"inbox {inbox} is not a folder")
    _run_flow(warehouse, wait_seconds, inbox=str(inbox), batch_size=batch_size, chunk_size=chunk_size,
              max_file_bytes=int(max_file_mb * 1024 * 1024), workers=workers, dask_address=dask_address,
              file_seconds=file_seconds)


@main.command()
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=default_warehouse,
              show_default="data/warehouse.duckdb", help="DuckDB file whose reports to rebuild.")
@click.option("--report", "reports", multiple=True,
              help="Only this report (report_key, report_id, content sha256 or file name); repeatable.")
@click.option("--wait", "wait_seconds", default=0.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait for another run that holds the warehouse before giving up.")
def rebuild(warehouse: Path, reports: tuple[str, ...], wait_seconds: float) -> None:
    """Re-derive facts from the raw texts in the warehouse (no inbox needed), report by report."""
    _run_flow(warehouse, wait_seconds, inbox=None, rebuild=not reports, rebuild_only=list(reports) or None)


def _run_flow(warehouse: Path, wait_seconds: float, **params: object) -> None:
    """The nightly flow under the warehouse lock, stopped cleanly by SIGTERM/SIGINT."""
    apply_run_env()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    from baogao.run_guard import guarded_run
    from flows.nightly import nightly

    def run_once() -> dict:
        from flows.nightly import RunFailed

        _announce_server()
        try:
            return nightly(warehouse=str(warehouse), **params)
        except RunFailed as exc:
            return exc.summary

    try:
        summary = guarded_run(warehouse, wait_seconds, run_once)
    except RuntimeError as exc:
        if not _is_server_startup_failure(exc):
            raise
        raise click.ClickException(f"Prefect's temporary server did not start: {str(exc).splitlines()[0]} "
                                   f"Hint: {_SERVER_HINT}.") from None
    _print_summary(summary)
    where = f" --warehouse {summary['warehouse']}"
    if summary["files_failed"] or summary["rebuilds_failed"]:
        click.echo(f"{summary['files_failed']} file(s) and {summary['rebuilds_failed']} rebuild(s) failed; see: "
                   f"baogao query \"select file_name, stage, error from etl_file where run_id = '{summary['run_id']}' "
                   f"and status = 'failed'\"{where}", err=True)
    if summary["status"] == "failed":
        click.echo(f"run failed: {summary['error']}", err=True)
        sys.exit(1)


SUMMARY_LINES: tuple[tuple[str, str], ...] = (
    ("files new", "files_new"), ("files unchanged", "files_unchanged"), ("files duplicate", "files_duplicate"),
    ("files failed", "files_failed"), ("reports rebuilt", "reports_rebuilt_text"),
    ("facts loaded", "facts_loaded"), ("facts quarantined", "facts_quarantined"),
    ("corrections applied", "corrections_applied"), ("corrections unmatched", "corrections_unmatched"),
    ("warehouse", "warehouse"), ("data-quality report", "dq_report"))


def summary_text(summary: dict) -> str:
    """The run summary as aligned `label  value` lines; values (paths) are never wrapped or cut,
    so they can be copied from any terminal."""
    width = max(len(label) for label, _ in SUMMARY_LINES)
    rebuilt = f"{summary.get('reports_rebuilt', 0)}" + (f" ({summary['rebuild_reason']})"
                                                       if summary.get("rebuild_reason") else "")
    values = {**summary, "reports_rebuilt_text": rebuilt}
    lines = [f"baogao run {summary['run_id']} — {summary['status']}"]
    lines += [f"  {(label + ':').ljust(width + 1)} {values.get(key)}" for label, key in SUMMARY_LINES]
    return "\n".join(lines)


def _print_summary(summary: dict) -> None:
    click.echo(summary_text(summary))


_RULE_KINDS = (("accepted", ("mention.", "qualifier.")), ("named", ("name.",)), ("measured", ("measure.", "change.")),
               ("plan", ("plan.",)), ("period", ("period.",)))


def _explain(record: dict, rules: list[str]) -> str:
    """One fact and the rules behind it, grouped by what they decided."""
    head = (f"{record['raw_value']}  →  {record['indicator']} = {record['value']} {record['unit']}  "
            f"[{record['measure']}, {record['qualifier']}, period {record['period_text']}, plan {record['plan']}]")
    lines = [head, f"    evidence: {record['evidence']}"]
    for kind, prefixes in _RULE_KINDS:
        ids = [r for r in rules if r.startswith(prefixes)]
        lines.append(f"    {kind + ':':10s}{', '.join(ids) if ids else '-'}")
    return "\n".join(lines)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--text", "inline", help="Extract from this text instead of files (e.g. one sentence).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--explain", is_flag=True, help="Show the rules that accepted, named, measured, flagged and dated each fact.")
@click.option("--rejected", is_flag=True, help="Also list the numbers turned down, with the rule that rejected each.")
def extract(files: tuple[Path, ...], inline: str | None, fmt: str, explain: bool, rejected: bool) -> None:
    """Extract facts from FILES (no warehouse, no Prefect): one JSON object per fact on stdout."""
    from transforms.decode import DecodeError, read_report
    from transforms.extract import extract_facts, facts_to_jsonl_records
    from transforms.mentions import find_mentions

    if not files and inline is None:
        raise click.UsageError("give FILES or --text")
    failed = 0
    sources: list[tuple[str, Path | None]] = [(inline, None)] if inline is not None else []
    sources += [("", path) for path in files]
    for given, path in sources:
        name = path.name if path else "text"
        try:
            text = read_report(path).text if path else given
        except (DecodeError, OSError) as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        facts = extract_facts(text, name)
        records = facts_to_jsonl_records(facts)
        if explain:
            for record, rules in zip(records, facts["rules"].to_list()):
                click.echo(_explain(record, rules))
        elif fmt == "jsonl":
            out = sys.stdout
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            import polars as pl

            with pl.Config(tbl_rows=-1, fmt_str_lengths=40, tbl_width_chars=200):
                click.echo(facts.select("indicator", "raw_value", "value", "unit", "measure",
                                        "qualifier", "period_text", "plan"))
        if rejected:
            turned_down: list[tuple[int, int, str, str]] = []
            find_mentions(text, turned_down)
            for start, end, raw, rule in turned_down:
                click.echo(f"rejected: {raw} ({name} chars {start}-{end}) by {rule}", err=not explain)
    sys.exit(1 if failed else 0)


def read_sql(sql: str | None, sql_file: Path | None) -> str:
    """The SQL to run: the argument, '-' for standard input, or the file given with -f."""
    if sql_file is not None and sql is not None:
        raise click.UsageError("give the SQL either as an argument or with -f FILE, not both")
    if sql_file is not None:
        text = sys.stdin.read() if str(sql_file) == "-" else Path(sql_file).read_text(encoding="utf-8")
    elif sql == "-":
        text = sys.stdin.read()
    elif sql is not None:
        text = sql
    else:
        raise click.UsageError("no SQL: give it as an argument, '-' to read standard input, or -f FILE")
    if not text.strip():
        raise click.UsageError("the SQL is empty")
    return text


def json_value(value: object) -> object:
    """A JSON-ready value: exact decimals as numbers (integers when whole), dates as ISO text."""
    from datetime import date, datetime, time as dtime
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date, dtime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value


def write_result(rel, fmt: str, max_rows: int) -> None:  # noqa: ANN001 - a duckdb relation
    """Print a query result as a table, CSV, a JSON array or JSON lines."""
    if fmt == "table":
        rel.show(max_rows=max_rows, max_width=200)
        return
    if fmt == "csv":
        rel.pl().write_csv(sys.stdout)
        return
    columns = rel.columns
    rows = ({c: json_value(v) for c, v in zip(columns, row)} for row in rel.fetchall())
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=1))


@main.command()
@click.argument("sql", required=False)
@click.option("-f", "--file", "sql_file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              default=None, help="Read the SQL from FILE ('-' for standard input).")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=default_warehouse, show_default="data/warehouse.duckdb")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]), default="table",
              show_default=True, help="json: one array of objects; jsonl: one object per line (numbers as numbers).")
@click.option("--max-rows", default=100, show_default=True, help="Rows shown in table format.")
@click.option("--allow-files", "allow_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Let COPY … TO write this file (repeatable); no other file can be read or written.")
def query(sql: str | None, sql_file: Path | None, warehouse: Path, fmt: str, max_rows: int,
          allow_files: tuple[Path, ...]) -> None:
    """Run read-only, sandboxed SQL against the warehouse and print the result (warehouse/sandbox.py).
    SQL is the argument, '-' (standard input) or -f FILE."""
    import duckdb

    from warehouse import sandbox

    sql = read_sql(sql, sql_file)
    try:
        with sandbox.connect(warehouse, allow_files) as con:
            rel = sandbox.sql(con, sql, allow_files=bool(allow_files))
            if rel is None:
                return
            write_result(rel, fmt, max_rows)
    except (duckdb.Error, sandbox.QueryRefused) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--parquet", "parquet_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Same as FOLDER (kept for scripts written before FOLDER).")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV files instead of Parquet.")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=default_warehouse, show_default="data/warehouse.duckdb")
def export(folder: Path | None, parquet_dir: Path | None, as_csv: bool, warehouse: Path) -> None:
    """Export every table and view of the warehouse into FOLDER: one Parquet file each (CSV with
    --csv). Prints the files written."""
    import duckdb

    from warehouse.export import export_relations

    target = folder or parquet_dir
    if target is None:
        raise click.UsageError("give the folder to write into: baogao export FOLDER [--csv]")
    if folder is not None and parquet_dir is not None and folder != parquet_dir:
        raise click.UsageError("give the folder once: FOLDER or --parquet FOLDER")
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            for path in export_relations(con, target, "csv" if as_csv else "parquet"):
                click.echo(str(path))
    except duckdb.Error as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("report")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=default_warehouse, show_default="data/warehouse.duckdb")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder to write the page into.  [default: reports/ beside the warehouse]")
@click.option("--open/--no-open", "open_page", default=False, show_default=True,
              help="Open the page in the default web browser.")
def show(report: str, warehouse: Path, out_dir: Path | None, open_page: bool) -> None:
    """Write the viewer page of REPORT (file name, report id or report key): its text with every
    fact highlighted, and a table of facts. Prints the page's path."""
    import duckdb

    from baogao.paths import pages_dir_for
    from viewer.report_page import ReportNotFound, resolve_report, write_report_page

    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            page = write_report_page(con, resolve_report(con, report), out_dir or pages_dir_for(warehouse))
    except (ReportNotFound, FileNotFoundError, ValueError, duckdb.Error) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(page))
    if open_page:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


@main.command()
@click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), default=default_inbox)
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False), default=default_warehouse)
@click.option("--cron", default="0 2 * * *", show_default=True, help="When to run.")
@click.option("--timezone", default="Asia/Shanghai", show_default=True, help="Time zone of the cron.")
def serve(inbox: Path, warehouse: Path, cron: str, timezone: str) -> None:
    """Serve the nightly deployment on a cron schedule (needs a Prefect server: PREFECT_API_URL)."""
    apply_run_env()
    from pydantic import ValidationError

    from flows.nightly import nightly_deployment

    try:
        deployment = nightly_deployment(inbox, warehouse, cron, timezone)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise click.BadParameter(reason, param_hint="'--cron' / '--timezone'") from None
    api = os.environ.get("PREFECT_API_URL", "").rstrip("/")
    problem = prefect_server_problem(api)
    if problem:
        raise click.ClickException(
            f"{problem}; scheduled runs need a Prefect server. Start one with `prefect server start` "
            f"(or `docker compose up -d`) and set PREFECT_API_URL=http://127.0.0.1:4200/api")
    from prefect import serve as prefect_serve

    prefect_serve(deployment)


def prefect_server_problem(api_url: str, timeout: float = 5.0) -> str | None:
    """Why the Prefect API at api_url cannot serve schedules, or None if it answers its health check."""
    import urllib.error
    import urllib.request

    if not api_url:
        return "PREFECT_API_URL is not set (Prefect's temporary server never runs schedules)"
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            if resp.status == 200:
                return None
            return f"the Prefect server at {api_url} answered {resp.status} to its health check"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"no Prefect server answers at {api_url} ({reason})"


if __name__ == "__main__":
    main()

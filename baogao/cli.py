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
_PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(SERVER_STARTUP_TIMEOUT_S),
}
_SERVER_HINT = ("start a Prefect server yourself (`prefect server start`) and set "
                "PREFECT_API_URL=http://127.0.0.1:4200/api, or raise "
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")


def _prefect_env() -> None:
    for key, value in _PREFECT_DEFAULTS.items():
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
@click.option("--chunk-size", default=500, show_default=True,
              help="Files per chunk: each chunk is validated and loaded in one transaction.")
@click.option("--workers", type=click.IntRange(min=0), default=None, show_default="one per core",
              help="Dask worker processes of the local cluster; 0 extracts in this process.")
@click.option("--dask-address", envvar="BAOGAO_DASK_ADDRESS", default=None, show_envvar=True,
              help="Existing Dask scheduler (tcp://host:8786) to extract on instead of a local cluster.")
@click.option("--file-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              show_default="300", help="Per-file time budget: a file still running after it fails alone.")
def run(inbox: Path, warehouse: Path, batch_size: int, chunk_size: int, workers: int | None,
        dask_address: str | None, file_seconds: float | None) -> None:
    """Run the nightly flow once: load every new report in INBOX into WAREHOUSE, and rebuild the
    reports whose facts an earlier extractor, catalogue or corrections file made."""
    if not inbox.is_dir():
        raise click.UsageError(f"inbox {inbox} is not a folder")
    _run_flow(warehouse, inbox=str(inbox), batch_size=batch_size, chunk_size=chunk_size, workers=workers,
              dask_address=dask_address, file_seconds=file_seconds)


@main.command()
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=default_warehouse,
              show_default="data/warehouse.duckdb", help="DuckDB file whose reports to rebuild.")
@click.option("--report", "reports", multiple=True,
              help="Only this report (report_key, report_id, content sha256 or file name); repeatable.")
def rebuild(warehouse: Path, reports: tuple[str, ...]) -> None:
    """Re-derive facts from the raw texts in the warehouse (no inbox needed), report by report."""
    _run_flow(warehouse, inbox=None, rebuild=not reports, rebuild_only=list(reports) or None)


def _run_flow(warehouse: Path, **params: object) -> None:
    _prefect_env()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    from flows.nightly import RunFailed, nightly

    _announce_server()
    try:
        summary = nightly(warehouse=str(warehouse), **params)
    except RunFailed as exc:
        summary = exc.summary
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


def _print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"baogao run {summary['run_id']} — {summary['status']}", show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    rebuilt = str(summary["reports_rebuilt"]) + (f" ({summary['rebuild_reason']})" if summary["rebuild_reason"] else "")
    for label, value in (("files new", summary["files_new"]), ("files unchanged", summary["files_unchanged"]),
                         ("files duplicate", summary["files_duplicate"]), ("files failed", summary["files_failed"]),
                         ("reports rebuilt", rebuilt), ("facts loaded", summary["facts_loaded"]),
                         ("facts quarantined", summary["facts_quarantined"]),
                         ("corrections applied", summary["corrections_applied"]),
                         ("corrections unmatched", summary["corrections_unmatched"]),
                         ("warehouse", summary["warehouse"]), ("data-quality report", summary["dq_report"])):
        table.add_row(label, str(value))
    Console().print(table)
    # Paths on lines of their own, so they can be copied whole.
    click.echo(f"reports rebuilt: {rebuilt}")
    click.echo(f"data-quality report: {summary['dq_report']}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
def extract(files: tuple[Path, ...], fmt: str) -> None:
    """Extract facts from FILES (no warehouse, no Prefect): one JSON object per fact on stdout."""
    from transforms.decode import DecodeError, read_report
    from transforms.extract import extract_facts, facts_to_jsonl_records

    failed = 0
    for path in files:
        try:
            text = read_report(path).text
        except (DecodeError, OSError) as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        facts = extract_facts(text, path.name)
        if fmt == "jsonl":
            out = sys.stdout
            for record in facts_to_jsonl_records(facts):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            import polars as pl

            with pl.Config(tbl_rows=-1, fmt_str_lengths=40, tbl_width_chars=200):
                click.echo(facts.select("indicator", "raw_value", "value", "unit", "measure",
                                        "qualifier", "period_text", "plan"))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("sql")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=default_warehouse, show_default="data/warehouse.duckdb")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--max-rows", default=100, show_default=True, help="Rows shown in table format.")
def query(sql: str, warehouse: Path, fmt: str, max_rows: int) -> None:
    """Run read-only SQL against the warehouse and print the result."""
    import duckdb

    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rel = con.sql(sql)
            if rel is None:
                return
            if fmt == "table":
                rel.show(max_rows=max_rows, max_width=200)
            elif fmt == "csv":
                rel.pl().write_csv(sys.stdout)
            else:
                for row in rel.pl().iter_rows(named=True):
                    click.echo(json.dumps(row, ensure_ascii=False, default=str))
    except duckdb.Error as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--parquet", "parquet_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write one Parquet file per star-schema table.")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=default_warehouse, show_default="data/warehouse.duckdb")
def export(parquet_dir: Path, warehouse: Path) -> None:
    """Export the star schema as Parquet files."""
    from warehouse.db import connect
    from warehouse.load import export_parquet

    with connect(warehouse, read_only=True) as con:
        for path in export_parquet(con, parquet_dir):
            click.echo(str(path))


@main.command()
@click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), default=default_inbox)
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False), default=default_warehouse)
@click.option("--cron", default="0 2 * * *", show_default=True, help="When to run.")
@click.option("--timezone", default="Asia/Shanghai", show_default=True, help="Time zone of the cron.")
def serve(inbox: Path, warehouse: Path, cron: str, timezone: str) -> None:
    """Serve the nightly deployment on a cron schedule (needs a Prefect server: PREFECT_API_URL)."""
    _prefect_env()
    from prefect import serve as prefect_serve

    from flows.nightly import nightly_deployment

    if not os.environ.get("PREFECT_API_URL"):
        click.echo("note: without PREFECT_API_URL Prefect uses a temporary server, which never runs "
                   "scheduled flows; start `prefect server start` and set PREFECT_API_URL.", err=True)
    prefect_serve(nightly_deployment(inbox, warehouse, cron, timezone))


if __name__ == "__main__":
    main()

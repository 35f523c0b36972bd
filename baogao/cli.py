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
_PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "INFO",
}


def _prefect_env() -> None:
    for key, value in _PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baogao")
def main() -> None:
    """Baogao (报告): Chinese work reports in, validated DuckDB facts out."""


@main.command()
@click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), default=default_inbox,
              show_default="the bundled samples", help="Folder of report files (.txt, .md, .html).")
@click.option("--warehouse", type=click.Path(path_type=Path, dir_okay=False), default=default_warehouse,
              show_default="data/warehouse.duckdb", help="DuckDB file to load into (created if missing).")
@click.option("--batch-size", default=25, show_default=True, help="Files per extraction task.")
def run(inbox: Path, warehouse: Path, batch_size: int) -> None:
    """Run the nightly flow once: load every new report in INBOX into WAREHOUSE."""
    _prefect_env()
    if not inbox.is_dir():
        raise click.UsageError(f"inbox {inbox} is not a folder")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    from flows.nightly import nightly

    summary = nightly(inbox=str(inbox), warehouse=str(warehouse), batch_size=batch_size)
    _print_summary(summary)
    if summary["files_failed"]:
        click.echo(f"{summary['files_failed']} file(s) failed; see: baogao query "
                   f"\"select file_name, stage, error from etl_file where run_id = '{summary['run_id']}' "
                   f"and status = 'failed'\"", err=True)


def _print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"baogao run {summary['run_id']} — {summary['status']}", show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for label, key in (("files new", "files_new"), ("files unchanged", "files_unchanged"),
                       ("files failed", "files_failed"), ("facts loaded", "facts_loaded"),
                       ("facts quarantined", "facts_quarantined"), ("warehouse", "warehouse"),
                       ("data-quality report", "dq_report")):
        table.add_row(label, str(summary[key]))
    Console().print(table)


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
    _prefect_env()
    from prefect import serve as prefect_serve

    from flows.nightly import nightly_deployment

    if not os.environ.get("PREFECT_API_URL"):
        click.echo("note: without PREFECT_API_URL Prefect uses a temporary server, which never runs "
                   "scheduled flows; start `prefect server start` and set PREFECT_API_URL.", err=True)
    prefect_serve(nightly_deployment(inbox, warehouse, cron, timezone))


if __name__ == "__main__":
    main()

"""Every run leaves a true record: running at start, interrupted when its process died, failed with
the cause when a load fails, and a data-quality report for every recorded run."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.nightly import RunFailed, nightly
from warehouse import db, load

pytestmark = pytest.mark.prefect


def _rows(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_a_run_left_running_is_marked_interrupted_and_gets_a_report(prefect_harness, tmp_path: Path,
                                                                     samples_dir: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    dead = "20260101T000000Z-dead00"
    with db.connect(warehouse) as con:  # a run whose process was killed after it started
        load.start_run(con, {"run_id": dead, "started_at": datetime(2026, 1, 1)})
    inbox = tmp_path / "inbox"
    shutil.copytree(samples_dir, inbox)
    summary = nightly(inbox=str(inbox), warehouse=str(warehouse))
    assert summary["status"] == "success"
    (status, error, path), = _rows(warehouse, "select status, error, dq_report_path from etl_run where run_id = ?",
                                   [dead])
    assert status == "interrupted" and "killed" in error
    assert Path(path).exists() and "interrupted" in Path(path).read_text(encoding="utf-8")
    # every recorded run has its report, and every report folder belongs to a recorded run
    runs = {r[0] for r in _rows(warehouse, "select run_id from etl_run")}
    assert {p.name for p in (tmp_path / "quality").iterdir() if p.is_dir()} == runs


def test_a_failed_load_is_recorded_with_its_cause(prefect_harness, tmp_path: Path, samples_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(con, chunk):  # what DuckDB raises when the disk fills during a write
        raise duckdb.IOException("Could not write file: No space left on device")

    monkeypatch.setattr(load, "load_chunk", disk_full)
    inbox = tmp_path / "inbox"
    shutil.copytree(samples_dir, inbox)
    warehouse = tmp_path / "w.duckdb"
    with pytest.raises(RunFailed) as failed:
        nightly(inbox=str(inbox), warehouse=str(warehouse))
    assert failed.value.summary["status"] == "failed"
    (status, error, facts), = _rows(warehouse, "select status, error, facts_loaded from etl_run")
    assert status == "failed" and "No space left on device" in error and facts == 0
    assert _rows(warehouse, "select count(*) from raw_report") == [(0,)]

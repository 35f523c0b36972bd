"""Two `baogao run` processes started together on one warehouse: one loads, the other waits,
and the records of both are true. (Refusal without --wait, against a real holder process:
tests/warehouse/test_lock.py.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
REPO = Path(__file__).resolve().parents[2]


def _start_two(tmp_path: Path, wait: str) -> tuple[list[subprocess.CompletedProcess], Path]:
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO / "data" / "samples", inbox)
    warehouse = tmp_path / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PYTHONPATH=str(REPO), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    cmd = [sys.executable, "-m", "baogao.cli", "run", "--inbox", str(inbox), "--warehouse", str(warehouse),
           "--wait", wait]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    done = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=600)
            done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return done, warehouse


def _runs(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select status, files_new, files_unchanged, facts_loaded from etl_run "
                           "order by started_at").fetchall()


def test_second_run_waits_and_then_finds_nothing_new(tmp_path: Path) -> None:
    done, warehouse = _start_two(tmp_path, "600")
    assert [p.returncode for p in done] == [0, 0], [p.stderr[-2000:] for p in done]
    (first, second) = _runs(warehouse)
    assert first[:3] == ("success", 5, 0) and first[3] > 0
    assert second == ("success", 0, 5, 0)

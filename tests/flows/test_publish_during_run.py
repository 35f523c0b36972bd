"""The nightly flow and an analyst at the same time, as two processes: an interactive read-only
connection held open on the published file for the whole run, plus a fresh query every 0.1 s.
The run succeeds; every query succeeds and sees a complete state (before or after the run)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.nightly import nightly

pytestmark = pytest.mark.prefect

# One analyst process per mode (benchmarks/analyst_reader.py): "hold" keeps one connection open,
# "poll" opens a fresh connection per query.
ANALYST = Path(__file__).resolve().parents[2] / "benchmarks" / "analyst_reader.py"


def test_run_succeeds_while_an_analyst_holds_and_polls_the_published_file(prefect_harness, tmp_path: Path,
                                                                           samples_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    samples = sorted(samples_dir.glob("*.txt"))
    for f in samples[:2]:
        shutil.copy(f, inbox)
    published = tmp_path / "warehouse.duckdb"
    first = nightly(inbox=str(inbox), warehouse=str(published))
    assert first["warehouse"] == str(published) and first["status"] == "success"

    stop = tmp_path / "stop"
    analysts = {mode: subprocess.Popen([sys.executable, str(ANALYST), mode, str(published), str(stop), "0.1"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for mode in ("hold", "poll")}
    try:
        for proc in analysts.values():
            assert json.loads(proc.stdout.readline()) == {"ready": True}
        for f in samples[2:]:
            shutil.copy(f, inbox)
        second = nightly(inbox=str(inbox), warehouse=str(published))
        time.sleep(1.0)  # let the poller query the new state a few times
    finally:
        stop.touch()
        outputs = {mode: proc.communicate(timeout=60) for mode, proc in analysts.items()}
    assert second["status"] == "success" and second["files_new"] == 3
    rows = {mode: [json.loads(line) for line in out.splitlines()] for mode, (out, _) in outputs.items()}
    assert rows["hold"] and rows["poll"], outputs
    assert [r for mode in rows for r in rows[mode] if "error" in r] == []
    assert {tuple(r["seen"]) for r in rows["hold"]} == {(2, 1)}  # the held connection keeps its snapshot
    assert {tuple(r["seen"]) for r in rows["poll"]} <= {(2, 1), (5, 2)}  # never a half-loaded state
    assert tuple(rows["poll"][-1]["seen"]) == (5, 2)

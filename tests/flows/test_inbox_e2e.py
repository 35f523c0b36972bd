"""End to end: an inbox of the five samples plus entries that are not readable reports, a
subfolder, an unsupported copy and manifest lines that are wrong — every entry gets its row."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly

pytestmark = pytest.mark.prefect

EXTRA = "2023/北京/extra.txt"
EXTRA_TEXT = "东华门街道2023年工作总结\n2023年,东华门街道新增就业岗位120个,完成老旧小区改造8个。\n"


@pytest.fixture(scope="module")
def run(prefect_harness, tmp_path_factory, samples_dir):
    root = tmp_path_factory.mktemp("inbox-e2e")
    inbox = root / "inbox"
    shutil.copytree(samples_dir, inbox)
    (inbox / EXTRA).parent.mkdir(parents=True)
    (inbox / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    with open(inbox / "huge.txt", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "dangling.txt").symlink_to(inbox / "nowhere.txt")
    (root / "outside.txt").write_text("收件箱外的文件", encoding="utf-8")
    (inbox / "escape.txt").symlink_to(root / "outside.txt")
    shutil.copy(inbox / "000_f816bb56f3e9c5c7.txt", inbox / "000_copy.bak")  # sorts before the .txt
    with open(inbox / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"file": "broken.txt", "year": \n')
        fh.write(json.dumps({"file": EXTRA, "region_code": "999999999", "year": 2023}) + "\n")
    warehouse = root / "warehouse.duckdb"
    summary = nightly(inbox=str(inbox), warehouse=str(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {r[0]: r[1:] for r in con.execute(
            "select file_name, status, stage, error from etl_file where run_id = ?", [summary["run_id"]]).fetchall()}
        extra = con.execute("select region_code, report_year from dim_report where file_name = ?", [EXTRA]).fetchone()
        reports = con.execute("select count(*) from dim_report").fetchone()[0]
    return {"summary": summary, "files": files, "extra": extra, "reports": reports}


def test_the_samples_and_the_report_in_a_subfolder_are_loaded(run, samples_dir: Path) -> None:
    assert run["reports"] == 6
    new = sorted(name for name, row in run["files"].items() if row[0] == "new")
    assert new == sorted([p.name for p in samples_dir.glob("*.txt")] + [EXTRA])


# (etl_file name, stage, words of the error)
FAILED = [
    ("huge.txt", "discover", "over the size limit"),
    ("pipe.txt", "discover", "FIFO"),
    ("dangling.txt", "discover", "dangling symbolic link"),
    ("escape.txt", "discover", "outside the inbox"),
    ("000_copy.bak", "decode", "unsupported file type"),
    ("manifest.jsonl:6", "manifest", "not valid JSON"),
    ("manifest.jsonl:7", "manifest", "region_code 999999999 is not in the official"),
]


@pytest.mark.parametrize("name,stage,words", FAILED, ids=[f[0] for f in FAILED])
def test_every_other_entry_has_a_failed_row_with_its_reason(run, name: str, stage: str, words: str) -> None:
    status, got_stage, error = run["files"][name]
    assert (status, got_stage) == ("failed", stage) and words in error, error


def test_run_counts_every_entry(run) -> None:
    s = run["summary"]
    assert (s["files_new"], s["files_failed"], s["status"]) == (6, len(FAILED), "partial")


def test_unknown_manifest_code_falls_back_to_inference(run) -> None:
    assert run["extra"] == ("110101001", 2023)  # 东华门街道 named in the report's own title

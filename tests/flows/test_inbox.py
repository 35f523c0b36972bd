"""The inbox: which files are candidates and which content is new."""
from __future__ import annotations

from pathlib import Path

import pytest

from flows.inbox import batches, list_inbox, split_new_and_known


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_lists_reports_but_not_manifest_or_hidden_files(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "甲")
    _write(tmp_path, "b.pdf", "乙")
    _write(tmp_path, "manifest.jsonl", "{}")
    _write(tmp_path, ".DS_Store", "x")
    assert [f.file_name for f in list_inbox(tmp_path)] == ["a.txt", "b.pdf"]


def test_missing_inbox_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        list_inbox(tmp_path / "nope")


def test_renamed_copy_of_loaded_content_is_not_new(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "同一份报告")
    _write(tmp_path, "a-copy.txt", "同一份报告")
    _write(tmp_path, "b.txt", "另一份报告")
    files = list_inbox(tmp_path)
    known = {files[1].content_sha256}  # a.txt's content already loaded
    new, skipped = split_new_and_known(files, known)
    assert [f.file_name for f in new] == ["b.txt"]
    assert [(f.file_name, why) for f, why in skipped] == [
        ("a-copy.txt", "content already in the warehouse"),
        ("a.txt", "content already in the warehouse"),
    ]


def test_duplicate_content_within_one_run_is_loaded_once(tmp_path: Path) -> None:
    _write(tmp_path, "x1.txt", "重复")
    _write(tmp_path, "x2.txt", "重复")
    new, skipped = split_new_and_known(list_inbox(tmp_path), set())
    assert [f.file_name for f in new] == ["x1.txt"]
    assert skipped[0][1] == "same content as x1.txt in this run"


def test_batches_split_evenly() -> None:
    assert batches(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert batches([], 3) == []

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


# ---- recursive discovery and entries that are not readable reports (issue 12) ----------------

import hashlib  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402

from flows.inbox import InboxScan, scan_inbox  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _scan_in_thread(inbox: Path, **kwargs) -> InboxScan:
    """Scan in a thread so that a scan that blocks (on a FIFO) fails the test instead of hanging it."""
    result: list[InboxScan] = []
    worker = threading.Thread(target=lambda: result.append(scan_inbox(inbox, **kwargs)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert result, "scan_inbox blocked"
    return result[0]


def test_subfolders_are_read_hidden_ones_and_the_manifest_skipped(tmp_path: Path) -> None:
    for rel in ("2023/浙江/a.txt", "2022/b.md", "c.txt", ".git/d.txt", "2023/.cache/e.txt", "2023/.f.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        _write(tmp_path / Path(rel).parent, Path(rel).name, rel)
    _write(tmp_path, "manifest.jsonl", "")
    scan = scan_inbox(tmp_path)
    assert [f.file_name for f in scan.files] == ["2022/b.md", "2023/浙江/a.txt", "c.txt"]
    assert scan.problems == []
    assert scan.files[1].path == str(tmp_path.resolve() / "2023" / "浙江" / "a.txt")


def _fifo(inbox: Path, outside: Path) -> str:
    os.mkfifo(inbox / "pipe.txt")
    return "pipe.txt"


def _dangling(inbox: Path, outside: Path) -> str:
    (inbox / "gone.txt").symlink_to(inbox / "never-there.txt")
    return "gone.txt"


def _leaves_inbox(inbox: Path, outside: Path) -> str:
    (outside / "secret.txt").write_text("外面的文件", encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside / "secret.txt")
    return "link.txt"


def _to_folder(inbox: Path, outside: Path) -> str:
    (inbox / "real").mkdir()
    _write(inbox / "real", "r.txt", "子文件夹里的报告")
    (inbox / "alias").symlink_to(inbox / "real", target_is_directory=True)
    return "alias"


def _too_large(inbox: Path, outside: Path) -> str:
    with open(inbox / "huge.txt", "wb") as fh:  # sparse: 50 MB that cost no disk
        fh.truncate(50 * 1024 * 1024)
    return "huge.txt"


def _bad_name(inbox: Path, outside: Path) -> str:
    (inbox / os.fsdecode(b"\xff\xfe.txt")).write_text("名字坏了", encoding="utf-8")
    return "\ufffd\ufffd.txt"


# (entry, how to make it → its relative name, words its reason must contain)
PROBLEMS = [
    ("FIFO", _fifo, "FIFO (named pipe), not a report file; not opened"),
    ("dangling symlink", _dangling, "dangling symbolic link"),
    ("symlink leaving the inbox", _leaves_inbox, "outside the inbox; not followed"),
    ("symlink to a folder", _to_folder, "symbolic link to a folder"),
    ("over the size limit", _too_large, "52,428,800 bytes is over the size limit of 20,971,520 bytes"),
    ("file name not UTF-8", _bad_name, "not valid UTF-8"),
]


@pytest.mark.parametrize("kind,make,words", PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_entry_that_is_not_a_readable_report_gets_a_reason(tmp_path: Path, kind, make, words: str) -> None:
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    _write(inbox, "good.txt", "一份正常的报告")
    name = make(inbox, outside)
    scan = _scan_in_thread(inbox)
    assert "good.txt" in [f.file_name for f in scan.files]
    assert name not in [f.file_name for f in scan.files]
    [problem] = [p for p in scan.problems if p.file_name == name]
    assert words in problem.reason
    row = problem.as_failure()
    assert row["stage"] == "discover" and name in row["error"] and words in row["error"]


def test_symlink_to_a_file_inside_the_inbox_is_followed(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "同一份")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    scan = scan_inbox(tmp_path)
    assert [f.file_name for f in scan.files] == ["a.txt", "b.txt"]
    new, skipped = split_new_and_known(scan.files, set())
    assert [f.file_name for f in new] == ["a.txt"] and skipped[0][1] == "same content as a.txt in this run"


def test_size_limit_is_configurable_and_hashing_is_chunked(tmp_path: Path) -> None:
    data = ("一二三四五六七八九十" * 120_000).encode("utf-8")  # 3.6 MB: several hash chunks
    (tmp_path / "big.txt").write_bytes(data)
    [f] = scan_inbox(tmp_path).files
    assert (f.content_sha256, f.size_bytes) == (hashlib.sha256(data).hexdigest(), len(data))
    scan = scan_inbox(tmp_path, max_file_bytes=1_000_000)
    assert scan.files == [] and "over the size limit of 1,000,000 bytes" in scan.problems[0].reason


def test_unsupported_copy_sorted_first_does_not_make_the_report_unchanged(tmp_path: Path) -> None:
    _write(tmp_path, "a.bak", "同样的字节")
    _write(tmp_path, "a.txt", "同样的字节")
    _write(tmp_path, "z.old", "同样的字节")
    new, skipped = split_new_and_known(list_inbox(tmp_path), set())
    assert [f.file_name for f in new] == ["a.bak", "a.txt", "z.old"]  # .bak/.old then fail as unsupported
    assert skipped == []


_AS_NOBODY = """
import json, sys
from pathlib import Path
from flows.inbox import scan_inbox
scan = scan_inbox(Path(sys.argv[1]))
print(json.dumps({"files": [f.file_name for f in scan.files],
                  "problems": {p.file_name: p.reason for p in scan.problems}}, ensure_ascii=False))
"""


def _without_root_file_powers() -> list[str]:
    """A command prefix under which root obeys file permissions like anyone (tests run as root):
    util-linux's setpriv drops the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a file unreadable")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_unreadable_file_and_folder_are_recorded_not_fatal() -> None:
    """Permission denied for real: the scan runs as an unprivileged user (root reads anything)."""
    import json

    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        inbox = Path(tmp) / "inbox"
        (inbox / "locked").mkdir(parents=True)
        _write(inbox, "good.txt", "能读的报告")
        _write(inbox, "secret.txt", "不能读的报告")
        _write(inbox / "locked", "inner.txt", "锁着的文件夹")
        os.chmod(tmp, 0o755)
        os.chmod(inbox, 0o755)
        os.chmod(inbox / "good.txt", 0o644)
        os.chmod(inbox / "secret.txt", 0o000)
        os.chmod(inbox / "locked", 0o000)
        try:
            out = subprocess.run([*_without_root_file_powers(), sys.executable, "-c", _AS_NOBODY, str(inbox)],
                                 capture_output=True, text=True, timeout=120,
                                 env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"})
        finally:
            os.chmod(inbox / "locked", 0o755)
            os.chmod(inbox / "secret.txt", 0o644)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout)
    assert seen["files"] == ["good.txt"]
    assert seen["problems"] == {"locked": "folder cannot be listed (Permission denied)",
                                "secret.txt": "cannot be read (Permission denied)"}

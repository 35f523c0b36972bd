"""What is in the inbox, and which of it is new: pure file-system and set logic, no Prefect.

Discovery walks the inbox and its subfolders (e.g. 2023/浙江/…). Every entry that is not a
report candidate it can read — a FIFO, a dangling symlink, a symlink leaving the inbox or to a
folder, a file it may not read, a file over the size limit — becomes an `InboxProblem` with its
reason (the run records it as a failed file) instead of stopping discovery. Nothing is opened
that could block (a FIFO is never opened) and no file is read whole into memory.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from transforms.decode import SUPPORTED_SUFFIXES
from transforms.manifest import MANIFEST_NAMES
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024  # far above any real report; configurable per run
_HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class InboxFile:
    path: str
    file_name: str  # path relative to the inbox, '/'-separated ('a.txt', '2023/浙江/a.txt')
    content_sha256: str
    size_bytes: int


@dataclass(frozen=True)
class InboxProblem:
    """An inbox entry that cannot be taken as a report, and why; recorded as a failed file."""
    path: str
    file_name: str
    reason: str
    content_sha256: str | None = None
    size_bytes: int | None = None

    def as_failure(self) -> dict:
        """The failure row `flows.nightly._files_frame` records in etl_file."""
        return {"file_name": self.file_name, "path": self.path, "content_sha256": self.content_sha256,
                "stage": "discover", "error": f"{self.file_name}: {self.reason}"}


@dataclass
class InboxScan:
    files: list[InboxFile] = field(default_factory=list)
    problems: list[InboxProblem] = field(default_factory=list)


def scan_inbox(inbox: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> InboxScan:
    """Every candidate report under `inbox` (recursively, sorted by relative path) with its
    content hash, and every entry that cannot be one, with the reason.

    Hidden files and folders (name starting with '.') and the top-level manifest are skipped;
    every other file is listed, so that an unsupported one is recorded as failed rather than
    silently ignored. Symlinks are followed only to a file inside the inbox.
    """
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} does not exist or is not a folder")
    root = inbox.resolve()
    scan = InboxScan()
    _walk(root, root, "", max_file_bytes, scan)
    scan.files.sort(key=lambda f: f.file_name)
    scan.problems.sort(key=lambda p: p.file_name)
    return scan


def list_inbox(inbox: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[InboxFile]:
    """The readable candidate reports of `scan_inbox` (the problems are dropped)."""
    return scan_inbox(inbox, max_file_bytes).files


def _walk(root: Path, folder: Path, prefix: str, max_file_bytes: int, scan: InboxScan) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        scan.problems.append(InboxProblem(str(folder), prefix.rstrip("/") or ".",
                                          f"folder cannot be listed ({exc.strerror or exc})"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if not prefix and entry.name in MANIFEST_NAMES:
            continue
        rel = _display_name(prefix + entry.name)
        path = Path(entry.path)
        problem = _problem_of(entry, root, rel)
        if problem is not None:
            scan.problems.append(problem)
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(root, path, prefix + entry.name + "/", max_file_bytes, scan)
            continue
        scan_file(path, rel, max_file_bytes, scan)


def _problem_of(entry: os.DirEntry, root: Path, rel: str) -> InboxProblem | None:
    """Why this entry cannot be read as a report (None when it is a folder or a usable file)."""
    path = entry.path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name: no column or log could hold it
        return InboxProblem(_display_name(path), rel, "file name is not valid UTF-8; rename the file")
    if entry.is_symlink():
        target = os.readlink(path)
        try:
            resolved = Path(path).resolve(strict=True)
        except (FileNotFoundError, RuntimeError):
            return InboxProblem(path, rel, f"dangling symbolic link (its target {target} does not exist)")
        except OSError as exc:
            return InboxProblem(path, rel, f"symbolic link to {target} cannot be followed ({exc.strerror or exc})")
        if not resolved.is_relative_to(root):
            return InboxProblem(path, rel, f"symbolic link to {resolved}, outside the inbox; not followed")
        if resolved.is_dir():
            return InboxProblem(path, rel, f"symbolic link to a folder ({resolved}); not followed — "
                                           "put the folder itself in the inbox")
    try:
        mode = os.stat(path).st_mode  # follows an in-inbox link to its file
    except OSError as exc:
        return InboxProblem(path, rel, f"cannot be inspected ({exc.strerror or exc})")
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return InboxProblem(path, rel, f"is {kind}, not a report file; not opened")


def scan_file(path: Path, rel: str, max_file_bytes: int, scan: InboxScan) -> None:
    """Hash one regular file in chunks, or record why it cannot be taken."""
    try:
        # O_NONBLOCK: if the entry was swapped for a FIFO since it was inspected, do not wait on it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        scan.problems.append(InboxProblem(str(path), rel, f"cannot be read ({exc.strerror or exc})"))
        return
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            scan.problems.append(InboxProblem(str(path), rel, "is no longer a regular file; not read"))
            return
        if info.st_size > max_file_bytes:
            scan.problems.append(InboxProblem(str(path), rel, _too_large(info.st_size, max_file_bytes),
                                              size_bytes=info.st_size))
            return
        digest, size = hashlib.sha256(), 0
        try:
            while chunk := fh.read(_HASH_CHUNK):
                size += len(chunk)
                if size > max_file_bytes:  # grew while we read it
                    scan.problems.append(InboxProblem(str(path), rel, _too_large(size, max_file_bytes),
                                                      size_bytes=size))
                    return
                digest.update(chunk)
        except OSError as exc:
            scan.problems.append(InboxProblem(str(path), rel, f"cannot be read ({exc.strerror or exc})"))
            return
    scan.files.append(InboxFile(str(path), rel, digest.hexdigest(), size))


def _too_large(size: int, limit: int) -> str:
    return (f"{size:,} bytes is over the size limit of {limit:,} bytes ({limit / 2**20:g} MB); not read "
            f"(raise it with --max-file-mb if this is a real report)")


def _display_name(name: str) -> str:
    """`name` as valid UTF-8 text (undecodable bytes of a file name become U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_supported(file_name: str) -> bool:
    """Whether the decoder reads this kind of file (by its suffix)."""
    return Path(file_name).suffix.lower() in SUPPORTED_SUFFIXES


def split_new_and_known(
    files: list[InboxFile], known_hashes: set[str]
) -> tuple[list[InboxFile], list[tuple[InboxFile, str]]]:
    """New content to process, and (file, why) for content already loaded or repeated here.

    Identity is the content hash: a renamed or re-dropped file is not loaded twice. A file of a
    type the decoder does not read is always passed on, to fail on its own as unsupported: it
    never stands for another file's content (a `.bak` copy sorted first must not make the real
    `.txt` `unchanged`), nor is it hidden behind one.
    """
    new: list[InboxFile] = []
    skipped: list[tuple[InboxFile, str]] = []
    first_seen: dict[str, str] = {}
    for f in files:
        if not is_supported(f.file_name):
            new.append(f)
        elif f.content_sha256 in known_hashes:
            skipped.append((f, "content already in the warehouse"))
        elif f.content_sha256 in first_seen:
            skipped.append((f, f"same content as {first_seen[f.content_sha256]} in this run"))
        else:
            first_seen[f.content_sha256] = f.file_name
            new.append(f)
    return new, skipped


def batches(items: list, size: int) -> list[list]:
    """Split into batches of at most `size` (Prefect tasks take batches, never single facts)."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)]
